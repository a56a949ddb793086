//! The audit trail in the database: appends that keep one linear hash chain across
//! requests and replicas, the release of results only after their record is written,
//! verification, search and export.
//!
//! Appends run in a serialised transaction that reads and locks the chain head
//! (`audit_head`, the last link), inserts the new record and moves the head. On SQLite the transaction is
//! `IMMEDIATE`; on PostgreSQL the head row is locked `FOR UPDATE`, so several replicas on
//! one database still write one chain. A state change and its record commit together:
//! [`append_in`] appends inside the change's own serialised transaction.
//!
//! Every record is hashed with the audit key (HMAC-SHA256, `WARD_AUDIT_KEY`, installed
//! once per process by [`install_key`]), and signed [`Checkpoint`]s of the head are written
//! periodically ([`spawn_checkpointer`]) and on demand ([`checkpoint`]); verification
//! checks both, a page of records at a time.

use crate::db;
use crate::entity::{audit_checkpoints, audit_events, audit_head};
use crate::error::{Error, Result};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::sync::RwLock;
use ward_domain::audit::{
    chain, AuditAction, AuditEntry, ChainKey, ChainReport, ChainVerifier, ChainedRecord,
    Checkpoint, Outcome,
};

/// The process's audit key; the demo key until [`install_key`] is called.
static KEY: RwLock<Option<ChainKey>> = RwLock::new(None);

/// Sets the audit key every append, checkpoint and verification of this process uses
/// (from `WARD_AUDIT_KEY`; `Ward::assemble` and the command line call it).
pub fn install_key(key: ChainKey) {
    *KEY.write().unwrap_or_else(|p| p.into_inner()) = Some(key);
}

/// The installed audit key (the demo key if none was installed).
pub fn key() -> ChainKey {
    KEY.read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .unwrap_or_else(ChainKey::demo)
}

/// A result that must not reach its caller until its audit record is written. Only
/// [`release`] opens it.
#[must_use = "an unreleased result must be released through the audit trail"]
pub struct Unreleased<T>(T);

impl<T> Unreleased<T> {
    /// Wraps a result produced by a tool or a PHI read.
    pub(crate) fn new(value: T) -> Self {
        Unreleased(value)
    }
}

fn unavailable() -> Error {
    Error::unavailable(
        "audit_unavailable",
        "The audit trail cannot be written, so the result is withheld.",
    )
}

/// Appends one record to the chain. Any failure is an `audit_unavailable` error: callers
/// fail closed.
pub async fn append(db: &DatabaseConnection, entry: AuditEntry) -> Result<ChainedRecord> {
    append_with(db, entry, |_| {}).await
}

/// Appends one record and, in the same transaction, the state change `change` adds to the
/// batch: both commit or neither does. Failures are `audit_unavailable`, as for [`append`].
pub async fn append_with(
    db: &DatabaseConnection,
    entry: AuditEntry,
    change: impl FnOnce(&mut db::Batch),
) -> Result<ChainedRecord> {
    append_inner(db, entry, change).await.map_err(|e| {
        tracing::error!(error = %e, "audit append failed");
        unavailable()
    })
}

async fn append_inner(
    db: &DatabaseConnection,
    entry: AuditEntry,
    change: impl FnOnce(&mut db::Batch),
) -> Result<ChainedRecord, sea_orm::DbErr> {
    let txn = db::begin_serialized(db).await?;
    let (record, batch) = chain_batch(&txn, entry, change).await?;
    // The record and the new head in one batch with the commit (one call on SQLite).
    batch.execute_and_commit(txn).await?;
    Ok(record)
}

/// Appends one record inside `txn`, a transaction from [`db::begin_serialized`], so a
/// state change and its audit record commit together (or neither does). Any failure is
/// an `audit_unavailable` error: the caller drops the transaction, which rolls back.
pub async fn append_in(txn: &db::SerializedTxn, entry: AuditEntry) -> Result<ChainedRecord> {
    let appended = async {
        let (record, batch) = chain_batch(txn, entry, |_| {}).await?;
        batch.execute(txn).await?;
        Ok::<_, sea_orm::DbErr>(record)
    };
    appended.await.map_err(|e| {
        tracing::error!(error = %e, "audit append failed");
        unavailable()
    })
}

/// Reads (and on PostgreSQL locks) the chain head and returns the chained record with
/// the batch that applies `change`, inserts the record and moves the head. The one place
/// records are chained: [`append`], [`append_with`] and [`append_in`] all come here.
async fn chain_batch(
    txn: &db::SerializedTxn,
    entry: AuditEntry,
    change: impl FnOnce(&mut db::Batch),
) -> Result<(ChainedRecord, db::Batch), sea_orm::DbErr> {
    // One statement reads and (on PostgreSQL, `FOR UPDATE`) locks the chain head.
    let head = audit_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("audit_head".into()))?;
    let prev = (head.last_seq > 0).then_some((head.last_seq, head.last_hash.as_str()));
    let record = chain(&key(), entry, prev);
    let e = &record.entry;
    let mut batch = db::Batch::new(txn.get_database_backend());
    change(&mut batch);
    batch.push(
        "INSERT INTO audit_events (seq, occurred_at, actor, roles, client_ip, request_id, action, \
         patient_id, tool, arguments, outcome, reason, session_id, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        [
            record.seq.into(),
            e.occurred_at.into(),
            e.actor.clone().into(),
            e.roles.clone().into(),
            e.client_ip.clone().into(),
            e.request_id.clone().into(),
            e.action.as_str().into(),
            e.patient_id.clone().into(),
            e.tool.clone().into(),
            e.arguments.clone().into(),
            e.outcome.as_str().into(),
            e.reason.clone().into(),
            e.session_id.clone().into(),
            record.prev_hash.clone().into(),
            record.hash.clone().into(),
        ],
    );
    batch.push(
        "UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1",
        [record.seq.into(), record.hash.clone().into()],
    );
    Ok((record, batch))
}

/// Writes `entry` and only then hands out the value. If the write fails the value is
/// dropped and the caller gets `audit_unavailable`.
pub async fn release<T>(
    db: &DatabaseConnection,
    entry: AuditEntry,
    value: Unreleased<T>,
) -> Result<T> {
    append(db, entry).await?;
    Ok(value.0)
}

/// Turns a stored row back into a chained record. Unknown action or outcome names (only
/// possible if someone edited the table) become a record that cannot verify.
pub fn record_of(row: audit_events::Model) -> ChainedRecord {
    ChainedRecord {
        seq: row.seq,
        entry: AuditEntry {
            occurred_at: row.occurred_at,
            actor: row.actor,
            roles: row.roles,
            client_ip: row.client_ip,
            request_id: row.request_id,
            action: row.action.parse().unwrap_or(AuditAction::ToolCall),
            patient_id: row.patient_id,
            tool: row.tool,
            arguments: row.arguments,
            outcome: row.outcome.parse().unwrap_or(Outcome::Error),
            reason: row.reason,
            session_id: row.session_id,
        },
        prev_hash: row.prev_hash,
        hash: if row.action.parse::<AuditAction>().is_ok() && row.outcome.parse::<Outcome>().is_ok()
        {
            row.hash
        } else {
            String::from("invalid-action-or-outcome")
        },
    }
}

/// Verifies the whole chain, page by page, against the chain head and the signed
/// checkpoints stored in the database, with the installed key.
pub async fn verify(db: &DatabaseConnection) -> Result<ChainReport> {
    verify_with(db, &key(), vec![]).await
}

/// Verifies the whole chain with `key`, against the chain head, the stored checkpoints and
/// `exported` (checkpoints an operator kept outside the database). Memory stays constant:
/// records are read a page at a time.
pub async fn verify_with(
    db: &DatabaseConnection,
    key: &ChainKey,
    exported: Vec<Checkpoint>,
) -> Result<ChainReport> {
    const PAGE: u64 = 2000;
    let head = audit_head::Entity::find_by_id(1).one(db).await?;
    let mut all = checkpoints(db).await?;
    all.extend(exported);
    let mut verifier =
        ChainVerifier::new(key.clone(), head.as_ref().map_or(1, |h| h.keyed_from), all);
    let mut after = 0i64;
    loop {
        let rows = audit_events::Entity::find()
            .filter(audit_events::Column::Seq.gt(after))
            .order_by_asc(audit_events::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let n = rows.len();
        for row in rows {
            after = row.seq;
            verifier.push(&record_of(row));
        }
        if (n as u64) < PAGE {
            break;
        }
    }
    // The head as it is now: records appended during the walk are past it, and ignored.
    let head = audit_head::Entity::find_by_id(1).one(db).await?;
    let head = head.map(|h| (h.last_seq, h.last_hash));
    Ok(verifier.finish(
        head.as_ref()
            .filter(|h| h.0 > 0)
            .map(|(s, h)| (*s, h.as_str())),
    ))
}

fn checkpoint_of(m: audit_checkpoints::Model) -> Checkpoint {
    Checkpoint {
        seq: m.seq,
        head_hash: m.head_hash,
        keyed_from: m.keyed_from,
        created_at: m.created_at,
        signature: m.signature,
    }
}

/// Every stored checkpoint, oldest first.
pub async fn checkpoints(db: &impl ConnectionTrait) -> Result<Vec<Checkpoint>> {
    Ok(audit_checkpoints::Entity::find()
        .order_by_asc(audit_checkpoints::Column::Seq)
        .order_by_asc(audit_checkpoints::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(checkpoint_of)
        .collect())
}

/// Signs and stores a checkpoint of the chain's head now; `None` for an empty chain, or,
/// with `only_if_moved`, when the newest checkpoint already covers the head.
pub async fn checkpoint(
    db: &DatabaseConnection,
    only_if_moved: bool,
) -> Result<Option<Checkpoint>> {
    let txn = db::begin_serialized(db).await?;
    let head = audit_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| Error::internal("the audit chain has no head"))?;
    if head.last_seq == 0 {
        return Ok(None);
    }
    if only_if_moved {
        let newest = audit_checkpoints::Entity::find()
            .order_by_desc(audit_checkpoints::Column::Seq)
            .one(&txn)
            .await?;
        if newest.is_some_and(|c| c.seq >= head.last_seq) {
            return Ok(None);
        }
    }
    let cp = Checkpoint::sign(
        &key(),
        head.last_seq,
        &head.last_hash,
        head.keyed_from,
        chrono::Utc::now(),
    );
    let mut batch = db::Batch::new(txn.get_database_backend());
    batch.push(
        "INSERT INTO audit_checkpoints (seq, head_hash, keyed_from, created_at, signature) \
         VALUES ($1, $2, $3, $4, $5)",
        [
            cp.seq.into(),
            cp.head_hash.clone().into(),
            cp.keyed_from.into(),
            cp.created_at.into(),
            cp.signature.clone().into(),
        ],
    );
    batch.execute_and_commit(txn).await?;
    Ok(Some(cp))
}

/// Writes a checkpoint every `every` when the chain has moved (on every replica; a
/// duplicate checkpoint is harmless).
pub fn spawn_checkpointer(db: &DatabaseConnection, every: std::time::Duration) {
    let db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(e) = checkpoint(&db, true).await {
                tracing::warn!(code = %e.code, "audit checkpoint failed");
            }
        }
    });
}

/// Filters for searching the audit trail. All are optional and combine with AND.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Actor username (exact).
    pub user: Option<String>,
    /// Patient id (exact).
    pub patient: Option<String>,
    /// Action name.
    pub action: Option<String>,
    /// ok, denied or error.
    pub outcome: Option<String>,
    /// Chat session id.
    pub session: Option<String>,
    /// From this time (RFC 3339), inclusive.
    pub from: Option<String>,
    /// Until this time (RFC 3339), exclusive.
    pub to: Option<String>,
    /// Only records older than this sequence number (paging).
    pub before_seq: Option<i64>,
    /// Page size (1–500, default 100).
    pub limit: Option<u64>,
}

fn parse_time(field: &'static str, s: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc())
        })
        .map_err(|_| {
            Error::bad_request(
                "invalid_query",
                format!("{field} must be an RFC 3339 time or a YYYY-MM-DD date"),
            )
        })
}

/// The records matching `q`'s filters (not its paging).
fn filtered(q: &AuditQuery) -> Result<sea_orm::Select<audit_events::Entity>> {
    let mut s = audit_events::Entity::find();
    if let Some(u) = q.user.as_deref().filter(|s| !s.is_empty()) {
        s = s.filter(audit_events::Column::Actor.eq(u));
    }
    if let Some(p) = q.patient.as_deref().filter(|s| !s.is_empty()) {
        s = s.filter(audit_events::Column::PatientId.eq(p));
    }
    if let Some(a) = q.action.as_deref().filter(|s| !s.is_empty()) {
        let a: AuditAction = a.parse().map_err(|_: String| {
            Error::bad_request("invalid_query", "action is not an audit action")
        })?;
        s = s.filter(audit_events::Column::Action.eq(a.as_str()));
    }
    if let Some(o) = q.outcome.as_deref().filter(|s| !s.is_empty()) {
        let o: Outcome = o.parse().map_err(|_: String| {
            Error::bad_request("invalid_query", "outcome must be ok, denied or error")
        })?;
        s = s.filter(audit_events::Column::Outcome.eq(o.as_str()));
    }
    if let Some(sid) = q.session.as_deref().filter(|s| !s.is_empty()) {
        s = s.filter(audit_events::Column::SessionId.eq(sid));
    }
    if let Some(f) = q.from.as_deref().filter(|s| !s.is_empty()) {
        s = s.filter(audit_events::Column::OccurredAt.gte(parse_time("from", f)?));
    }
    if let Some(t) = q.to.as_deref().filter(|s| !s.is_empty()) {
        s = s.filter(audit_events::Column::OccurredAt.lt(parse_time("to", t)?));
    }
    Ok(s)
}

/// One page of matching records, newest first.
pub async fn search(
    db: &DatabaseConnection,
    q: &AuditQuery,
) -> Result<(Vec<ChainedRecord>, Option<i64>)> {
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let mut s = filtered(q)?;
    if let Some(b) = q.before_seq {
        s = s.filter(audit_events::Column::Seq.lt(b));
    }
    let rows = s
        .order_by_desc(audit_events::Column::Seq)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    let records: Vec<ChainedRecord> = rows
        .into_iter()
        .take(limit as usize)
        .map(record_of)
        .collect();
    let next = if more {
        records.last().map(|r| r.seq)
    } else {
        None
    };
    Ok((records, next))
}

/// Formats in which the trail can be exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON object a line.
    JsonLines,
    /// Comma-separated values with a header.
    Csv,
    /// FHIR R4 AuditEvent resources, one a line (NDJSON, FHIR bulk-data style).
    FhirNdjson,
}

impl std::str::FromStr for ExportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "jsonl" | "ndjson" | "json" => Ok(ExportFormat::JsonLines),
            "csv" => Ok(ExportFormat::Csv),
            "fhir" => Ok(ExportFormat::FhirNdjson),
            _ => Err(Error::bad_request(
                "invalid_format",
                "format must be jsonl, csv or fhir",
            )),
        }
    }
}

/// The records an export reads per query.
const EXPORT_PAGE: u64 = 500;

/// Every record matching `q` (ignoring its paging), oldest first, in `format`, as a stream
/// of text chunks (a header, then one page of lines per chunk): the export is read from
/// the database a page at a time with a cursor on `seq` while it is sent, so its memory
/// does not grow with the trail. Invalid filters are refused before the stream starts.
pub fn export_stream(
    db: DatabaseConnection,
    q: &AuditQuery,
    format: ExportFormat,
) -> Result<impl futures::Stream<Item = Result<String>> + Send + 'static> {
    use futures::StreamExt;
    use ward_domain::audit::export as fmt;
    let select = filtered(q)?;
    // The records that exist when the export starts; later appends are not included.
    let header = (format == ExportFormat::Csv).then(|| format!("{}\n", fmt::CSV_HEADER));
    let state = (db, select, 0i64, false);
    let pages = futures::stream::try_unfold(state, move |(db, select, after, done)| async move {
        if done {
            return Ok::<_, Error>(None);
        }
        let rows = select
            .clone()
            .filter(audit_events::Column::Seq.gt(after))
            .order_by_asc(audit_events::Column::Seq)
            .limit(EXPORT_PAGE)
            .all(&db)
            .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let last = rows.last().map_or(after, |r| r.seq);
        let full = rows.len() as u64 == EXPORT_PAGE;
        let mut out = String::new();
        for row in rows {
            let r = record_of(row);
            match format {
                ExportFormat::JsonLines => {
                    out.push_str(&serde_json::to_string(&r).expect("records serialise"))
                }
                ExportFormat::Csv => out.push_str(&fmt::csv_row(&r)),
                ExportFormat::FhirNdjson => out.push_str(&fmt::fhir_audit_event(&r).to_string()),
            }
            out.push('\n');
        }
        Ok(Some((out, (db, select, last, !full))))
    });
    Ok(futures::stream::iter(header.map(Ok)).chain(pages))
}

/// Every record matching `q` (ignoring its paging), oldest first, in `format`, collected
/// into one string (for tests and small trails; the HTTP export streams).
pub async fn export(
    db: &DatabaseConnection,
    q: &AuditQuery,
    format: ExportFormat,
) -> Result<String> {
    use futures::TryStreamExt;
    export_stream(db.clone(), q, format)?.try_collect().await
}

/// The newest records concerning one user as actor (for `audit-latest`), or all.
pub async fn latest(
    db: &DatabaseConnection,
    actor: Option<&str>,
    limit: u64,
) -> Result<Vec<ChainedRecord>> {
    let q = AuditQuery {
        user: actor.map(str::to_string),
        limit: Some(limit),
        ..Default::default()
    };
    Ok(search(db, &q).await?.0)
}

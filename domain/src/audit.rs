//! Audit records (docs/contract.md §8) and their hash chain.
//!
//! Each record's hash covers its own fields and the previous record's hash, so editing,
//! deleting, inserting or reordering any record breaks the chain at that point, and
//! [`verify_chain`] reports the first broken link. The hash is an HMAC-SHA256 with the
//! audit key ([`ChainKey`], `WARD_AUDIT_KEY`), so someone who can write to the database
//! but does not hold the key cannot re-hash an edited chain so that it verifies; signed
//! [`Checkpoint`]s, exported and kept elsewhere, also catch a rewrite by someone who does.
//! The encoding hashed is fixed here and nowhere else.

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// The hash that the first record links to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A successful sign-in.
    Login,
    /// A failed sign-in (wrong password, unknown user, throttled).
    LoginFailed,
    /// A sign-out (refresh token revoked).
    Logout,
    /// An access token minted from a refresh token or a browser session.
    TokenIssued,
    /// A tool call through any door, allowed or not.
    ToolCall,
    /// A break-the-glass grant.
    BreakGlass,
    /// A reviewer or auditor read someone else's archived chat session.
    SessionRead,
    /// The audit trail was searched.
    AuditSearch,
    /// The audit trail was exported.
    AuditExport,
    /// The chain was verified.
    AuditVerify,
    /// A user was created or their roles, team or status changed.
    UserAdmin,
    /// A budget was changed.
    BudgetChange,
    /// A clinician message matched a known prompt-injection pattern.
    InjectionFlagged,
    /// The model asked for a tool call that the agent refused before the tool layer.
    AgentRefused,
    /// A chat message was refused by the rate limit or the budget.
    LimitReached,
    /// Clinical data was imported (FHIR bundles or Bulk Data files), by the command line
    /// or an admin's upload.
    DataImport,
    /// A chat session's patient changed: a tool ran on a patient other than the session's,
    /// and the banner now shows them.
    SessionPatient,
    /// A clinician exported one of their own chat sessions (a download of PHI).
    SessionExport,
}

impl AuditAction {
    /// Every action.
    pub const ALL: [AuditAction; 18] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::Logout,
        AuditAction::TokenIssued,
        AuditAction::ToolCall,
        AuditAction::BreakGlass,
        AuditAction::SessionRead,
        AuditAction::AuditSearch,
        AuditAction::AuditExport,
        AuditAction::AuditVerify,
        AuditAction::UserAdmin,
        AuditAction::BudgetChange,
        AuditAction::InjectionFlagged,
        AuditAction::AgentRefused,
        AuditAction::LimitReached,
        AuditAction::DataImport,
        AuditAction::SessionPatient,
        AuditAction::SessionExport,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Logout => "logout",
            AuditAction::TokenIssued => "token_issued",
            AuditAction::ToolCall => "tool_call",
            AuditAction::BreakGlass => "break_glass",
            AuditAction::SessionRead => "session_read",
            AuditAction::AuditSearch => "audit_search",
            AuditAction::AuditExport => "audit_export",
            AuditAction::AuditVerify => "audit_verify",
            AuditAction::UserAdmin => "user_admin",
            AuditAction::BudgetChange => "budget_change",
            AuditAction::InjectionFlagged => "injection_flagged",
            AuditAction::AgentRefused => "agent_refused",
            AuditAction::LimitReached => "limit_reached",
            AuditAction::DataImport => "data_import",
            AuditAction::SessionPatient => "session_patient",
            AuditAction::SessionExport => "session_export",
        }
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AuditAction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AuditAction::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| format!("unknown audit action '{s}'"))
    }
}

/// How it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Allowed and done.
    Ok,
    /// Refused by policy, throttling or limits.
    Denied,
    /// Failed for another reason (invalid input, unknown patient, internal error).
    Error,
}

impl Outcome {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Error => "error",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ok" => Ok(Outcome::Ok),
            "denied" => Ok(Outcome::Denied),
            "error" => Ok(Outcome::Error),
            other => Err(format!("unknown outcome '{other}'")),
        }
    }
}

/// The content of one audit record, before it is chained.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// When, truncated to microseconds (the precision every database keeps).
    pub occurred_at: DateTime<Utc>,
    /// The username of the actor (or the name tried, for failed logins).
    pub actor: String,
    /// The actor's roles, comma-separated.
    pub roles: String,
    /// The client's IP address.
    pub client_ip: Option<String>,
    /// The request id of the HTTP request.
    pub request_id: Option<String>,
    /// What happened.
    pub action: AuditAction,
    /// The patient concerned.
    pub patient_id: Option<String>,
    /// The tool concerned.
    pub tool: Option<String>,
    /// The arguments, PHI-free, as compact JSON text.
    pub arguments: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Why (a denial code, an error code, a break-the-glass reason).
    pub reason: Option<String>,
    /// The chat session concerned.
    pub session_id: Option<String>,
}

impl AuditEntry {
    /// A new entry stamped now (microsecond precision), with everything optional empty.
    pub fn new(
        now: DateTime<Utc>,
        actor: &str,
        roles: &str,
        action: AuditAction,
        outcome: Outcome,
    ) -> Self {
        AuditEntry {
            occurred_at: truncate_to_micros(now),
            actor: actor.to_string(),
            roles: roles.to_string(),
            client_ip: None,
            request_id: None,
            action,
            patient_id: None,
            tool: None,
            arguments: None,
            outcome,
            reason: None,
            session_id: None,
        }
    }
}

/// Drops sub-microsecond precision so a timestamp survives a database round trip.
pub fn truncate_to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

/// A record as stored: its entry, its place in the chain and the two hashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainedRecord {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// The content.
    #[serde(flatten)]
    pub entry: AuditEntry,
    /// The previous record's hash ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// This record's hash.
    pub hash: String,
}

fn put(h: &mut Vec<u8>, field: Option<&str>) {
    match field {
        None => h.extend_from_slice(b"-;"),
        Some(s) => {
            h.extend_from_slice(s.len().to_string().as_bytes());
            h.push(b':');
            h.extend_from_slice(s.as_bytes());
            h.push(b';');
        }
    }
}

/// The length-prefixed encoding of every field of a record, in a fixed order, after
/// `version` (the bytes both hashes cover).
fn encoding(version: &[u8], seq: i64, entry: &AuditEntry, prev_hash: &str) -> Vec<u8> {
    let mut h = Vec::with_capacity(256);
    h.extend_from_slice(version);
    put(&mut h, Some(&seq.to_string()));
    put(
        &mut h,
        Some(
            &entry
                .occurred_at
                .to_rfc3339_opts(SecondsFormat::Micros, true),
        ),
    );
    put(&mut h, Some(&entry.actor));
    put(&mut h, Some(&entry.roles));
    put(&mut h, entry.client_ip.as_deref());
    put(&mut h, entry.request_id.as_deref());
    put(&mut h, Some(entry.action.as_str()));
    put(&mut h, entry.patient_id.as_deref());
    put(&mut h, entry.tool.as_deref());
    put(&mut h, entry.arguments.as_deref());
    put(&mut h, Some(entry.outcome.as_str()));
    put(&mut h, entry.reason.as_deref());
    put(&mut h, entry.session_id.as_deref());
    put(&mut h, Some(prev_hash));
    h
}

/// The fixed key of demo mode, published here so that a demo's trail can be verified
/// anywhere. Production refuses it: `WARD_AUDIT_KEY` must be set to a secret of at least
/// 32 characters.
pub const DEMO_AUDIT_KEY: &str = "ward-demo-audit-key-do-not-use-in-production";

type HmacSha256 = Hmac<Sha256>;

/// The secret key of the audit chain (HMAC-SHA256 of every record) and of its signed
/// checkpoints. Without it a record cannot be re-hashed so that the chain verifies.
#[derive(Clone, PartialEq, Eq)]
pub struct ChainKey(Vec<u8>);

impl ChainKey {
    /// A key from its bytes (the configured `WARD_AUDIT_KEY`).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        ChainKey(bytes.into())
    }

    /// The demo key ([`DEMO_AUDIT_KEY`]).
    pub fn demo() -> Self {
        ChainKey::new(DEMO_AUDIT_KEY.as_bytes())
    }

    fn mac(&self, message: &[u8]) -> HmacSha256 {
        let mut m = HmacSha256::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        m.update(message);
        m
    }

    fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.mac(message).finalize().into_bytes())
    }

    /// Whether `signature` (hex) is this key's HMAC of `message`, compared in constant time.
    fn holds(&self, message: &[u8], signature: &str) -> bool {
        hex::decode(signature).is_ok_and(|sig| self.mac(message).verify_slice(&sig).is_ok())
    }
}

impl fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChainKey(…)")
    }
}

/// The unkeyed hash of the first version of the chain (SHA-256 over the record's
/// encoding): still verified for records written before the chain was keyed (below the
/// head's `keyed_from`), never written any more.
pub fn chain_hash(seq: i64, entry: &AuditEntry, prev_hash: &str) -> String {
    hex::encode(Sha256::digest(encoding(
        b"ward-audit-v1;",
        seq,
        entry,
        prev_hash,
    )))
}

/// The keyed hash of a record at `seq` with content `entry` that follows `prev_hash`:
/// HMAC-SHA256 with the audit key over a length-prefixed encoding of every field, in a
/// fixed order.
pub fn keyed_chain_hash(key: &ChainKey, seq: i64, entry: &AuditEntry, prev_hash: &str) -> String {
    key.sign(&encoding(b"ward-audit-v2;", seq, entry, prev_hash))
}

/// Chains `entry` after a record with `prev` = (seq, hash), or after the genesis, with the
/// keyed hash.
pub fn chain(key: &ChainKey, entry: AuditEntry, prev: Option<(i64, &str)>) -> ChainedRecord {
    let (seq, prev_hash) = match prev {
        Some((s, h)) => (s + 1, h.to_string()),
        None => (1, GENESIS_HASH.to_string()),
    };
    let hash = keyed_chain_hash(key, seq, &entry, &prev_hash);
    ChainedRecord {
        seq,
        entry,
        prev_hash,
        hash,
    }
}

/// A signed statement that the chain's record `seq` had hash `head_hash` at `created_at`.
/// Ward writes one periodically and on demand; an operator exports them and keeps them
/// outside Ward's database, so a chain rewritten later — even by someone holding the key —
/// no longer matches them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checkpoint {
    /// The record the checkpoint covers (the chain's head when it was made).
    pub seq: i64,
    /// That record's hash.
    pub head_hash: String,
    /// The first record hashed with the key (records before it predate the keyed chain).
    pub keyed_from: i64,
    /// When it was made (microseconds).
    pub created_at: DateTime<Utc>,
    /// HMAC-SHA256 with the audit key over the fields above (hex).
    pub signature: String,
}

impl Checkpoint {
    fn message(seq: i64, head_hash: &str, keyed_from: i64, created_at: DateTime<Utc>) -> Vec<u8> {
        let mut m = b"ward-checkpoint-v1;".to_vec();
        put(&mut m, Some(&seq.to_string()));
        put(&mut m, Some(head_hash));
        put(&mut m, Some(&keyed_from.to_string()));
        put(
            &mut m,
            Some(&created_at.to_rfc3339_opts(SecondsFormat::Micros, true)),
        );
        m
    }

    /// Signs a checkpoint of record `seq` with hash `head_hash`.
    pub fn sign(
        key: &ChainKey,
        seq: i64,
        head_hash: &str,
        keyed_from: i64,
        created_at: DateTime<Utc>,
    ) -> Checkpoint {
        let created_at = truncate_to_micros(created_at);
        Checkpoint {
            seq,
            head_hash: head_hash.to_string(),
            keyed_from,
            created_at,
            signature: key.sign(&Self::message(seq, head_hash, keyed_from, created_at)),
        }
    }

    /// Whether the signature is the key's over the checkpoint's fields.
    pub fn signature_holds(&self, key: &ChainKey) -> bool {
        key.holds(
            &Self::message(self.seq, &self.head_hash, self.keyed_from, self.created_at),
            &self.signature,
        )
    }
}

/// The result of verifying a chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainReport {
    /// Whether every link holds.
    pub ok: bool,
    /// How many records were checked.
    pub records_checked: u64,
    /// How many signed checkpoints were checked against the chain.
    #[serde(default)]
    pub checkpoints_checked: u64,
    /// The sequence number of the first record that does not verify.
    pub first_broken_seq: Option<i64>,
    /// What is wrong there.
    pub problem: Option<String>,
}

/// Incremental verifier: feed records in `seq` order, then call [`ChainVerifier::finish`]
/// with the chain head as recorded separately. Each record's keyed hash is checked with
/// the key (a record re-hashed without it does not verify), and each signed checkpoint's
/// signature and head hash against the record it covers.
#[derive(Debug)]
pub struct ChainVerifier {
    key: ChainKey,
    keyed_from: i64,
    /// Checkpoints not yet reached, sorted by seq, descending (the next one is last).
    pending: Vec<Checkpoint>,
    expected_seq: i64,
    prev_hash: String,
    checked: u64,
    checkpoints_checked: u64,
    broken: Option<(i64, String)>,
}

impl ChainVerifier {
    /// A verifier with the audit key, the first keyed record (from the chain head; 1 for a
    /// chain keyed from its start) and the signed checkpoints to check (from the database
    /// and from any exported file).
    pub fn new(key: ChainKey, keyed_from: i64, checkpoints: Vec<Checkpoint>) -> Self {
        let mut v = ChainVerifier {
            key,
            keyed_from: keyed_from.max(1),
            pending: vec![],
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
            checked: 0,
            checkpoints_checked: 0,
            broken: None,
        };
        for cp in checkpoints {
            if !cp.signature_holds(&v.key) {
                v.flag(
                    cp.seq.max(1),
                    format!(
                        "the checkpoint of record {} is not signed with the audit key (it was \
                         forged or altered)",
                        cp.seq
                    ),
                );
            } else if cp.keyed_from != v.keyed_from {
                v.flag(
                    cp.keyed_from.min(v.keyed_from).max(1),
                    format!(
                        "the chain head says records are keyed from {} but a signed checkpoint \
                         says {} (the chain was re-hashed)",
                        v.keyed_from, cp.keyed_from
                    ),
                );
            } else {
                v.pending.push(cp);
            }
        }
        v.pending.sort_by_key(|c| std::cmp::Reverse(c.seq));
        v
    }

    fn flag(&mut self, seq: i64, problem: String) {
        if self.broken.as_ref().is_none_or(|(s, _)| seq < *s) {
            self.broken = Some((seq, problem));
        }
    }

    /// Checks the next record; after the first broken link, later records are ignored.
    pub fn push(&mut self, r: &ChainedRecord) {
        if self.broken.is_some() {
            return;
        }
        self.checked += 1;
        let expected_hash = || {
            if r.seq < self.keyed_from {
                chain_hash(r.seq, &r.entry, &r.prev_hash)
            } else {
                keyed_chain_hash(&self.key, r.seq, &r.entry, &r.prev_hash)
            }
        };
        let problem = if r.seq != self.expected_seq {
            Some(format!(
                "expected record {} but found {} (a record was deleted, inserted or moved)",
                self.expected_seq, r.seq
            ))
        } else if r.prev_hash != self.prev_hash {
            Some("its previous-hash does not match the record before it".to_string())
        } else if expected_hash() != r.hash {
            Some(
                "its content does not match its keyed hash (the record was edited, or the \
                 chain was re-hashed without the audit key)"
                    .to_string(),
            )
        } else {
            None
        };
        if let Some(p) = problem {
            self.flag(self.expected_seq.min(r.seq), p);
            return;
        }
        while self.pending.last().is_some_and(|cp| cp.seq <= r.seq) {
            let cp = self.pending.pop().expect("checked above");
            self.checkpoints_checked += 1;
            if cp.seq == r.seq && cp.head_hash != r.hash {
                self.flag(
                    r.seq,
                    format!(
                        "it differs from the signed checkpoint of {} (the chain was rewritten)",
                        cp.created_at.to_rfc3339_opts(SecondsFormat::Secs, true)
                    ),
                );
                return;
            }
        }
        self.expected_seq += 1;
        self.prev_hash = r.hash.clone();
    }

    /// Ends verification. `head` is the (seq, hash) of the last record as recorded in the
    /// chain head; a mismatch means records were removed from the end.
    pub fn finish(mut self, head: Option<(i64, &str)>) -> ChainReport {
        if self.broken.is_none() {
            let last = (self.expected_seq - 1, self.prev_hash.clone());
            let expected = head.unwrap_or((0, GENESIS_HASH));
            if last.0 != expected.0 || last.1 != expected.1 {
                self.flag(
                    last.0 + 1,
                    format!(
                        "the chain ends at record {} but its head says {} (records were removed \
                         from the end)",
                        last.0, expected.0
                    ),
                );
            } else if let Some(cp) = self.pending.first() {
                let seq = cp.seq;
                self.flag(
                    last.0 + 1,
                    format!(
                        "the chain ends at record {} but a signed checkpoint covers record {seq} \
                         (records were removed from the end)",
                        last.0
                    ),
                );
            }
        }
        let broken = self.broken;
        ChainReport {
            ok: broken.is_none(),
            records_checked: self.checked,
            checkpoints_checked: self.checkpoints_checked,
            first_broken_seq: broken.as_ref().map(|b| b.0),
            problem: broken.map(|b| b.1),
        }
    }
}

/// Verifies a whole chain held in memory, keyed from its first record, without
/// checkpoints.
pub fn verify_chain<'a>(
    key: &ChainKey,
    records: impl IntoIterator<Item = &'a ChainedRecord>,
    head: Option<(i64, &str)>,
) -> ChainReport {
    let mut v = ChainVerifier::new(key.clone(), 1, vec![]);
    for r in records {
        v.push(r);
    }
    v.finish(head)
}

/// Export formats of audit records: CSV rows and FHIR R4 AuditEvent resources.
pub mod export {
    use super::{AuditAction, ChainedRecord, Outcome};
    use chrono::SecondsFormat;
    use serde_json::{json, Value};

    /// The CSV header line.
    pub const CSV_HEADER: &str = "seq,occurred_at,actor,roles,client_ip,request_id,action,\
patient_id,tool,arguments,outcome,reason,session_id,prev_hash,hash";

    /// One CSV cell: quoted, with a leading formula character neutralised.
    pub fn cell(s: Option<&str>) -> String {
        let s = s.unwrap_or_default();
        // Neutralise spreadsheet formulas and quote every cell.
        let guarded = if s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_string()
        };
        format!("\"{}\"", guarded.replace('"', "\"\""))
    }

    /// One record as a CSV row (every cell quoted; formula prefixes neutralised).
    pub fn csv_row(r: &ChainedRecord) -> String {
        let e = &r.entry;
        let time = e.occurred_at.to_rfc3339_opts(SecondsFormat::Micros, true);
        let seq = r.seq.to_string();
        [
            Some(seq.as_str()),
            Some(time.as_str()),
            Some(e.actor.as_str()),
            Some(e.roles.as_str()),
            e.client_ip.as_deref(),
            e.request_id.as_deref(),
            Some(e.action.as_str()),
            e.patient_id.as_deref(),
            e.tool.as_deref(),
            e.arguments.as_deref(),
            Some(e.outcome.as_str()),
            e.reason.as_deref(),
            e.session_id.as_deref(),
            Some(r.prev_hash.as_str()),
            Some(r.hash.as_str()),
        ]
        .into_iter()
        .map(cell)
        .collect::<Vec<_>>()
        .join(",")
    }

    /// One record as a FHIR R4 AuditEvent resource.
    pub fn fhir_audit_event(r: &ChainedRecord) -> Value {
        let e = &r.entry;
        let (type_code, type_display) = match e.action {
            AuditAction::Login
            | AuditAction::LoginFailed
            | AuditAction::Logout
            | AuditAction::TokenIssued => ("110114", "User Authentication"),
            AuditAction::AuditExport => ("110106", "Export"),
            AuditAction::ToolCall | AuditAction::SessionRead | AuditAction::BreakGlass => {
                ("110110", "Patient Record")
            }
            _ => ("110100", "Application Activity"),
        };
        let action = match e.action {
            AuditAction::UserAdmin | AuditAction::BudgetChange => "U",
            AuditAction::Login
            | AuditAction::LoginFailed
            | AuditAction::Logout
            | AuditAction::TokenIssued
            | AuditAction::BreakGlass
            | AuditAction::AuditVerify => "E",
            _ => "R",
        };
        let outcome = match e.outcome {
            Outcome::Ok => "0",
            Outcome::Denied => "4",
            Outcome::Error => "8",
        };
        let mut agent = json!({
            "who": {"identifier": {"value": e.actor}},
            "requestor": true,
            "role": [{"text": e.roles}]
        });
        if let Some(ip) = &e.client_ip {
            agent["network"] = json!({"address": ip, "type": "2"});
        }
        let mut entities = vec![];
        if let Some(p) = &e.patient_id {
            entities.push(json!({
                "what": {"reference": format!("Patient/{p}")},
                "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "1", "display": "Person"},
                "role": {"system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "1", "display": "Patient"}
            }));
        }
        if let Some(t) = &e.tool {
            let mut ent = json!({"what": {"display": t}, "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "2", "display": "System Object"}});
            if let Some(a) = &e.arguments {
                ent["detail"] = json!([{"type": "arguments", "valueString": a}]);
            }
            entities.push(ent);
        }
        if let Some(s) = &e.session_id {
            entities.push(
                json!({"what": {"identifier": {"system": "urn:ward:chat-session", "value": s}}}),
            );
        }
        let mut v = json!({
            "resourceType": "AuditEvent",
            "id": r.seq.to_string(),
            "type": {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": type_code, "display": type_display},
            "subtype": [{"system": "urn:ward:audit-action", "code": e.action.as_str()}],
            "action": action,
            "recorded": e.occurred_at.to_rfc3339_opts(SecondsFormat::Micros, true),
            "outcome": outcome,
            "agent": [agent],
            "source": {"observer": {"display": "Ward"}, "type": [{"system": "http://terminology.hl7.org/CodeSystem/security-source-type", "code": "4", "display": "Application Server"}]},
            "entity": entities,
            "extension": [{"url": "urn:ward:audit-chain", "valueString": format!("{}:{}", r.prev_hash, r.hash)}]
        });
        if let Some(reason) = &e.reason {
            v["outcomeDesc"] = json!(reason);
        }
        if let Some(rid) = &e.request_id {
            v["source"]["site"] = json!(rid);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_chain(n: usize) -> Vec<ChainedRecord> {
        let t0 = DateTime::from_timestamp(1_700_000_000, 123_456_789).unwrap();
        let mut out: Vec<ChainedRecord> = vec![];
        for i in 0..n {
            let mut e = AuditEntry::new(
                t0 + chrono::Duration::seconds(i as i64),
                "doctor",
                "doctor",
                AuditAction::ToolCall,
                Outcome::Ok,
            );
            e.patient_id = Some(format!("PAT-{i:03}"));
            e.tool = Some("get_lab_results".into());
            let prev = out.last().map(|r| (r.seq, r.hash.as_str()));
            out.push(chain(&ChainKey::demo(), e, prev));
        }
        out
    }

    fn key() -> ChainKey {
        ChainKey::demo()
    }

    fn head(c: &[ChainedRecord]) -> Option<(i64, &str)> {
        c.last().map(|r| (r.seq, r.hash.as_str()))
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = sample_chain(5);
        let r = verify_chain(&key(), &c, head(&c));
        assert!(r.ok, "{r:?}");
        assert_eq!(r.records_checked, 5);
        assert!(verify_chain(&key(), &[], None).ok);
    }

    #[test]
    fn audit_chain_detects_an_edited_record() {
        let mut c = sample_chain(5);
        let h = c[4].hash.clone();
        c[2].entry.outcome = Outcome::Denied;
        let r = verify_chain(&key(), &c, Some((5, &h)));
        assert_eq!(r.first_broken_seq, Some(3), "{r:?}");
    }

    #[test]
    fn audit_chain_detects_a_deleted_record() {
        let mut c = sample_chain(5);
        let h = c[4].hash.clone();
        c.remove(1);
        assert_eq!(
            verify_chain(&key(), &c, Some((5, &h))).first_broken_seq,
            Some(2)
        );
    }

    #[test]
    fn audit_chain_detects_a_deleted_last_record() {
        let mut c = sample_chain(5);
        let h = c[4].hash.clone();
        c.pop();
        assert_eq!(
            verify_chain(&key(), &c, Some((5, &h))).first_broken_seq,
            Some(5)
        );
    }

    #[test]
    fn audit_chain_detects_an_inserted_record() {
        let mut c = sample_chain(5);
        let h = c[4].hash.clone();
        let mut forged = c[2].clone();
        forged.entry.actor = "mallory".into();
        forged.hash = keyed_chain_hash(&key(), forged.seq, &forged.entry, &forged.prev_hash);
        c.insert(3, forged);
        assert!(!verify_chain(&key(), &c, Some((5, &h))).ok);
    }

    #[test]
    fn audit_chain_detects_reordered_records() {
        let mut c = sample_chain(5);
        let h = c[4].hash.clone();
        // Swap the contents of records 2 and 3 but keep their sequence numbers.
        let (a, b) = (c[1].entry.clone(), c[2].entry.clone());
        c[1].entry = b;
        c[2].entry = a;
        assert_eq!(
            verify_chain(&key(), &c, Some((5, &h))).first_broken_seq,
            Some(2)
        );
    }

    #[test]
    fn exports_quote_csv_cells_and_map_to_fhir_audit_events() {
        let mut r = sample_chain(1).remove(0);
        r.entry.reason = Some("=HYPERLINK(\"x\")".into());
        r.entry.outcome = Outcome::Denied;
        let row = export::csv_row(&r);
        assert!(row.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{row}");
        assert_eq!(
            row.split("\",\"").count(),
            export::CSV_HEADER.split(',').count()
        );
        let f = export::fhir_audit_event(&r);
        assert_eq!(f["resourceType"], "AuditEvent");
        assert_eq!(f["outcome"], "4");
        assert_eq!(f["entity"][0]["what"]["reference"], "Patient/PAT-000");
    }

    #[test]
    fn every_field_is_covered_by_the_hash() {
        let base = sample_chain(1).remove(0);
        type Edit = Box<dyn Fn(&mut AuditEntry)>;
        let edits: Vec<Edit> = vec![
            Box::new(|e| e.occurred_at += chrono::Duration::microseconds(1)),
            Box::new(|e| e.actor.push('x')),
            Box::new(|e| e.roles.push('x')),
            Box::new(|e| e.client_ip = Some("10.0.0.1".into())),
            Box::new(|e| e.request_id = Some("r".into())),
            Box::new(|e| e.action = AuditAction::Login),
            Box::new(|e| e.patient_id = None),
            Box::new(|e| e.tool = None),
            Box::new(|e| e.arguments = Some("{}".into())),
            Box::new(|e| e.outcome = Outcome::Error),
            Box::new(|e| e.reason = Some("x".into())),
            Box::new(|e| e.session_id = Some("s".into())),
        ];
        for (i, edit) in edits.iter().enumerate() {
            let mut e = base.entry.clone();
            edit(&mut e);
            assert_ne!(
                keyed_chain_hash(&key(), 1, &e, GENESIS_HASH),
                base.hash,
                "field {i}"
            );
        }
    }

    #[test]
    fn a_chain_re_hashed_without_the_key_does_not_verify() {
        let mut c = sample_chain(4);
        // Someone with write access edits record 2 and re-hashes from there on, with the
        // unkeyed hash (or any key but the audit key).
        c[1].entry.outcome = Outcome::Denied;
        for i in 1..c.len() {
            c[i].prev_hash = c[i - 1].hash.clone();
            c[i].hash = chain_hash(c[i].seq, &c[i].entry, &c[i].prev_hash);
        }
        let h = c[3].hash.clone();
        let r = verify_chain(&key(), &c, Some((4, &h)));
        assert_eq!(r.first_broken_seq, Some(2), "{r:?}");
        assert!(r.problem.unwrap().contains("without the audit key"));
        let wrong = ChainKey::new(b"another key".to_vec());
        for i in 1..c.len() {
            c[i].prev_hash = c[i - 1].hash.clone();
            c[i].hash = keyed_chain_hash(&wrong, c[i].seq, &c[i].entry, &c[i].prev_hash);
        }
        let h = c[3].hash.clone();
        assert_eq!(
            verify_chain(&key(), &c, Some((4, &h))).first_broken_seq,
            Some(2)
        );
    }

    #[test]
    fn records_before_keyed_from_verify_with_the_legacy_hash() {
        let mut c = sample_chain(3);
        for i in 0..2 {
            if i > 0 {
                c[i].prev_hash = c[i - 1].hash.clone();
            }
            c[i].hash = chain_hash(c[i].seq, &c[i].entry, &c[i].prev_hash);
        }
        c[2].prev_hash = c[1].hash.clone();
        c[2].hash = keyed_chain_hash(&key(), 3, &c[2].entry, &c[2].prev_hash);
        let mut v = ChainVerifier::new(key(), 3, vec![]);
        c.iter().for_each(|r| v.push(r));
        assert!(v.finish(head(&c)).ok);
        // Claiming the whole chain is legacy does not help: record 3 is keyed.
        let mut v = ChainVerifier::new(key(), 1, vec![]);
        c.iter().for_each(|r| v.push(r));
        assert_eq!(v.finish(head(&c)).first_broken_seq, Some(1));
    }

    #[test]
    fn signed_checkpoints_catch_a_rewrite_with_the_key_and_forged_checkpoints() {
        let c = sample_chain(5);
        let t = c[2].entry.occurred_at;
        let cp = Checkpoint::sign(&key(), 3, &c[2].hash, 1, t);
        assert!(cp.signature_holds(&key()));
        let mut v = ChainVerifier::new(key(), 1, vec![cp.clone()]);
        c.iter().for_each(|r| v.push(r));
        let r = v.finish(head(&c));
        assert!(r.ok, "{r:?}");
        assert_eq!(r.checkpoints_checked, 1);

        // Rewritten with the key from record 2 on: every hash verifies, the checkpoint not.
        let mut forged = c.clone();
        forged[1].entry.actor = "mallory".into();
        for i in 1..forged.len() {
            forged[i].prev_hash = forged[i - 1].hash.clone();
            forged[i].hash = keyed_chain_hash(
                &key(),
                forged[i].seq,
                &forged[i].entry,
                &forged[i].prev_hash,
            );
        }
        assert!(verify_chain(&key(), &forged, head(&forged)).ok);
        let mut v = ChainVerifier::new(key(), 1, vec![cp.clone()]);
        forged.iter().for_each(|r| v.push(r));
        let r = v.finish(head(&forged));
        assert_eq!(r.first_broken_seq, Some(3), "{r:?}");
        assert!(r.problem.unwrap().contains("checkpoint"));

        // A checkpoint altered or signed with another key is reported.
        let mut altered = cp.clone();
        altered.head_hash = c[3].hash.clone();
        let other = Checkpoint::sign(&ChainKey::new(b"x".to_vec()), 3, &c[2].hash, 1, t);
        for bad in [altered, other] {
            let mut v = ChainVerifier::new(key(), 1, vec![bad]);
            c.iter().for_each(|r| v.push(r));
            assert!(!v.finish(head(&c)).ok);
        }

        // A checkpoint beyond the end: records were removed from the end (and the head).
        let late = Checkpoint::sign(&key(), 5, &c[4].hash, 1, t);
        let short = &c[..4];
        let mut v = ChainVerifier::new(key(), 1, vec![late]);
        short.iter().for_each(|r| v.push(r));
        assert_eq!(v.finish(head(short)).first_broken_seq, Some(5));
    }
}

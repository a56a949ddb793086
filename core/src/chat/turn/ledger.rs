//! The ledger of a turn's writes: the only code of the turn that builds a [`Batch`] and
//! reads its answers. A turn writes in three kinds of serialised transaction, each one
//! batch (one call on SQLite):
//!
//! - [`open`]: claim the session (its turn lease, its patient, its title, the vault as
//!   the opening request left it), take a rate-limit slot, reserve the first provider
//!   call's budget, store the clinician's message and record the disclosure;
//! - [`between_calls`]: settle the last provider call, store what the clinician saw,
//!   reserve the next call's budget, record its disclosure, store the vault;
//! - [`finish`]: settle, store the rest (the reply), drop the reply's checkpoint, store
//!   the vault and release the lease.
//!
//! What the clinician has seen is owed to the next of these ([`Owed`]).

use super::rules;
use crate::audit;
use crate::chat::checkpoint;
use crate::chat::limits::{self, PendingReservation, Reservation, ReservationWrites};
use crate::chat::sessions::{self, NewMessage, DEFAULT_TITLE};
use crate::db::{self, Answer, Answering, Batch, BatchRows, Sql};
use crate::entity::chat_sessions;
use crate::error::Result;
use crate::ids::{SessionId, UserId};
use crate::privacy;
use crate::usage::{self, Budgets};
use crate::{Caller, Ward};
use chrono::Utc;
use sea_orm::FromQueryResult;
use ward_domain::audit::{AuditAction, Outcome};
use ward_domain::pricing::MicroUsd;
use ward_phi::{DisclosureTally, SessionVault};

/// What the clinician has seen and the turn has not written yet: messages (each with its
/// id and position) and the settlement of the last provider call.
pub struct Owed {
    position: i64,
    messages: Vec<(String, i64, NewMessage)>,
    unsettled: Option<(Reservation, u64, u64)>,
}

impl Owed {
    /// Nothing owed yet; the next message takes `position`.
    pub fn new(position: i64) -> Owed {
        Owed {
            position,
            messages: vec![],
            unsettled: None,
        }
    }

    /// The position the next message takes.
    pub fn position(&self) -> i64 {
        self.position
    }

    /// Queues a message for the next transaction and returns its id.
    pub fn message(&mut self, m: NewMessage) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.messages.push((id.clone(), self.position, m));
        self.position += 1;
        id
    }

    /// Queues the settlement of a provider call's reservation at its real usage.
    pub fn settlement(&mut self, r: Reservation, prompt: u64, completion: u64) {
        self.unsettled = Some((r, prompt, completion));
    }

    /// Adds what is owed to `batch`: the settlement (linked to `reply`, the message it
    /// paid for, if any) and the messages. Call [`Owed::paid`] after the commit.
    fn add_to(&self, ward: &Ward, batch: &mut Batch, session_id: &SessionId, reply: Option<&str>) {
        if let Some((r, prompt, completion)) = &self.unsettled {
            for s in limits::settlement(ward, r, *prompt, *completion, reply) {
                batch.add(s);
            }
        }
        if let Some(s) = sessions::insert_write(session_id, &self.messages) {
            batch.add(s);
        }
    }

    /// Forgets what a committed transaction wrote.
    fn paid(&mut self) {
        self.messages.clear();
        self.unsettled = None;
    }
}

/// A reservation's statements added to a batch, and where their answers are.
struct ReservationAnswers {
    pending: PendingReservation,
    user_counter: Answer,
    global_counter: Answer,
    usage_row: Answer,
}

impl ReservationAnswers {
    fn add(batch: &mut Batch, (pending, writes): (PendingReservation, ReservationWrites)) -> Self {
        ReservationAnswers {
            pending,
            user_counter: batch.answer(writes.user_counter),
            global_counter: batch.answer(writes.global_counter),
            usage_row: batch.answer(writes.usage_row),
        }
    }

    fn granted(self, rows: &BatchRows) -> Result<Reservation> {
        self.pending.granted(
            rows.first(self.user_counter),
            rows.first(self.global_counter),
            rows.first(self.usage_row),
        )
    }
}

/// The claim of the session for one turn, in one statement: it takes the turn lease,
/// binds the session to the named patient (if it has none), titles it after its first
/// message, and answers with the row. The claim holds only if the session is still as
/// `seen` (owner, `updated_at`, no unexpired lease): every turn, rename and archive moves
/// `updated_at`, so the vault and history the opening request was protected with are
/// still the session's. It stores the vault as the opening request left it, so what this
/// turn's stored messages replaced is never forgotten, even if the turn dies before its
/// end.
fn claim(
    ward: &Ward,
    seen: &chat_sessions::Model,
    first_text: &str,
    named: &[String],
    vault: String,
) -> Answering {
    let now = Utc::now();
    let lease = rules::turn_lease(ward.config.llm_timeout, ward.config.llm_max_tool_rounds);
    Answering::returning(
        "UPDATE chat_sessions SET turn_lease_until = $1, updated_at = $2, \
         patient_id = COALESCE(patient_id, $3), phi_vault = $9, turn_replica = $10, \
         title = CASE WHEN title = $4 AND NOT EXISTS (SELECT 1 FROM chat_messages WHERE session_id = $5) \
                 THEN $6 ELSE title END \
         WHERE id = $5 AND user_id = $7 AND updated_at = $8 \
         AND (turn_lease_until IS NULL OR turn_lease_until < $2)",
        "*",
        [
            (now + lease).into(),
            now.into(),
            rules::named_patient(named).into(),
            DEFAULT_TITLE.into(),
            seen.id.clone().into(),
            rules::title_of(first_text).into(),
            seen.user_id.into(),
            seen.updated_at.into(),
            vault.into(),
            ward.replica_id.clone().into(),
        ],
    )
}

/// The record of what one provider request disclosed (counts by type, no PHI).
fn disclosure(
    ward: &Ward,
    user_id: UserId,
    session_id: &SessionId,
    tally: &DisclosureTally,
) -> Sql {
    Sql::new(
        "INSERT INTO phi_disclosures (user_id, session_id, provider, model, mode, tally, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [
            user_id.into(),
            session_id.into(),
            ward.provider.kind().into(),
            ward.provider.model().into(),
            ward.config.phi_mode.to_string().into(),
            serde_json::to_string(tally).unwrap_or_default().into(),
            Utc::now().into(),
        ],
    )
}

/// The session's vault, stored.
fn vault_write(session_id: &SessionId, stored_vault: String) -> Sql {
    Sql::new(
        "UPDATE chat_sessions SET phi_vault = $1 WHERE id = $2",
        [stored_vault.into(), session_id.into()],
    )
}

/// What [`open`] is given: the session as read and what the opening request made of the
/// clinician's message.
pub struct Opening<'a> {
    /// The caller.
    pub caller: &'a Caller,
    /// The session as it was read.
    pub seen: &'a chat_sessions::Model,
    /// The session's id.
    pub session_id: &'a SessionId,
    /// The clinician's message, cleaned.
    pub text: &'a str,
    /// Its provider form, as stored beside it.
    pub provider_text: Option<String>,
    /// The patients it names.
    pub named: &'a [String],
    /// The vault as the opening request left it, stored.
    pub stored_vault: String,
    /// The budgets in force.
    pub budgets: &'a Budgets,
    /// The first provider call's reservation.
    pub first_cost: MicroUsd,
    /// What the opening request discloses.
    pub tally: &'a DisclosureTally,
}

/// What [`open`] committed.
pub struct Opened {
    /// The session as claimed.
    pub session: chat_sessions::Model,
    /// The first provider call's reservation.
    pub reservation: Reservation,
    /// The clinician's message's position.
    pub position: i64,
}

/// The turn's first transaction. `Ok(None)` if the session changed since it was read
/// (nothing is written; the caller reads again). A rate or budget refusal rolls back, is
/// audited as `limit_reached` and returned.
pub async fn open(ward: &Ward, o: Opening<'_>) -> Result<Option<Opened>> {
    let user_id = o.caller.principal.id;
    let limit = ward.config.rate_limit_per_hour;
    let mut batch = Batch::new(ward.db.get_database_backend());
    let claimed = batch.answer(claim(ward, o.seen, o.text, o.named, o.stored_vault));
    let rate = limits::rate_check(batch.backend(), user_id, limit);
    for w in rate.writes {
        batch.add(w);
    }
    let slot = batch.answer(rate.slot);
    let reservation = ReservationAnswers::add(
        &mut batch,
        limits::reservation(ward, o.budgets, user_id, o.session_id, o.first_cost),
    );
    let message = batch.answer(sessions::append_write(
        o.session_id,
        &NewMessage {
            role: "user",
            content: o.text.to_string(),
            provider_content: o.provider_text,
            ..Default::default()
        },
    ));
    batch.add(disclosure(ward, user_id, o.session_id, o.tally));

    let txn = db::begin_serialized(&ward.db).await?;
    let rows = match batch.query_all(&txn).await {
        Ok(rows) => rows,
        Err(e) => {
            txn.rollback().await?;
            return Err(e.into());
        }
    };
    let Some(row) = rows.first(claimed) else {
        txn.rollback().await?;
        return Ok(None);
    };
    let session = chat_sessions::Model::from_query_result(row, "")?;
    let gated = if rows.first(slot).is_some() {
        reservation.granted(&rows)
    } else {
        Err(limits::rate_refusal(&txn, user_id, limit).await?)
    };
    let reservation = match gated {
        Ok(r) => r,
        Err(e) => {
            txn.rollback().await?;
            let mut entry = o.caller.entry(AuditAction::LimitReached, Outcome::Denied);
            entry.session_id = Some(session.id.clone());
            entry.reason = Some(e.code.to_string());
            audit::append(&ward.db, entry).await?;
            return Err(e);
        }
    };
    let position = sessions::appended_of(rows.first(message))?;
    txn.commit().await?;
    Ok(Some(Opened {
        session,
        reservation,
        position,
    }))
}

/// Before a later round's provider call, in one serialised transaction: settle the last
/// call, store the tool results the clinician saw, reserve `cost` for this call and
/// record what it discloses, and store the vault as this call's messages left it (so what
/// they replaced is never forgotten). A refusal rolls the whole batch back and leaves
/// what is owed to the turn's end.
pub async fn between_calls(
    ward: &Ward,
    user_id: UserId,
    session_id: &SessionId,
    owed: &mut Owed,
    cost: MicroUsd,
    tally: &DisclosureTally,
    vault: &SessionVault,
) -> Result<Reservation> {
    let budgets = usage::budgets(ward).await?;
    let mut batch = Batch::new(ward.db.get_database_backend());
    owed.add_to(ward, &mut batch, session_id, None);
    let reservation = ReservationAnswers::add(
        &mut batch,
        limits::reservation(ward, &budgets, user_id, session_id, cost),
    );
    batch.add(disclosure(ward, user_id, session_id, tally));
    batch.add(vault_write(session_id, privacy::store_vault(vault)?));
    let txn = db::begin_serialized(&ward.db).await?;
    let granted = match batch.query_all(&txn).await {
        Ok(rows) => reservation.granted(&rows),
        Err(e) => Err(e.into()),
    };
    let r = match granted {
        Ok(r) => r,
        Err(e) => {
            txn.rollback().await?;
            return Err(e);
        }
    };
    txn.commit().await?;
    owed.paid();
    Ok(r)
}

/// The end of a turn, in one serialised transaction: what is still owed (the settlement
/// linked to `reply`, the reply's id), the session's vault, the release of its lease,
/// and the removal of the reply's checkpoint (if one was written).
pub async fn finish(
    ward: &Ward,
    session_id: &SessionId,
    vault: &SessionVault,
    owed: &Owed,
    reply: Option<&str>,
    checkpointed: bool,
) -> Result<()> {
    let stored_vault = privacy::store_vault(vault)?;
    let mut batch = Batch::new(ward.db.get_database_backend());
    owed.add_to(ward, &mut batch, session_id, reply);
    if checkpointed {
        batch.add(checkpoint::clear(session_id));
    }
    batch.add(Sql::new(
        "UPDATE chat_sessions SET phi_vault = $1, updated_at = $2, turn_lease_until = NULL WHERE id = $3",
        [stored_vault.into(), Utc::now().into(), session_id.into()],
    ));
    batch
        .execute_and_commit(db::begin_serialized(&ward.db).await?)
        .await?;
    Ok(())
}

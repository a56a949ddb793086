//! One chat turn, behind `POST /frontend/api/chat/message/`, by concern:
//!
//! - [`begin_turn`] (here) runs before any byte is streamed: it cleans the message, reads
//!   what the turn needs ([`reads`]: the caller, the session, the patients the message
//!   names, the budgets, the history, in one batch), protects the opening request
//!   ([`crate::privacy::opening_request`], outside any lock), and opens the turn in one
//!   serialised transaction ([`ledger::open`]: the session's lease, a rate-limit slot,
//!   the first call's reservation, the clinician's message, the disclosure). Any refusal
//!   is an HTTP error (400, 401, 404, 409, 429); a session changed in between is read
//!   again.
//! - [`run_turn`] ([`driver`]) then streams: it sends the protected conversation to the
//!   provider, streams restored text deltas, assembles tool calls, runs each through
//!   [`crate::tools::call_tool`] with the session's binding, and sends the protected,
//!   framed result back, for at most `LLM_MAX_TOOL_ROUNDS` rounds. Every event the
//!   clinician sees is owed to the turn's next transaction ([`ledger::between_calls`],
//!   [`ledger::finish`]), so history after a reload shows the same conversation; the
//!   reply is also checkpointed as it streams ([`crate::chat::checkpoint`]), so a turn
//!   whose process dies is recovered with what was shown ([`crate::chat::recovery`]).
//! - [`rules`] holds what needs no I/O: the bounds, tool-call assembly, estimates, the
//!   title and lease, which patients a turn may touch.
//! - [`ledger`] is the only code of the turn that writes: it alone builds a
//!   [`crate::db::Batch`] and reads its answers.

pub mod driver;
pub mod ledger;
pub mod reads;
pub mod rules;

pub use driver::{ndjson_line, run_turn};
pub use reads::message_count;
pub use rules::{HISTORY_MESSAGES, MAX_CALLS_PER_ROUND, MAX_REPLY_CHARS};

use crate::audit;
use crate::chat::framing::SYSTEM_PROMPT;
use crate::chat::limits::Reservation;
use crate::chat::provider::ModelMessage;
use crate::chat::recovery;
use crate::entity::chat_sessions;
use crate::error::{Error, ErrorKind, Result};
use crate::ids::{SessionId, UserId};
use crate::privacy::{self, Protected};
use crate::{Caller, TokenCaller, Ward};
use reads::TurnContext;
use ward_domain::audit::{AuditAction, Outcome};
use ward_domain::chat::{clean_message, CleanMessage};
use ward_phi::{DisclosureTally, SessionVault};

/// The 409 for a second turn while a reply still streams in the session.
fn session_busy() -> Error {
    Error::new(
        ErrorKind::Conflict,
        "session_busy",
        "A reply is still streaming in this session; wait for it or stop it.",
    )
}

/// Refuses a turn in a session that is archived or has a reply streaming.
fn check_open(session: &chat_sessions::Model) -> Result<()> {
    if session.is_archived {
        return Err(Error::new(
            ErrorKind::Conflict,
            "session_archived",
            "This session is archived; unarchive it to continue, or start a new one.",
        ));
    }
    if session
        .turn_lease_until
        .is_some_and(|t| t >= chrono::Utc::now())
    {
        return Err(session_busy());
    }
    Ok(())
}

/// A turn that passed every gate and is ready to stream.
pub struct Turn {
    ward: Ward,
    caller: Caller,
    id: SessionId,
    session: chat_sessions::Model,
    allowed_patients: Vec<String>,
    reservation: Reservation,
    next_position: i64,
    /// The session's surrogates, as the opening request was protected with them.
    vault: SessionVault,
    /// The first provider request's conversation, protected (system prompt, history, the
    /// new message).
    opening: Vec<ModelMessage>,
    /// What the opening request discloses (already recorded).
    tally: DisclosureTally,
}

impl Turn {
    /// The session id.
    pub fn session_id(&self) -> &SessionId {
        &self.id
    }

    /// The caller's user id.
    pub fn user_id(&self) -> UserId {
        self.caller.principal.id
    }

    /// The OpenTelemetry span of this turn (session id and user id; no text).
    pub fn span(&self) -> crate::spans::WardSpan {
        crate::spans::WardSpan::chat_turn(self.id.as_str(), self.caller.principal.id.get())
    }
}

/// Everything before the stream: validation, caller, session, rate limit, first
/// reservation, storing the clinician's message. Errors here are HTTP errors.
///
/// The reads and the PHI protection of the opening request happen first, outside any lock;
/// then one serialised transaction opens the turn ([`ledger::open`]). If the session
/// changed in between (a turn ended, a rename), it starts over.
pub async fn begin_turn(
    ward: &Ward,
    who: &TokenCaller,
    session_id: &str,
    raw: &str,
) -> Result<Turn> {
    let clean = clean_message(raw).map_err(|e| Error::bad_request(e.code(), e.to_string()))?;
    let session_id = SessionId::parse(session_id)?;
    for _ in 0..3 {
        let context = TurnContext::read(ward, who, &session_id, &clean.text).await?;
        if let Err(busy) = check_open(&context.session) {
            // A lease held by a dead replica's turn is taken over at once.
            if busy.code == "session_busy" && recovery::take_over(ward, &session_id).await? {
                continue;
            }
            return Err(busy);
        }
        if let Some(turn) = try_begin(ward, &clean, &session_id, context).await? {
            return Ok(turn);
        }
    }
    Err(session_busy())
}

/// One attempt of [`begin_turn`] against the session as read; `None` if it changed.
async fn try_begin(
    ward: &Ward,
    clean: &CleanMessage,
    session_id: &SessionId,
    context: TurnContext,
) -> Result<Option<Turn>> {
    let TurnContext {
        caller,
        session: seen,
        named,
        budgets,
        history,
    } = context;
    let mut vault = privacy::load_vault(seen.phi_vault.as_deref())?;
    let mut tally = DisclosureTally::default();
    let (opening, protected_text) = privacy::opening_request(
        &ward.phi,
        ward.config.phi_mode,
        Protected::ward_text(SYSTEM_PROMPT),
        history,
        &clean.text,
        &mut vault,
        &mut tally,
    )?;
    let first_cost = ward.prices.reservation(
        ward.provider.model(),
        rules::opening_prompt_estimate(&clean.text),
        ward.config.llm_max_tokens as u64,
    );
    let opened = ledger::open(
        ward,
        ledger::Opening {
            caller: &caller,
            seen: &seen,
            session_id,
            text: &clean.text,
            provider_text: protected_text.stored(),
            named: &named,
            stored_vault: privacy::store_vault(&vault)?,
            budgets: &budgets,
            first_cost,
            tally: &tally,
        },
    )
    .await?;
    let Some(opened) = opened else {
        return Ok(None);
    };
    let session = opened.session;

    if !clean.injection_patterns.is_empty() {
        let mut e = caller.entry(AuditAction::InjectionFlagged, Outcome::Ok);
        e.session_id = Some(session.id.clone());
        e.reason = Some(format!("patterns: {}", clean.injection_patterns.join(", ")));
        audit::append(&ward.db, e).await?;
    }
    Ok(Some(Turn {
        ward: ward.clone(),
        caller,
        id: session_id.clone(),
        allowed_patients: rules::allowed_patients(session.patient_id.as_deref(), named),
        session,
        reservation: opened.reservation,
        next_position: opened.position + 1,
        vault,
        opening,
        tally,
    }))
}

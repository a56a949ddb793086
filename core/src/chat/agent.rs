//! The agent loop behind `POST /frontend/api/chat/message/`.
//!
//! A turn has two phases. [`begin_turn`] runs before any byte is streamed: it cleans the
//! message, checks the session, and in one serialised transaction takes the session's turn
//! lease (one turn at a time, on any replica), a rate-limit slot, reserves the first
//! provider call's budget and stores the clinician's message; any
//! refusal is an HTTP error (400, 404, 409, 429). [`run_turn`] then streams: it sends the
//! protected conversation to the provider, streams restored text deltas, assembles
//! tool-call deltas, runs each call through [`crate::tools::call_tool`] (schema, policy,
//! session binding, masking, audit) and sends the protected, framed result back, for at
//! most `LLM_MAX_TOOL_ROUNDS` rounds. Every event the clinician sees is stored, so history
//! after a reload shows the same conversation. If the client goes away the provider call
//! is dropped (cancelled) and the partial reply is stored marked incomplete. The reply is
//! also persisted as it streams ([`crate::chat::checkpoint`]), so a turn whose process dies
//! is recovered with what was shown ([`crate::chat::recovery`]).

use crate::audit;
use crate::chat::checkpoint::{self, Checkpoint};
use crate::chat::framing::{self, SYSTEM_PROMPT};
use crate::chat::limits::{self, Reservation};
use crate::chat::outbox::OutboxSender;
use crate::chat::provider::{
    estimated_prompt_tokens, ModelEvent, ModelMessage, ModelOutput, ModelRequest, ModelTool,
    ModelToolCall, ProviderError,
};
use crate::chat::recovery;
use crate::chat::sessions::{self, NewMessage, DEFAULT_TITLE};
use crate::db::{self, statement, Batch, BatchRows, STEP_COLUMN};
use crate::entity::chat_sessions;
use crate::error::{Error, ErrorKind, Result};
use crate::identity::{login, users};
use crate::privacy::{self, PastMessage, Protected};
use crate::tools::{call_tool, Door, SessionBinding, ToolRequest};
use crate::usage;
use crate::{Caller, TokenCaller, Ward};
use bytes::Bytes;
use chrono::{SecondsFormat, Utc};
use futures::StreamExt;
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde_json::{json, Value};
use ward_domain::audit::{AuditAction, Outcome};
use ward_domain::chat::{
    clean_message, ChatEvent, ChatEventKind, CleanMessage, FunctionCall, ToolStatus, Usage,
};
use ward_domain::pricing::{estimate_tokens, to_usd, MicroUsd};
use ward_phi::{DisclosureTally, SessionVault};

/// The most tool calls honoured in one round; more are refused.
pub const MAX_CALLS_PER_ROUND: usize = 8;
/// The longest reply streamed in one turn, in characters.
pub const MAX_REPLY_CHARS: usize = 24_000;
/// How many earlier messages of the session are sent as context.
pub const HISTORY_MESSAGES: u64 = 20;

/// The 409 for a second turn while a reply still streams in the session.
fn session_busy() -> Error {
    Error::new(
        ErrorKind::Conflict,
        "session_busy",
        "A reply is still streaming in this session; wait for it or stop it.",
    )
}

/// How long a turn may hold its session's lease: every provider call timing out, plus a
/// margin for the tools, at most a day. A replica that dies mid-turn blocks the session
/// for at most this, or until its heartbeat is seen stale (`chat::recovery`).
fn turn_lease(ward: &Ward) -> chrono::Duration {
    let calls = ward.config.llm_max_tool_rounds.saturating_add(1);
    let provider = ward
        .config
        .llm_timeout
        .checked_mul(calls)
        .and_then(|d| chrono::Duration::from_std(d).ok())
        .unwrap_or(chrono::Duration::MAX);
    provider.min(chrono::Duration::days(1)) + chrono::Duration::seconds(60)
}

/// The batch step that answers with the claimed session's row.
const CLAIM_STEP: &str = "claim";

/// Adds to `batch` the claim of the session for one turn, in one statement: it takes the
/// turn lease, binds the session to the named patient (if it has none), titles it after
/// its first message, and returns the row ([`claimed`] reads it). The claim holds only if
/// the session is still as `seen` (owner, `updated_at`, no unexpired lease): every turn,
/// rename and archive moves `updated_at`, so the vault and history the opening request was
/// protected with are still the session's. It stores the vault as the opening request left
/// it, so what this turn's stored messages replaced is never forgotten, even if the turn
/// dies before its end.
fn push_claim(
    ward: &Ward,
    batch: &mut Batch,
    seen: &chat_sessions::Model,
    first_text: &str,
    named: &[String],
    vault: String,
) {
    let now = Utc::now();
    let named_patient = (named.len() == 1).then(|| named[0].clone());
    let mut title: String = first_text.chars().take(60).collect();
    if first_text.chars().count() > 60 {
        title.push('…');
    }
    batch.push(
        format!(
            "UPDATE chat_sessions SET turn_lease_until = $1, updated_at = $2, \
             patient_id = COALESCE(patient_id, $3), phi_vault = $9, turn_replica = $10, \
             title = CASE WHEN title = $4 AND NOT EXISTS (SELECT 1 FROM chat_messages WHERE session_id = $5) \
                     THEN $6 ELSE title END \
             WHERE id = $5 AND user_id = $7 AND updated_at = $8 \
             AND (turn_lease_until IS NULL OR turn_lease_until < $2) \
             RETURNING *, '{CLAIM_STEP}' AS {STEP_COLUMN}"
        ),
        [
            (now + turn_lease(ward)).into(),
            now.into(),
            named_patient.into(),
            DEFAULT_TITLE.into(),
            seen.id.clone().into(),
            title.into(),
            seen.user_id.into(),
            seen.updated_at.into(),
            vault.into(),
            ward.replica_id.clone().into(),
        ],
    );
}

/// The session as claimed by [`push_claim`]; `None` means it changed since it was read.
fn claimed(rows: &BatchRows) -> Result<Option<chat_sessions::Model>> {
    rows.step(CLAIM_STEP)
        .map(|row| chat_sessions::Model::from_query_result(row, ""))
        .transpose()
        .map_err(Error::from)
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
    if session.turn_lease_until.is_some_and(|t| t >= Utc::now()) {
        return Err(session_busy());
    }
    Ok(())
}

/// A turn that passed every gate and is ready to stream.
pub struct Turn {
    ward: Ward,
    caller: Caller,
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
    pub fn session_id(&self) -> &str {
        &self.session.id
    }

    /// The OpenTelemetry span of this turn (session id and user id; no text).
    pub fn span(&self) -> crate::spans::WardSpan {
        crate::spans::WardSpan::chat_turn(&self.session.id, self.caller.principal.id)
    }
}

/// The batch step that answers with the patients a message names.
const NAMED_STEP: &str = "named_patient";

/// Adds to `batch` the look-up of the patients the clinician names in a message: known
/// patient ids, MRNs, and "Given Family" pairs of words that are a patient's name, in one
/// statement; [`named_from`] reads them.
fn push_named_patients(batch: &mut Batch, text: &str) {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || ",;:!?()[]{}\"".contains(c))
        .map(|w| {
            w.trim_end_matches('.')
                .trim_end_matches("'s")
                .trim_end_matches('\u{2019}')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .take(400)
        .collect();
    let mut ids: Vec<String> = words
        .iter()
        .filter(|w| w.len() <= 64 && w.chars().any(|c| c.is_ascii_digit()))
        .cloned()
        .collect();
    ids.sort();
    ids.dedup();
    ids.truncate(50);
    let mut pairs = vec![];
    for w in words.windows(2) {
        let cap = |s: &str| s.chars().next().is_some_and(char::is_uppercase);
        if cap(&w[0]) && cap(&w[1]) && pairs.len() < 50 {
            pairs.push((w[0].to_lowercase(), w[1].to_lowercase()));
        }
    }
    let mut values: Vec<sea_orm::Value> = vec![];
    let mut conditions = vec![];
    if !ids.is_empty() {
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        conditions.push(format!("id IN ({m}) OR mrn IN ({m})", m = marks.join(", ")));
        values.extend(ids.into_iter().map(Into::into));
    }
    for (given, family) in pairs {
        let n = values.len();
        conditions.push(format!(
            "(LOWER(given_name) = ${} AND LOWER(family_name) = ${})",
            n + 1,
            n + 2
        ));
        values.push(given.into());
        values.push(family.into());
    }
    if conditions.is_empty() {
        return;
    }
    batch.push(
        format!(
            "SELECT id, '{NAMED_STEP}' AS {STEP_COLUMN} FROM patients WHERE {}",
            conditions.join(" OR ")
        ),
        values,
    );
}

/// The patients [`push_named_patients`] found, sorted.
fn named_from(rows: &BatchRows) -> Result<Vec<String>> {
    let mut found = rows
        .steps(NAMED_STEP)
        .map(|r| r.try_get::<String>("", "id"))
        .collect::<Result<Vec<_>, _>>()?;
    found.sort();
    found.dedup();
    Ok(found)
}

/// What a turn reads before its first transaction, in one batch (one call on SQLite):
/// the caller (active, with their roles), their session, the patients the message names,
/// the budgets and the history.
struct TurnContext {
    caller: Caller,
    session: chat_sessions::Model,
    named: Vec<String>,
    budgets: usage::Budgets,
    history: Vec<PastMessage>,
}

impl TurnContext {
    /// 401 if the user is missing or inactive, then 404 if the session is not theirs.
    async fn read(ward: &Ward, who: &TokenCaller, session_id: &str, text: &str) -> Result<Self> {
        let mut batch = Batch::new(ward.db.get_database_backend());
        users::push_principal(&mut batch, who.user_id);
        sessions::push_owned(&mut batch, who.user_id, session_id);
        push_named_patients(&mut batch, text);
        usage::push_budget_settings(&mut batch);
        privacy::push_history(&mut batch, session_id, HISTORY_MESSAGES - 1);
        let rows = batch.query_all(&ward.db).await?;
        let principal = users::principal_from(&rows)?.ok_or_else(login::inactive_user)?;
        Ok(TurnContext {
            caller: Caller {
                principal,
                origin: who.origin.clone(),
            },
            session: sessions::owned_from(&rows)?,
            named: named_from(&rows)?,
            budgets: usage::budgets_from(ward, &rows),
            history: privacy::history_from(&rows)?,
        })
    }
}

/// Everything before the stream: validation, caller, session, rate limit, first
/// reservation, storing the clinician's message. Errors here are HTTP errors.
///
/// The reads and the PHI protection of the opening request happen first, outside any lock;
/// then one serialised transaction claims the session (see `claim_session`), takes a
/// rate-limit slot, reserves the first call's budget, stores the message and records the
/// disclosure. If the session changed in between (a turn ended, a rename), it starts over.
pub async fn begin_turn(
    ward: &Ward,
    who: &TokenCaller,
    session_id: &str,
    raw: &str,
) -> Result<Turn> {
    let clean = clean_message(raw).map_err(|e| Error::bad_request(e.code(), e.to_string()))?;
    let session_id = sessions::parse_id(session_id)?;
    for _ in 0..3 {
        let context = TurnContext::read(ward, who, &session_id, &clean.text).await?;
        if let Err(busy) = check_open(&context.session) {
            // A lease held by a dead replica's turn is taken over at once.
            if busy.code == "session_busy" && recovery::take_over(ward, &session_id).await? {
                continue;
            }
            return Err(busy);
        }
        if let Some(turn) = try_begin(ward, &clean, context).await? {
            return Ok(turn);
        }
    }
    Err(session_busy())
}

/// One attempt of [`begin_turn`] against the session as read; `None` if it changed.
async fn try_begin(
    ward: &Ward,
    clean: &CleanMessage,
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
    let stored_vault = privacy::store_vault(&vault)?;
    let prompt_estimate = estimate_tokens(&clean.text) + 1500;
    let first_cost = ward.prices.reservation(
        ward.provider.model(),
        prompt_estimate,
        ward.config.llm_max_tokens as u64,
    );

    let user_id = caller.principal.id;
    let mut batch = Batch::new(ward.db.get_database_backend());
    push_claim(ward, &mut batch, &seen, &clean.text, &named, stored_vault);
    limits::push_rate_slot(&mut batch, user_id, ward.config.rate_limit_per_hour);
    let pending =
        limits::push_reservation(ward, &mut batch, &budgets, user_id, &seen.id, first_cost);
    sessions::push_append(
        &mut batch,
        &seen.id,
        &NewMessage {
            role: "user",
            content: clean.text.clone(),
            provider_content: protected_text.stored(),
            ..Default::default()
        },
    );
    push_disclosure(ward, &mut batch, user_id, &seen.id, &tally);

    let txn = db::begin_serialized(&ward.db).await?;
    let rows = match batch.query_all(&txn).await {
        Ok(rows) => rows,
        Err(e) => {
            txn.rollback().await?;
            return Err(e.into());
        }
    };
    let Some(session) = claimed(&rows)? else {
        txn.rollback().await?;
        return Ok(None);
    };
    let gated = if limits::rate_slot_taken(&rows) {
        pending.granted(&rows)
    } else {
        Err(limits::rate_refusal(&txn, user_id, ward.config.rate_limit_per_hour).await?)
    };
    let reservation = match gated {
        Ok(r) => r,
        Err(e) => {
            txn.rollback().await?;
            let mut entry = caller.entry(AuditAction::LimitReached, Outcome::Denied);
            entry.session_id = Some(session.id.clone());
            entry.reason = Some(e.code.to_string());
            audit::append(&ward.db, entry).await?;
            return Err(e);
        }
    };
    let position = sessions::appended_position(&rows)?;
    txn.commit().await?;

    if !clean.injection_patterns.is_empty() {
        let mut e = caller.entry(AuditAction::InjectionFlagged, Outcome::Ok);
        e.session_id = Some(session.id.clone());
        e.reason = Some(format!("patterns: {}", clean.injection_patterns.join(", ")));
        audit::append(&ward.db, e).await?;
    }
    let mut allowed: Vec<String> = session.patient_id.iter().cloned().chain(named).collect();
    allowed.sort();
    allowed.dedup();
    Ok(Some(Turn {
        ward: ward.clone(),
        caller,
        session,
        allowed_patients: allowed,
        reservation,
        next_position: position + 1,
        vault,
        opening,
        tally,
    }))
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn event(kind: ChatEventKind) -> ChatEvent {
    ChatEvent {
        kind,
        timestamp: now(),
    }
}

/// Why a turn stopped early.
enum Stop {
    /// The client went away.
    Disconnected,
    /// An error the clinician is told about.
    Failed { code: String, message: String },
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Failed {
            code: e.code.to_string(),
            message: e.message,
        }
    }
}

/// The state of a streaming turn.
///
/// What the clinician has seen is written in the turn's next transaction: the messages in
/// `owed` and the settlement of the last provider call in `unsettled`. A turn has one
/// transaction between provider calls (settle, store, reserve, disclose) and one at its end
/// (settle, store, save the session and release its lease), so the database's write lock
/// is taken twice per tool-free turn.
struct Stream {
    /// The clinician's stream: each event as one NDJSON line (serialised here, so an
    /// open stream's queue holds compact bytes).
    tx: OutboxSender,
    /// The position of the next message.
    position: i64,
    /// Messages shown to the clinician, not yet stored: (id, position, message).
    owed: Vec<(String, i64, NewMessage)>,
    /// The last provider call, not yet settled: reservation, prompt and completion tokens.
    unsettled: Option<(Reservation, u64, u64)>,
    prompt_tokens: u64,
    completion_tokens: u64,
    cost: MicroUsd,
    /// The reply as it streams, persisted in batches (`chat::checkpoint`).
    checkpoint: Checkpoint,
}

impl Stream {
    async fn send(&self, kind: ChatEventKind) -> Result<(), Stop> {
        self.tx
            .send(ndjson_line(&event(kind)))
            .await
            .map_err(|_| Stop::Disconnected)
    }

    /// Queues a message for the next transaction and returns its id.
    fn owe(&mut self, m: NewMessage) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.owed.push((id.clone(), self.position, m));
        self.position += 1;
        id
    }

    /// Records a provider call's usage, to be settled in the next transaction.
    fn used(&mut self, ward: &Ward, r: Reservation, prompt: u64, completion: u64) {
        self.prompt_tokens += prompt;
        self.completion_tokens += completion;
        self.cost += ward
            .prices
            .price(ward.provider.model())
            .cost(prompt, completion);
        self.unsettled = Some((r, prompt, completion));
    }

    /// Adds what is owed to `batch`: the settlement (linked to `reply`, the message it
    /// paid for, if any) and the messages. Call [`Stream::paid`] after the commit.
    fn push_owed(&self, ward: &Ward, batch: &mut Batch, session_id: &str, reply: Option<&str>) {
        if let Some((r, prompt, completion)) = &self.unsettled {
            limits::push_settlement(ward, batch, r, *prompt, *completion, reply);
        }
        sessions::push_insert(batch, session_id, &self.owed);
    }

    /// Forgets what a committed transaction wrote.
    fn paid(&mut self) {
        self.owed.clear();
        self.unsettled = None;
    }
}

/// One event as a line of NDJSON (docs/contract.md §5).
pub fn ndjson_line(event: &ChatEvent) -> Bytes {
    let mut line = serde_json::to_vec(event).expect("chat events serialise");
    line.push(b'\n');
    Bytes::from(line)
}

/// Streams a turn, sending its events to `tx` as NDJSON lines. Runs to completion even if
/// the client leaves (then it stops the provider call and stores what it has).
pub async fn run_turn(mut turn: Turn, tx: OutboxSender) {
    let ward = turn.ward.clone();
    let _stream_guard = ward.metrics.open_stream();
    let mut vault = std::mem::replace(&mut turn.vault, SessionVault::new(0));
    let mut stream = Stream {
        tx,
        position: turn.next_position,
        owed: vec![],
        unsettled: None,
        prompt_tokens: 0,
        completion_tokens: 0,
        cost: 0,
        checkpoint: Checkpoint::new(&ward, &turn.session.id),
    };
    let opening = std::mem::take(&mut turn.opening);
    let tally = std::mem::take(&mut turn.tally);
    let outcome = converse(&turn, opening, tally, &mut vault, &mut stream).await;
    let mut failed = outcome.is_err();
    let reply = match outcome {
        Ok(reply) => Some(reply),
        Err(Stop::Failed { code, message }) => {
            let _ = stream
                .send(ChatEventKind::Error {
                    code: code.clone(),
                    message: message.clone(),
                })
                .await;
            stream.owe(NewMessage {
                role: "error",
                content: message,
                tool_result: Some(json!({"code": code})),
                ..Default::default()
            });
            None
        }
        Err(Stop::Disconnected) => None,
    };
    // One transaction stores the rest of the turn, keeps the session's surrogates for its
    // next turn (on any replica) and releases its lease, before the client sees the end
    // of the stream, so its next message never finds the session still busy.
    let reply_id = reply.as_ref().map(|(id, _)| id.as_str());
    let checkpointed = stream.checkpoint.stop().await;
    let finished = finish_turn(
        &ward,
        &turn.session.id,
        &vault,
        &stream,
        reply_id,
        checkpointed,
    )
    .await;
    match (finished, reply) {
        (Ok(()), Some((message_id, content))) => {
            let _ = stream
                .send(ChatEventKind::Message {
                    role: "assistant".into(),
                    content,
                })
                .await;
            let _ = stream
                .send(ChatEventKind::Done {
                    message_id,
                    usage: Usage {
                        prompt_tokens: stream.prompt_tokens,
                        completion_tokens: stream.completion_tokens,
                        cost_usd: to_usd(stream.cost),
                    },
                })
                .await;
        }
        (Ok(()), None) => {}
        (Err(e), reply) => {
            tracing::error!(error = %e, "could not store the end of a turn and release its session");
            if reply.is_some() {
                failed = true;
                let _ = stream
                    .send(ChatEventKind::Error {
                        code: "storage_unavailable".into(),
                        message: "Ward could not save this reply, so it is not in the session's history. Please try again.".into(),
                    })
                    .await;
            }
        }
    }
    // OpenTelemetry: the turn's counts, on its span (see `routes::chat::send_message`).
    crate::spans::record_turn_tokens(stream.prompt_tokens, stream.completion_tokens, failed);
    ward.metrics.chat_turn(failed);
}

/// The end of a turn, in one serialised transaction: what the stream still owes, the
/// session's vault, the release of its lease, and the removal of the reply's checkpoint
/// (if one was written).
async fn finish_turn(
    ward: &Ward,
    session_id: &str,
    vault: &SessionVault,
    stream: &Stream,
    reply: Option<&str>,
    checkpointed: bool,
) -> Result<()> {
    let stored_vault = privacy::store_vault(vault)?;
    let mut batch = Batch::new(ward.db.get_database_backend());
    stream.push_owed(ward, &mut batch, session_id, reply);
    if checkpointed {
        checkpoint::push_clear(&mut batch, session_id);
    }
    batch.push(
        "UPDATE chat_sessions SET phi_vault = $1, updated_at = $2, turn_lease_until = NULL WHERE id = $3",
        [
            stored_vault.into(),
            Utc::now().into(),
            session_id.into(),
        ],
    );
    batch
        .execute_and_commit(db::begin_serialized(&ward.db).await?)
        .await?;
    Ok(())
}

/// Adds to `batch` the record of what one provider request disclosed (counts by type, no
/// PHI).
fn push_disclosure(
    ward: &Ward,
    batch: &mut Batch,
    user_id: i64,
    session_id: &str,
    tally: &DisclosureTally,
) {
    batch.push(
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
    );
}

/// An assembled tool call.
#[derive(Default, Clone)]
struct PendingCall {
    id: ModelOutput,
    name: ModelOutput,
    arguments: ModelOutput,
}

/// Before a later round's provider call, in one serialised transaction: settle the last
/// call, store the tool results the clinician saw, reserve this call's budget and record
/// what it discloses.
async fn before_next_call(
    turn: &Turn,
    s: &mut Stream,
    messages: &[ModelMessage],
    tally: &DisclosureTally,
    vault: &SessionVault,
) -> Result<Reservation> {
    let ward = &turn.ward;
    let budgets = usage::budgets(ward).await?;
    let cost = ward.prices.reservation(
        ward.provider.model(),
        estimated_prompt_tokens(messages),
        ward.config.llm_max_tokens as u64,
    );
    let (user_id, session_id) = (turn.caller.principal.id, &turn.session.id);
    let mut batch = Batch::new(ward.db.get_database_backend());
    s.push_owed(ward, &mut batch, session_id, None);
    let pending = limits::push_reservation(ward, &mut batch, &budgets, user_id, session_id, cost);
    push_disclosure(ward, &mut batch, user_id, session_id, tally);
    // The vault as this call's messages left it, so what they replaced is never forgotten.
    batch.push(
        "UPDATE chat_sessions SET phi_vault = $1 WHERE id = $2",
        [privacy::store_vault(vault)?.into(), session_id.into()],
    );
    let txn = db::begin_serialized(&ward.db).await?;
    let granted = match batch.query_all(&txn).await {
        Ok(rows) => pending.granted(&rows),
        Err(e) => Err(e.into()),
    };
    // A refusal rolls the whole batch back and leaves what is owed to the turn's end.
    let r = match granted {
        Ok(r) => r,
        Err(e) => {
            txn.rollback().await?;
            return Err(e);
        }
    };
    txn.commit().await?;
    s.paid();
    Ok(r)
}

/// The provider rounds of a turn. Returns the final reply's id and text (owed to the
/// turn's last transaction).
async fn converse(
    turn: &Turn,
    mut messages: Vec<ModelMessage>,
    mut tally: DisclosureTally,
    vault: &mut SessionVault,
    s: &mut Stream,
) -> Result<(String, String), Stop> {
    let ward = &turn.ward;
    let phi = &ward.phi;
    let mode = ward.config.phi_mode;
    let subject = turn.caller.principal.subject();
    let tools: Vec<ModelTool> = ward
        .policy
        .tools_for(&subject)
        .into_iter()
        .map(|t| ModelTool {
            name: t.as_str(),
            description: t.spec().description,
            parameters: t.input_schema(),
        })
        .collect();
    let binding = SessionBinding {
        session_id: turn.session.id.clone(),
        allowed_patients: turn.allowed_patients.clone(),
    };
    // The patient whose banner the session shows: it changes (audited) when a tool runs
    // on another patient, and the clinician is told with a `patient` event.
    let mut bannered = sessions::banner_of(&turn.session).map(|b| b.id);
    let max_rounds = ward.config.llm_max_tool_rounds as usize;
    let mut reservation = Some(turn.reservation.clone());
    let mut reply_chars = 0usize;

    for round in 0..=max_rounds {
        // The first call was reserved and disclosed with the clinician's message.
        let r = match reservation.take() {
            Some(r) => r,
            None => Box::pin(before_next_call(turn, s, &messages, &tally, vault)).await?,
        };
        let request = ModelRequest {
            messages: messages.clone(),
            tools: if round < max_rounds {
                tools.clone()
            } else {
                vec![]
            },
            max_tokens: ward.config.llm_max_tokens,
            temperature: ward.config.llm_temperature,
        };
        // OpenTelemetry: one span per provider call (ends when dropped, after `used`).
        let call_span = crate::spans::WardSpan::provider_call(&ward.config);
        let started = tokio::select! {
            biased;
            _ = s.tx.closed() => Err(None),
            res = ward.provider.start(request) => res.map_err(Some),
        };
        let mut events = match started {
            Ok(ev) => ev,
            Err(e) => {
                ward.metrics.provider_call(true);
                s.used(ward, r, 0, 0);
                return Err(match e {
                    None => Stop::Disconnected,
                    Some(e) => Stop::Failed {
                        code: e.code().into(),
                        message: format!("{e}. Please try again in a moment."),
                    },
                });
            }
        };
        let mut restorer = vault.restorer();
        let mut model_text = ModelOutput::default();
        let mut shown = String::new();
        let mut calls: Vec<PendingCall> = vec![];
        let mut usage: Option<(u64, u64)> = None;
        let mut failure: Option<Stop> = None;
        loop {
            let next = tokio::select! {
                biased;
                _ = s.tx.closed() => { failure = Some(Stop::Disconnected); break; }
                n = events.next() => n,
            };
            match next {
                None => break,
                Some(Err(e)) => {
                    failure = Some(provider_failure(&e));
                    break;
                }
                Some(Ok(ModelEvent::Text(t))) => {
                    model_text.push(&t);
                    reply_chars += t.as_str().chars().count();
                    let out = restorer.push(t.as_str());
                    if !out.is_empty() {
                        shown.push_str(&out);
                        s.checkpoint.push(s.position, &out);
                        if s.send(ChatEventKind::Delta { content: out }).await.is_err() {
                            failure = Some(Stop::Disconnected);
                            break;
                        }
                    }
                    if reply_chars > MAX_REPLY_CHARS {
                        failure = Some(Stop::Failed {
                            code: "reply_too_long".into(),
                            message: format!(
                                "The reply passed {MAX_REPLY_CHARS} characters and was cut off."
                            ),
                        });
                        break;
                    }
                }
                Some(Ok(ModelEvent::ToolCallDelta {
                    index,
                    id,
                    name,
                    arguments,
                })) => {
                    let i = index as usize;
                    if i >= 64 {
                        continue;
                    }
                    if calls.len() <= i {
                        calls.resize(i + 1, PendingCall::default());
                    }
                    let c = &mut calls[i];
                    if let Some(id) = id {
                        c.id = id;
                    }
                    if let Some(n) = name {
                        c.name.push(&n);
                    }
                    if let Some(a) = arguments {
                        c.arguments.push(&a);
                        if c.arguments.len() > 16_384 {
                            failure = Some(Stop::Failed {
                                code: "tool_call_too_large".into(),
                                message: "The model wrote tool arguments over 16 KB; the turn was stopped.".into(),
                            });
                            break;
                        }
                    }
                }
                Some(Ok(ModelEvent::Usage {
                    prompt_tokens,
                    completion_tokens,
                })) => {
                    usage = Some((prompt_tokens, completion_tokens));
                }
            }
        }
        drop(events); // cancels the provider call if it is still running
        let tail = restorer.finish();
        shown.push_str(&tail);
        s.checkpoint.push(s.position, &tail);
        let client_gone = matches!(failure, Some(Stop::Disconnected));
        if !tail.is_empty()
            && !client_gone
            && s.send(ChatEventKind::Delta { content: tail })
                .await
                .is_err()
        {
            failure = Some(Stop::Disconnected);
        }
        let (pt, ct) = usage.unwrap_or_else(|| {
            (
                estimated_prompt_tokens(&messages),
                estimate_tokens(model_text.as_str())
                    + calls
                        .iter()
                        .map(|c| estimate_tokens(c.arguments.as_str()))
                        .sum::<u64>(),
            )
        });
        s.used(ward, r, pt, ct);
        call_span.tokens(pt, ct); // OpenTelemetry
        drop(call_span);
        ward.metrics.provider_call(
            failure
                .as_ref()
                .is_some_and(|f| matches!(f, Stop::Failed { .. })),
        );

        if let Some(stop) = failure {
            if !shown.is_empty() {
                s.owe(NewMessage {
                    role: "assistant",
                    content: shown,
                    tokens_used: ct as i32,
                    incomplete: true,
                    provider_content: Protected::from_model(&model_text).stored(),
                    ..Default::default()
                });
            }
            return Err(stop);
        }

        calls.retain(|c| !c.name.is_empty());
        if calls.is_empty() {
            let id = s.owe(NewMessage {
                role: "assistant",
                content: shown.clone(),
                tokens_used: ct as i32,
                provider_content: Protected::from_model(&model_text).stored(),
                ..Default::default()
            });
            return Ok((id, shown));
        }
        if round == max_rounds {
            break;
        }

        // The model asked for tools.
        let ids: Vec<Protected> = calls
            .iter()
            .enumerate()
            .map(|(i, c)| Protected::call_id(&c.id, round, i))
            .collect();
        let restored: Vec<String> = calls
            .iter()
            .map(|c| privacy::tool_arguments(vault, mode, &c.arguments, &turn.allowed_patients))
            .collect();
        s.owe(NewMessage {
            role: "assistant",
            content: shown.clone(),
            tokens_used: ct as i32,
            tool_result: Some(json!({"tool_calls": calls.iter().zip(&ids).zip(&restored).map(|((c, id), a)| json!({"id": id.as_str(), "name": c.name.as_str(), "arguments": a})).collect::<Vec<_>>()})),
            provider_content: Protected::from_model(&model_text).stored(),
            ..Default::default()
        });
        messages.push(ModelMessage::Assistant {
            text: (!model_text.is_empty()).then(|| Protected::from_model(&model_text)),
            tool_calls: calls
                .iter()
                .zip(&ids)
                .map(|(c, id)| ModelToolCall {
                    id: id.clone(),
                    name: Protected::from_model(&c.name),
                    arguments: Protected::from_model(&c.arguments),
                })
                .collect(),
        });
        for (i, ((call, call_id), args_text)) in calls.iter().zip(&ids).zip(&restored).enumerate() {
            let name = call.name.as_str();
            s.send(ChatEventKind::ToolCall {
                id: call_id.as_str().to_string(),
                function: FunctionCall {
                    name: name.to_string(),
                    arguments: args_text.clone(),
                },
            })
            .await?;
            let outcome = if i >= MAX_CALLS_PER_ROUND {
                let mut e = turn
                    .caller
                    .entry(AuditAction::AgentRefused, Outcome::Denied);
                e.session_id = Some(turn.session.id.clone());
                e.tool = Some(name.chars().take(64).collect());
                e.reason = Some("too_many_tool_calls".into());
                Box::pin(audit::append(&ward.db, e)).await?;
                Err(Error::forbidden(
                    "too_many_tool_calls",
                    format!("At most {MAX_CALLS_PER_ROUND} tool calls are run per round."),
                ))
            } else {
                let args: Value = serde_json::from_str(args_text)
                    .unwrap_or_else(|_| Value::String(args_text.clone()));
                // Boxed, as the other rare awaits here: the turn's task then carries
                // only the streaming state, not every branch's (memory per open stream).
                Box::pin(call_tool(
                    ward,
                    &turn.caller,
                    ToolRequest {
                        name,
                        arguments: &args,
                        door: Door::Chat,
                        session: Some(&binding),
                    },
                ))
                .await
            };
            let banner = match outcome.as_ref().ok().and_then(|ok| ok.patient_id.clone()) {
                Some(pid) if bannered.as_ref() != Some(&pid) => {
                    let b = Box::pin(sessions::bind_patient(
                        ward,
                        &turn.caller,
                        &turn.session.id,
                        &pid,
                    ))
                    .await?;
                    bannered = Some(pid);
                    b
                }
                _ => None,
            };
            let (status, shown_result, content) = match outcome {
                Ok(ok) => {
                    let protected = phi.protect_result(vault, mode, &ok.result, &mut tally)?;
                    (
                        ToolStatus::Ok,
                        ok.result,
                        framing::frame_ok(&Protected::from_model(&call.name), &protected),
                    )
                }
                Err(e) if e.kind == ErrorKind::Unavailable => return Err(e.into()),
                Err(e) => {
                    let status = if e.kind == ErrorKind::Forbidden {
                        ToolStatus::Denied
                    } else {
                        ToolStatus::Error
                    };
                    let word = if status == ToolStatus::Denied {
                        "denied"
                    } else {
                        "error"
                    };
                    let message = phi.protect_text(vault, mode, &e.message, &mut tally)?;
                    (
                        status,
                        json!({"error": e.message, "code": e.code}),
                        framing::frame_failure(
                            &Protected::from_model(&call.name),
                            word,
                            &e,
                            &message,
                        ),
                    )
                }
            };
            s.send(ChatEventKind::ToolResult {
                id: call_id.as_str().to_string(),
                name: name.to_string(),
                status,
                result: ward_domain::api::JsonText::of(&shown_result),
            })
            .await?;
            if let Some(b) = banner {
                s.send(ChatEventKind::Patient(b)).await?;
            }
            s.owe(NewMessage {
                role: "tool",
                content: shown_result.to_string(),
                tool_call_id: Some(call_id.as_str().to_string()),
                tool_name: Some(name.to_string()),
                tool_result: Some(
                    json!({"status": status, "arguments": args_text, "result": shown_result}),
                ),
                ..Default::default()
            });
            messages.push(ModelMessage::Tool {
                call_id: call_id.clone(),
                content,
            });
        }
    }
    let mut e = turn
        .caller
        .entry(AuditAction::AgentRefused, Outcome::Denied);
    e.session_id = Some(turn.session.id.clone());
    e.reason = Some("tool_rounds_exceeded".into());
    Box::pin(audit::append(&ward.db, e)).await?;
    Err(Stop::Failed {
        code: "tool_rounds_exceeded".into(),
        message: format!(
            "The model kept asking for tools after {max_rounds} rounds, so Ward stopped it. Try a more specific question."
        ),
    })
}

fn provider_failure(e: &ProviderError) -> Stop {
    Stop::Failed {
        code: e.code().into(),
        message: format!("{e}; the reply was cut off."),
    }
}

/// Counts messages in a session (for tests and reports).
pub async fn message_count(ward: &Ward, session_id: &str) -> Result<i64> {
    let row = ward
        .db
        .query_one_raw(statement(
            ward.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM chat_messages WHERE session_id = $1",
            [session_id.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0))
}

//! The rate limit and the daily budgets (docs/contract.md §6), kept in the database so
//! they are exact across replicas.
//!
//! Rate limit: a per-user lock row serialises that user's checks on PostgreSQL (`FOR
//! UPDATE`); on SQLite the `IMMEDIATE` transaction does; inside, the accepted messages of the
//! rolling hour are counted and the new one recorded, or refused with the seconds until
//! the oldest leaves the window.
//!
//! Budget: before each provider call the most it can cost (the prompt as estimated, the
//! completion at `max_tokens`) is reserved with conditional updates on two counters (the
//! user's and the deployment's, for the UTC day) that only succeed while the sum stays
//! within the budget; after the call the reservation is settled to the real cost. A
//! conditional `UPDATE … WHERE spent + x <= limit` is atomic on both databases, so
//! concurrent requests cannot overspend.
//!
//! Both are pushed as steps into the chat turn's [`Batch`] (`push_*`), so on SQLite they
//! travel with the turn's other writes in one call; the `*_taken`/`granted` functions read
//! each step's answer from the batch's rows.

use crate::db::{statement, Batch, BatchRows, STEP_COLUMN};
use crate::error::{Error, Result};
use crate::usage::Budgets;
use crate::Ward;
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, DbBackend};
use ward_domain::pricing::{to_usd, MicroUsd};

/// The batch step that answers when the rate limit took the message.
const RATE_STEP: &str = "rate_slot";
/// The batch steps that answer when each budget counter took the reservation.
const USER_BUDGET_STEP: &str = "budget_user";
const GLOBAL_BUDGET_STEP: &str = "budget_global";
/// The batch step that answers with the reservation's `token_usage` id.
const USAGE_STEP: &str = "usage_row";

/// Adds the rate-limit check of one chat message to `batch` (which must run in a
/// transaction from [`crate::db::begin_serialized`]): the message is recorded only while
/// fewer than `limit` were accepted in the rolling hour. [`rate_slot_taken`] tells from
/// the batch's rows whether it was.
pub fn push_rate_slot(batch: &mut Batch, user_id: i64, limit: u32) {
    let now = Utc::now();
    let since = now - Duration::hours(1);
    // On SQLite the IMMEDIATE transaction already excludes every other writer (any
    // connection, any process); PostgreSQL needs the user's lock row, which an upsert that
    // always updates creates the first time and locks every time, in one statement.
    if batch.backend() == DbBackend::Postgres {
        batch.push(
            "INSERT INTO rate_limit_locks (user_id, touched) VALUES ($1, 0) \
             ON CONFLICT (user_id) DO UPDATE SET touched = EXCLUDED.touched",
            [user_id.into()],
        );
    }
    // Expired events only take room: about one accepted message in 32 sweeps the user's,
    // so the table stays near `limit` rows per active user.
    if rand::random::<u8>() < 8 {
        batch.push(
            "DELETE FROM rate_limit_events WHERE user_id = $1 AND occurred_at <= $2",
            [user_id.into(), since.into()],
        );
    }
    // The count stops at the limit, so a check reads at most `limit` index entries.
    batch.push(
        format!(
            "INSERT INTO rate_limit_events (user_id, occurred_at) SELECT $1, $2 \
             WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM rate_limit_events \
                    WHERE user_id = $1 AND occurred_at > $3 LIMIT $4) AS recent) < $4 \
             RETURNING '{RATE_STEP}' AS {STEP_COLUMN}"
        ),
        [
            user_id.into(),
            now.into(),
            since.into(),
            i64::from(limit).into(),
        ],
    );
}

/// Whether the batch's rate-limit check took the message.
pub fn rate_slot_taken(rows: &BatchRows) -> bool {
    rows.step(RATE_STEP).is_some()
}

/// The refusal of a message the rate limit did not take, with the seconds until the
/// oldest message of the hour leaves the window (read after the batch rolled back).
pub async fn rate_refusal(db: &impl ConnectionTrait, user_id: i64, limit: u32) -> Result<Error> {
    let now = Utc::now();
    let since = now - Duration::hours(1);
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "SELECT MIN(occurred_at) AS oldest FROM rate_limit_events WHERE user_id = $1 AND occurred_at > $2",
            [user_id.into(), since.into()],
        ))
        .await?;
    let oldest: Option<chrono::DateTime<Utc>> =
        row.and_then(|r| r.try_get("", "oldest").ok().flatten());
    let wait = oldest
        .map(|o| (o + Duration::hours(1) - now).num_seconds().max(1) as u64)
        .unwrap_or(1);
    Ok(Error::too_many(
        "rate_limited",
        format!(
            "You have sent {limit} messages in the last hour, the limit. Try again in {} minute(s).",
            wait.div_ceil(60)
        ),
        wait,
    ))
}

/// The error for an exhausted budget (the wording of docs/contract.md §6).
pub fn budget_exceeded(retry_after: u64) -> Error {
    Error::too_many("budget_exceeded", "Daily LLM budget exceeded", retry_after)
}

fn seconds_to_midnight() -> u64 {
    let now = Utc::now();
    let tomorrow = (now + Duration::days(1))
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc();
    (tomorrow - now).num_seconds().max(1) as u64
}

/// A reservation held while a provider call runs; settle it with [`push_settlement`].
#[derive(Clone, Debug)]
pub struct Reservation {
    /// The token_usage row.
    pub usage_id: i64,
    /// Micro-dollars reserved.
    pub micros: MicroUsd,
    /// The UTC day it counts against.
    pub day: String,
    /// The user.
    pub user_id: i64,
}

/// Adds to `batch` the addition of `micros` to a scope's counter for `day` (creating it),
/// but only while the total stays within `limit`: one statement that answers as `step`
/// when it added.
fn push_add_within(
    batch: &mut Batch,
    step: &str,
    scope: String,
    day: &str,
    micros: MicroUsd,
    limit: MicroUsd,
) {
    batch.push(
        format!(
            "INSERT INTO budget_counters (scope, day, spent_micros) SELECT $1, $2, $3 WHERE $3 <= $4 \
             ON CONFLICT (scope, day) DO UPDATE SET spent_micros = budget_counters.spent_micros + EXCLUDED.spent_micros \
             WHERE budget_counters.spent_micros + EXCLUDED.spent_micros <= $4 \
             RETURNING '{step}' AS {STEP_COLUMN}"
        ),
        [scope.into(), day.into(), micros.into(), limit.into()],
    );
}

/// The counter scope of one user.
pub fn user_scope(user_id: i64) -> String {
    format!("user:{user_id}")
}

/// The counter scope of the deployment.
pub const GLOBAL_SCOPE: &str = "global";

/// A reservation asked for in a batch; [`PendingReservation::granted`] reads the outcome.
#[derive(Debug)]
pub struct PendingReservation {
    micros: MicroUsd,
    day: String,
    user_id: i64,
}

/// Adds to `batch` (in a serialised transaction) the reservation of `micros` for a
/// provider call against the user's and the deployment's budget for today, and its
/// `token_usage` row. If either counter refuses, the caller rolls the transaction back
/// (the user's counter may have moved inside it).
/// `budgets` is read before the transaction (see [`crate::usage::budgets`]), so the write lock
/// is held only for the counters.
pub fn push_reservation(
    ward: &Ward,
    batch: &mut Batch,
    budgets: &Budgets,
    user_id: i64,
    session_id: &str,
    micros: MicroUsd,
) -> PendingReservation {
    let day = Utc::now().format("%Y-%m-%d").to_string();
    // The user's counter first, then the deployment's: the order `push_settlement` uses,
    // so two transactions on PostgreSQL never wait for each other in a cycle.
    push_add_within(
        batch,
        USER_BUDGET_STEP,
        user_scope(user_id),
        &day,
        micros,
        budgets.user_micros,
    );
    push_add_within(
        batch,
        GLOBAL_BUDGET_STEP,
        GLOBAL_SCOPE.to_string(),
        &day,
        micros,
        budgets.global_micros,
    );
    batch.push(
        format!(
            "INSERT INTO token_usage (user_id, session_id, message_id, provider, model, prompt_tokens, \
             completion_tokens, reserved_micros, cost_micros, settled, day, created_at) \
             VALUES ($1, $2, NULL, $3, $4, 0, 0, $5, 0, $6, $7, $8) RETURNING id, '{USAGE_STEP}' AS {STEP_COLUMN}"
        ),
        [
            user_id.into(),
            session_id.into(),
            ward.provider.kind().into(),
            ward.provider.model().into(),
            micros.into(),
            false.into(),
            day.clone().into(),
            Utc::now().into(),
        ],
    );
    PendingReservation {
        micros,
        day,
        user_id,
    }
}

impl PendingReservation {
    /// The reservation, if both counters took it; else `budget_exceeded` (roll back).
    pub fn granted(self, rows: &BatchRows) -> Result<Reservation> {
        if rows.step(USER_BUDGET_STEP).is_none() || rows.step(GLOBAL_BUDGET_STEP).is_none() {
            return Err(budget_exceeded(seconds_to_midnight()));
        }
        let usage_id = rows
            .step(USAGE_STEP)
            .ok_or_else(|| Error::internal("the usage row returned nothing"))?
            .try_get("", "id")?;
        Ok(Reservation {
            usage_id,
            micros: self.micros,
            day: self.day,
            user_id: self.user_id,
        })
    }
}

/// Adds to `batch` the settlement of a reservation to the real usage: both counters move
/// by (cost − reserved), and the usage row records tokens, cost and the reply it paid for
/// (`message_id`, when stored in the same transaction). Returns the cost.
pub fn push_settlement(
    ward: &Ward,
    batch: &mut Batch,
    r: &Reservation,
    prompt_tokens: u64,
    completion_tokens: u64,
    message_id: Option<&str>,
) -> MicroUsd {
    let cost = ward
        .prices
        .price(ward.provider.model())
        .cost(prompt_tokens, completion_tokens);
    // The user's counter first, then the deployment's, in the order `push_reservation`
    // locks them.
    for scope in [user_scope(r.user_id), GLOBAL_SCOPE.to_string()] {
        batch.push(
            "UPDATE budget_counters SET spent_micros = spent_micros + $1 WHERE scope = $2 AND day = $3",
            [(cost - r.micros).into(), scope.into(), r.day.clone().into()],
        );
    }
    batch.push(
        "UPDATE token_usage SET prompt_tokens = $1, completion_tokens = $2, cost_micros = $3, \
         settled = $4, message_id = $5 WHERE id = $6",
        [
            (prompt_tokens as i64).into(),
            (completion_tokens as i64).into(),
            cost.into(),
            true.into(),
            message_id.map(str::to_string).into(),
            r.usage_id.into(),
        ],
    );
    tracing::debug!(cost_usd = to_usd(cost), "settling a provider call");
    cost
}

/// Whether the backend is PostgreSQL (for tests and diagnostics).
pub fn is_postgres(ward: &Ward) -> bool {
    ward.db.get_database_backend() == DbBackend::Postgres
}

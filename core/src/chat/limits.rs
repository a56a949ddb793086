//! The rate limit and the daily budgets (spec §6), kept in the database so they are exact
//! across replicas.
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

use crate::db::statement;
use crate::entity::token_usage;
use crate::error::{Error, Result};
use crate::usage::Budgets;
use crate::Ward;
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, DbBackend, Set};
use ward_domain::pricing::{to_usd, MicroUsd};

/// Checks and records one chat message against the rolling-hour limit, inside `txn`
/// (which must come from [`crate::db::begin_serialized`]).
pub async fn take_rate_slot(txn: &DatabaseTransaction, user_id: i64, limit: u32) -> Result<()> {
    let b = txn.get_database_backend();
    let now = Utc::now();
    let since = now - Duration::hours(1);
    // On SQLite the IMMEDIATE transaction already excludes every other writer (any
    // connection, any process); PostgreSQL needs the user's lock row, which an upsert that
    // always updates creates the first time and locks every time, in one statement.
    if b == DbBackend::Postgres {
        txn.execute_raw(statement(
            b,
            "INSERT INTO rate_limit_locks (user_id, touched) VALUES ($1, 0) \
             ON CONFLICT (user_id) DO UPDATE SET touched = EXCLUDED.touched",
            [user_id.into()],
        ))
        .await?;
    }
    // Records the message only while fewer than `limit` were accepted in the hour.
    let taken = txn
        .execute_raw(statement(
            b,
            "INSERT INTO rate_limit_events (user_id, occurred_at) SELECT $1, $2 \
             WHERE (SELECT COUNT(*) FROM rate_limit_events WHERE user_id = $1 AND occurred_at > $3) < $4",
            [
                user_id.into(),
                now.into(),
                since.into(),
                i64::from(limit).into(),
            ],
        ))
        .await?;
    let refused = taken.rows_affected() == 0;
    // Expired events only take room: sweep the user's on a refusal and on about one
    // accepted message in 32, so the table stays near `limit` rows per active user.
    if refused || rand::random::<u8>() < 8 {
        txn.execute_raw(statement(
            b,
            "DELETE FROM rate_limit_events WHERE user_id = $1 AND occurred_at <= $2",
            [user_id.into(), since.into()],
        ))
        .await?;
    }
    if !refused {
        return Ok(());
    }
    let row = txn
        .query_one_raw(statement(
            b,
            "SELECT MIN(occurred_at) AS oldest FROM rate_limit_events WHERE user_id = $1 AND occurred_at > $2",
            [user_id.into(), since.into()],
        ))
        .await?;
    let oldest: Option<chrono::DateTime<Utc>> =
        row.and_then(|r| r.try_get("", "oldest").ok().flatten());
    let wait = oldest
        .map(|o| (o + Duration::hours(1) - now).num_seconds().max(1) as u64)
        .unwrap_or(3600);
    Err(Error::too_many(
        "rate_limited",
        format!(
            "You have sent {limit} messages in the last hour, the limit. Try again in {} minute(s).",
            wait.div_ceil(60)
        ),
        wait,
    ))
}

/// The error for an exhausted budget (the spec's wording).
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

/// A reservation held while a provider call runs; settle it with [`settle_in`].
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

/// Adds `micros` to a scope's counter for `day` (creating it), but only while the total
/// stays within `limit`; one statement. Returns whether it was added.
async fn add_within(
    txn: &DatabaseTransaction,
    scope: &str,
    day: &str,
    micros: MicroUsd,
    limit: MicroUsd,
) -> Result<bool> {
    let b = txn.get_database_backend();
    let res = txn
        .execute_raw(statement(
            b,
            "INSERT INTO budget_counters (scope, day, spent_micros) SELECT $1, $2, $3 WHERE $3 <= $4 \
             ON CONFLICT (scope, day) DO UPDATE SET spent_micros = budget_counters.spent_micros + EXCLUDED.spent_micros \
             WHERE budget_counters.spent_micros + EXCLUDED.spent_micros <= $4",
            [scope.into(), day.into(), micros.into(), limit.into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// The counter scope of one user.
pub fn user_scope(user_id: i64) -> String {
    format!("user:{user_id}")
}

/// The counter scope of the deployment.
pub const GLOBAL_SCOPE: &str = "global";

/// Reserves `micros` for a provider call against the user's and the deployment's budget
/// for today, or refuses with `budget_exceeded`, inside a serialised transaction the
/// caller commits (or rolls back on error: a refusal may leave the user's counter raised
/// within the transaction).
/// `budgets` is read before the transaction (see [`crate::usage::budgets`]), so the write lock
/// is held only for the counters.
pub async fn reserve_in(
    ward: &Ward,
    txn: &DatabaseTransaction,
    budgets: &Budgets,
    user_id: i64,
    session_id: &str,
    micros: MicroUsd,
) -> Result<Reservation> {
    let day = Utc::now().format("%Y-%m-%d").to_string();
    let user_ok = add_within(txn, &user_scope(user_id), &day, micros, budgets.user_micros).await?;
    let global_ok =
        user_ok && add_within(txn, GLOBAL_SCOPE, &day, micros, budgets.global_micros).await?;
    if !global_ok {
        return Err(budget_exceeded(seconds_to_midnight()));
    }
    let row = token_usage::ActiveModel {
        user_id: Set(user_id),
        session_id: Set(Some(session_id.to_string())),
        message_id: Set(None),
        provider: Set(ward.provider.kind().to_string()),
        model: Set(ward.provider.model().to_string()),
        prompt_tokens: Set(0),
        completion_tokens: Set(0),
        reserved_micros: Set(micros),
        cost_micros: Set(0),
        settled: Set(false),
        day: Set(day.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(Reservation {
        usage_id: row.id,
        micros,
        day,
        user_id,
    })
}

/// Settles a reservation to the real usage inside `txn`: both counters move by
/// (cost − reserved), and the usage row records tokens, cost and the
/// reply it paid for (`message_id`, when stored in the same transaction).
pub async fn settle_in(
    ward: &Ward,
    txn: &DatabaseTransaction,
    r: &Reservation,
    prompt_tokens: u64,
    completion_tokens: u64,
    message_id: Option<&str>,
) -> Result<MicroUsd> {
    let cost = ward
        .prices
        .price(ward.provider.model())
        .cost(prompt_tokens, completion_tokens);
    let b = txn.get_database_backend();
    // The user's counter first, then the deployment's, in the order `reserve_in` locks
    // them, so two transactions on PostgreSQL never wait for each other in a cycle.
    for scope in [user_scope(r.user_id), GLOBAL_SCOPE.to_string()] {
        txn.execute_raw(statement(
            b,
            "UPDATE budget_counters SET spent_micros = spent_micros + $1 WHERE scope = $2 AND day = $3",
            [(cost - r.micros).into(), scope.into(), r.day.clone().into()],
        ))
        .await?;
    }
    token_usage::ActiveModel {
        id: Set(r.usage_id),
        prompt_tokens: Set(prompt_tokens as i64),
        completion_tokens: Set(completion_tokens as i64),
        cost_micros: Set(cost),
        settled: Set(true),
        message_id: Set(message_id.map(str::to_string)),
        ..Default::default()
    }
    .update(txn)
    .await?;
    tracing::debug!(cost_usd = to_usd(cost), "settled a provider call");
    Ok(cost)
}

/// Whether the backend is PostgreSQL (for tests and diagnostics).
pub fn is_postgres(ward: &Ward) -> bool {
    ward.db.get_database_backend() == DbBackend::Postgres
}

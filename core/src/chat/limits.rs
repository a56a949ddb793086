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
//! Both are statements ([`rate_check`], [`reservation`], [`settlement`]) that the chat
//! turn's ledger (`chat::turn::ledger`) puts into its transactions, so on SQLite they
//! travel with the turn's other writes in one call; [`PendingReservation::granted`] reads
//! the counters' answers.

use crate::db::{statement, Answering, Sql};
use crate::error::{Error, Result};
use crate::ids::{SessionId, UserId};
use crate::usage::Budgets;
use crate::Ward;
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult};
use ward_domain::pricing::{to_usd, MicroUsd};

/// The rate-limit check of one chat message, to run in a transaction from
/// [`crate::db::begin_serialized`]: `writes` in order, then `slot`, which records the
/// message only while fewer than `limit` were accepted in the rolling hour, and answers a
/// row when it did.
pub struct RateCheck {
    /// The statements before the check (PostgreSQL's lock row, a sweep of expired events).
    pub writes: Vec<Sql>,
    /// The check itself: a row when the message was taken.
    pub slot: Answering,
}

/// The rate-limit check of one chat message for `user_id` on `backend`.
pub fn rate_check(backend: DbBackend, user_id: UserId, limit: u32) -> RateCheck {
    let now = Utc::now();
    let since = now - Duration::hours(1);
    let mut writes = vec![];
    // On SQLite the IMMEDIATE transaction already excludes every other writer (any
    // connection, any process); PostgreSQL needs the user's lock row, which an upsert that
    // always updates creates the first time and locks every time, in one statement.
    if backend == DbBackend::Postgres {
        writes.push(Sql::new(
            "INSERT INTO rate_limit_locks (user_id, touched) VALUES ($1, 0) \
             ON CONFLICT (user_id) DO UPDATE SET touched = EXCLUDED.touched",
            [user_id.into()],
        ));
    }
    // Expired events only take room: about one accepted message in 32 sweeps the user's,
    // so the table stays near `limit` rows per active user.
    if rand::random::<u8>() < 8 {
        writes.push(Sql::new(
            "DELETE FROM rate_limit_events WHERE user_id = $1 AND occurred_at <= $2",
            [user_id.into(), since.into()],
        ));
    }
    // The count stops at the limit, so a check reads at most `limit` index entries.
    let slot = Answering::returning(
        "INSERT INTO rate_limit_events (user_id, occurred_at) SELECT $1, $2 \
         WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM rate_limit_events \
                WHERE user_id = $1 AND occurred_at > $3 LIMIT $4) AS recent) < $4",
        "",
        [
            user_id.into(),
            now.into(),
            since.into(),
            i64::from(limit).into(),
        ],
    );
    RateCheck { writes, slot }
}

/// The refusal of a message the rate limit did not take, with the seconds until the
/// oldest message of the hour leaves the window (read after the batch rolled back).
pub async fn rate_refusal(db: &impl ConnectionTrait, user_id: UserId, limit: u32) -> Result<Error> {
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

/// A reservation held while a provider call runs; settle it with [`settlement`].
#[derive(Clone, Debug)]
pub struct Reservation {
    /// The token_usage row.
    pub usage_id: i64,
    /// Micro-dollars reserved.
    pub micros: MicroUsd,
    /// The UTC day it counts against.
    pub day: String,
    /// The user.
    pub user_id: UserId,
}

/// The addition of `micros` to a scope's counter for `day` (creating it), but only while
/// the total stays within `limit`: one statement that answers a row when it added.
fn add_within(scope: String, day: &str, micros: MicroUsd, limit: MicroUsd) -> Answering {
    Answering::returning(
        "INSERT INTO budget_counters (scope, day, spent_micros) SELECT $1, $2, $3 WHERE $3 <= $4 \
         ON CONFLICT (scope, day) DO UPDATE SET spent_micros = budget_counters.spent_micros + EXCLUDED.spent_micros \
         WHERE budget_counters.spent_micros + EXCLUDED.spent_micros <= $4",
        "",
        [scope.into(), day.into(), micros.into(), limit.into()],
    )
}

/// The counter scope of one user.
pub fn user_scope(user_id: UserId) -> String {
    format!("user:{user_id}")
}

/// The counter scope of the deployment.
pub const GLOBAL_SCOPE: &str = "global";

/// A reservation asked for in a transaction; [`PendingReservation::granted`] reads the
/// outcome from the answers of its statements.
#[derive(Debug)]
pub struct PendingReservation {
    micros: MicroUsd,
    day: String,
    user_id: UserId,
}

/// The statements of a reservation, in the order they must run: the user's counter, the
/// deployment's, and the `token_usage` row (which answers with its id).
pub struct ReservationWrites {
    /// The user's counter: a row when it took the reservation.
    pub user_counter: Answering,
    /// The deployment's counter: a row when it took the reservation.
    pub global_counter: Answering,
    /// The `token_usage` row: answers with its `id`.
    pub usage_row: Answering,
}

/// The reservation (in a serialised transaction) of `micros` for a provider call against
/// the user's and the deployment's budget for today, and its `token_usage` row. If either
/// counter refuses, the caller rolls the transaction back (the user's counter may have
/// moved inside it). `budgets` is read before the transaction (see
/// [`crate::usage::budgets`]), so the write lock is held only for the counters.
pub fn reservation(
    ward: &Ward,
    budgets: &Budgets,
    user_id: UserId,
    session_id: &SessionId,
    micros: MicroUsd,
) -> (PendingReservation, ReservationWrites) {
    let day = Utc::now().format("%Y-%m-%d").to_string();
    // The user's counter first, then the deployment's: the order `settlement` uses, so
    // two transactions on PostgreSQL never wait for each other in a cycle.
    let writes = ReservationWrites {
        user_counter: add_within(user_scope(user_id), &day, micros, budgets.user_micros),
        global_counter: add_within(
            GLOBAL_SCOPE.to_string(),
            &day,
            micros,
            budgets.global_micros,
        ),
        usage_row: Answering::returning(
            "INSERT INTO token_usage (user_id, session_id, message_id, provider, model, prompt_tokens, \
             completion_tokens, reserved_micros, cost_micros, settled, day, created_at) \
             VALUES ($1, $2, NULL, $3, $4, 0, 0, $5, 0, $6, $7, $8)",
            "id",
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
        ),
    };
    (
        PendingReservation {
            micros,
            day,
            user_id,
        },
        writes,
    )
}

impl PendingReservation {
    /// The reservation, if both counters took it (each answered a row); else
    /// `budget_exceeded` (roll back). `usage_row` is the answer of the usage row.
    pub fn granted(
        self,
        user_counter: Option<&QueryResult>,
        global_counter: Option<&QueryResult>,
        usage_row: Option<&QueryResult>,
    ) -> Result<Reservation> {
        if user_counter.is_none() || global_counter.is_none() {
            return Err(budget_exceeded(seconds_to_midnight()));
        }
        let usage_id = usage_row
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

/// The settlement of a reservation to the real usage: both counters move by (cost −
/// reserved), and the usage row records tokens, cost and the reply it paid for
/// (`message_id`, when stored in the same transaction).
pub fn settlement(
    ward: &Ward,
    r: &Reservation,
    prompt_tokens: u64,
    completion_tokens: u64,
    message_id: Option<&str>,
) -> Vec<Sql> {
    let cost = ward
        .prices
        .price(ward.provider.model())
        .cost(prompt_tokens, completion_tokens);
    // The user's counter first, then the deployment's, in the order `reservation` locks
    // them.
    let mut writes: Vec<Sql> = [user_scope(r.user_id), GLOBAL_SCOPE.to_string()]
        .into_iter()
        .map(|scope| {
            Sql::new(
                "UPDATE budget_counters SET spent_micros = spent_micros + $1 WHERE scope = $2 AND day = $3",
                [(cost - r.micros).into(), scope.into(), r.day.clone().into()],
            )
        })
        .collect();
    writes.push(Sql::new(
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
    ));
    tracing::debug!(cost_usd = to_usd(cost), "settling a provider call");
    writes
}

/// Whether the backend is PostgreSQL (for tests and diagnostics).
pub fn is_postgres(ward: &Ward) -> bool {
    ward.db.get_database_backend() == DbBackend::Postgres
}

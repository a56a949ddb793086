//! The sign-in throttle, in the database so it holds across replicas and concurrent
//! requests.
//!
//! An attempt is **reserved before its password is checked**: one serialised transaction
//! counts it as a failure on three keys — the account from this address, the account
//! from anywhere, and the address — or refuses it. A correct password then clears the
//! account's counts ([`succeeded`]); a check that never ran gives the reservation back
//! ([`release`]). So 40 concurrent wrong passwords for one account cost at most
//! [`PAIR_LIMIT`] password checks, whatever their timing.
//!
//! - **Account from one address**: [`PAIR_LIMIT`] failures in [`WINDOW_MINUTES`] lock it
//!   for [`LOCK_MINUTES`], doubled at each further lockout (at most a day) until a
//!   successful sign-in.
//! - **Account from anywhere**: [`ACCOUNT_LIMIT`] failures lock it likewise (an attacker
//!   spread over many addresses).
//! - **Address**: never locked, so colleagues behind one NAT or proxy are not shut out:
//!   past [`ADDRESS_FREE`] failures in the window it is slowed to one attempt per
//!   [`ADDRESS_SPACING_SECS`]; a colleague waits at most that long.
//!
//! Refused attempts are audited **in aggregate**: the account-and-address row counts them
//! (`throttled`, since `throttled_since`), and one `login_failed` record with reason
//! `throttled` and the count is written per account and address per window, when the
//! window has passed ([`flush`], run every minute by [`spawn_flusher`], and by the next
//! refused attempt). An unauthenticated client cannot grow the trail by one record per
//! attempt.

use crate::audit;
use crate::db::{self, statement};
use crate::entity::login_throttle;
use crate::error::Result;
use crate::Ward;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect, Set,
};
use ward_domain::audit::{AuditAction, AuditEntry, Outcome};

/// The window failures are counted in.
pub const WINDOW_MINUTES: i64 = 15;
/// Failures of one account from one address before it is locked.
pub const PAIR_LIMIT: i32 = 5;
/// Failures of one account from every address before it is locked.
pub const ACCOUNT_LIMIT: i32 = 20;
/// Failures from one address before its attempts are spaced out.
pub const ADDRESS_FREE: i32 = 20;
/// The spacing of a slowed address's attempts.
pub const ADDRESS_SPACING_SECS: i64 = 3;
/// The first lock's length; each further lockout doubles it, up to a day.
pub const LOCK_MINUTES: i64 = 15;

/// The answer to a reservation.
#[derive(Debug, PartialEq, Eq)]
pub enum Reservation {
    /// The attempt may check its password; it counts as a failure until it succeeds.
    Granted,
    /// Refused: try again in `wait` seconds (`per_address` says whether the address, not
    /// the account, is the reason).
    Refused {
        /// Seconds to wait.
        wait: u64,
        /// Whether only the address's spacing refused it.
        per_address: bool,
    },
}

/// An aggregate of refused attempts, to be written to the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusals {
    /// The account name tried.
    pub username: String,
    /// The address.
    pub client_ip: Option<String>,
    /// How many attempts were refused.
    pub attempts: i32,
    /// Since when.
    pub since: DateTime<Utc>,
}

fn pair_key(username: &str, ip: Option<&str>) -> String {
    format!("p:{}|{username}", ip.unwrap_or("-"))
}

fn account_key(username: &str) -> String {
    format!("a:{username}")
}

fn address_key(ip: Option<&str>) -> String {
    format!("i:{}", ip.unwrap_or("-"))
}

fn lock_length(lockouts: i32) -> Duration {
    let minutes = LOCK_MINUTES.saturating_mul(1 << lockouts.clamp(0, 7));
    Duration::minutes(minutes.min(24 * 60))
}

/// Whole seconds until `t`, rounded up (so a client that waits them is not refused
/// again), at least 1.
fn secs_until(t: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    let ms = (t - now).num_milliseconds().max(0);
    ((ms + 999) / 1000).max(1) as u64
}

/// Reads (creating it, and on PostgreSQL locking it) the row of `key`.
async fn row(
    txn: &impl ConnectionTrait,
    key: &str,
    username: &str,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<login_throttle::Model> {
    txn.execute_raw(statement(
        txn.get_database_backend(),
        "INSERT INTO login_throttle (throttle_key, username, client_ip, failures, window_start, lockouts, \
         throttled) VALUES ($1, $2, $3, 0, $4, 0, 0) ON CONFLICT (throttle_key) DO NOTHING",
        [
            key.into(),
            username.into(),
            ip.map(str::to_string).into(),
            now.into(),
        ],
    ))
    .await?;
    let mut r = login_throttle::Entity::find_by_id(key.to_string())
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("login_throttle".into()))?;
    // A lock that ran out, or a window that passed, starts a new window.
    if r.locked_until.is_some_and(|u| u <= now)
        || r.window_start + Duration::minutes(WINDOW_MINUTES) <= now
    {
        r.locked_until = None;
        r.failures = 0;
        r.window_start = now;
    }
    Ok(r)
}

/// `Some(wait)` if the row is locked, locking it first if it reached `limit`.
fn locked(r: &mut login_throttle::Model, limit: i32, now: DateTime<Utc>) -> Option<u64> {
    if let Some(until) = r.locked_until {
        return Some(secs_until(until, now));
    }
    if r.failures >= limit {
        let until = now + lock_length(r.lockouts);
        r.locked_until = Some(until);
        r.lockouts += 1;
        return Some(secs_until(until, now));
    }
    None
}

async fn save(txn: &impl ConnectionTrait, r: login_throttle::Model) -> Result<()> {
    let mut am = r.into_active_model();
    for c in [
        login_throttle::Column::Failures,
        login_throttle::Column::WindowStart,
        login_throttle::Column::LockedUntil,
        login_throttle::Column::Lockouts,
        login_throttle::Column::LastAttemptAt,
        login_throttle::Column::Throttled,
        login_throttle::Column::ThrottledSince,
    ] {
        am.reset(c);
    }
    am.update(txn).await?;
    Ok(())
}

/// Reserves an attempt on `username` from `ip` at `now`, or refuses it. A refusal is
/// counted on the account-and-address row; when that row's window of refusals has passed,
/// its aggregate record is written in the same transaction.
pub async fn reserve(
    db: &DatabaseConnection,
    username: &str,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Reservation> {
    let txn = db::begin_serialized(db).await?;
    let mut pair = row(&txn, &pair_key(username, ip), username, ip, now).await?;
    let mut account = row(&txn, &account_key(username), username, ip, now).await?;
    let mut address = row(&txn, &address_key(ip), "", ip, now).await?;
    let refusal = if let Some(wait) = locked(&mut pair, PAIR_LIMIT, now) {
        Some((wait, false))
    } else if let Some(wait) = locked(&mut account, ACCOUNT_LIMIT, now) {
        Some((wait, false))
    } else if address.failures >= ADDRESS_FREE {
        address
            .last_attempt_at
            .map(|t| t + Duration::seconds(ADDRESS_SPACING_SECS))
            .filter(|next| *next > now)
            .map(|next| (secs_until(next, now), true))
    } else {
        None
    };
    let mut flushed = None;
    let answer = match refusal {
        Some((wait, per_address)) => {
            flushed = take_refusals(&mut pair, now);
            pair.throttled += 1;
            pair.throttled_since.get_or_insert(now);
            Reservation::Refused { wait, per_address }
        }
        None => {
            pair.failures += 1;
            account.failures += 1;
            address.failures += 1;
            address.last_attempt_at = Some(now);
            Reservation::Granted
        }
    };
    save(&txn, pair).await?;
    save(&txn, account).await?;
    save(&txn, address).await?;
    if let Some(refusals) = flushed {
        audit::append_in(&txn, refusals_entry(&refusals, now)).await?;
    }
    txn.commit().await?;
    Ok(answer)
}

/// The row's refusals, if their window has passed (and the row's count reset).
fn take_refusals(r: &mut login_throttle::Model, now: DateTime<Utc>) -> Option<Refusals> {
    let since = r.throttled_since?;
    if r.throttled == 0 || since + Duration::minutes(WINDOW_MINUTES) > now {
        return None;
    }
    let out = Refusals {
        username: r.username.clone(),
        client_ip: r.client_ip.clone(),
        attempts: r.throttled,
        since,
    };
    r.throttled = 0;
    r.throttled_since = None;
    Some(out)
}

/// Gives back a reservation whose password was never checked (the pool was busy).
pub async fn release(db: &DatabaseConnection, username: &str, ip: Option<&str>) -> Result<()> {
    db.execute_raw(statement(
        db.get_database_backend(),
        "UPDATE login_throttle SET failures = failures - 1 \
         WHERE throttle_key IN ($1, $2, $3) AND failures > 0",
        [
            pair_key(username, ip).into(),
            account_key(username).into(),
            address_key(ip).into(),
        ],
    ))
    .await?;
    Ok(())
}

/// A correct password: the account's failures and lockouts are cleared (from every
/// address), and the address gets its reservation back.
pub async fn succeeded(db: &DatabaseConnection, username: &str, ip: Option<&str>) -> Result<()> {
    let backend = db.get_database_backend();
    db.execute_raw(statement(
        backend,
        "UPDATE login_throttle SET failures = 0, lockouts = 0, locked_until = NULL \
         WHERE throttle_key = $1 OR throttle_key = $2",
        [pair_key(username, ip).into(), account_key(username).into()],
    ))
    .await?;
    db.execute_raw(statement(
        backend,
        "UPDATE login_throttle SET failures = failures - 1 WHERE throttle_key = $1 AND failures > 0",
        [address_key(ip).into()],
    ))
    .await?;
    Ok(())
}

/// The audit record of an aggregate of refused attempts.
pub fn refusals_entry(r: &Refusals, now: DateTime<Utc>) -> AuditEntry {
    let mut e = AuditEntry::new(
        now,
        &r.username,
        "",
        AuditAction::LoginFailed,
        Outcome::Denied,
    );
    e.client_ip = r.client_ip.clone();
    e.reason = Some("throttled".into());
    e.arguments = Some(
        serde_json::json!({
            "attempts": r.attempts,
            "since": r.since.to_rfc3339(),
            "until": now.to_rfc3339(),
        })
        .to_string(),
    );
    e
}

/// Writes the aggregate record of every account and address whose window of refused
/// attempts has passed at `now`; returns how many records were written.
pub async fn flush(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize> {
    let txn = db::begin_serialized(db).await?;
    let rows = login_throttle::Entity::find()
        .filter(login_throttle::Column::Throttled.gt(0))
        .filter(login_throttle::Column::ThrottledSince.lte(now - Duration::minutes(WINDOW_MINUTES)))
        .lock_exclusive()
        .all(&txn)
        .await?;
    let mut written = 0;
    for mut r in rows {
        if let Some(refusals) = take_refusals(&mut r, now) {
            let mut am = login_throttle::ActiveModel {
                throttle_key: Set(r.throttle_key.clone()),
                ..Default::default()
            };
            am.throttled = Set(0);
            am.throttled_since = Set(None);
            am.update(&txn).await?;
            audit::append_in(&txn, refusals_entry(&refusals, now)).await?;
            written += 1;
        }
    }
    txn.commit().await?;
    Ok(written)
}

/// Runs [`flush`] every minute for as long as `ward` lives.
pub fn spawn_flusher(ward: &Ward) {
    let weak = std::sync::Arc::downgrade(&ward.0);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            let Some(inner) = weak.upgrade() else {
                break;
            };
            if let Err(e) = flush(&inner.db, Utc::now()).await {
                tracing::warn!(error = %e, "writing the sign-in throttle's audit records failed");
            }
        }
    });
}

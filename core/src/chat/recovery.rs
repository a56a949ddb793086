//! Turn leases that belong to a live replica, and the recovery of turns whose replica
//! died.
//!
//! Every Ward process registers itself at start as a replica (a fresh id in `replicas`,
//! so a restarted process is a new replica) and records a heartbeat every
//! `WARD_REPLICA_HEARTBEAT_MS`. A turn's lease names its replica
//! (`chat_sessions.turn_replica`). A replica whose heartbeat is older than
//! `WARD_REPLICA_STALE_MS` is dead: a new turn in one of its sessions takes the session
//! over at once (instead of `409 session_busy` until the lease runs out), and every
//! replica, at start and with each heartbeat, recovers the turns of dead replicas. To
//! recover a turn is, in one serialised transaction: release its lease, store the part of
//! its reply that was streamed ([`crate::chat::checkpoint`]) as an incomplete assistant
//! message, and after it an `interrupted` message that the app shows as "Reply
//! interrupted". A replica never recovers its own turns: while it runs, they are live.
//!
//! Heartbeats and staleness use each replica's clock, as the time lease does: replicas'
//! clocks must agree to well within `WARD_REPLICA_STALE_MS` (NTP).

use crate::chat::checkpoint;
use crate::chat::sessions::{self, NewMessage};
use crate::db::{self, statement, Batch};
use crate::error::Result;
use crate::ids::SessionId;
use crate::Ward;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;
use std::time::Duration;

/// The role of the history item that marks a reply cut off by a lost replica.
pub const INTERRUPTED_ROLE: &str = "interrupted";
/// The code stored with it (and explained by the app).
pub const INTERRUPTED_CODE: &str = "reply_interrupted";
/// Its text.
pub const INTERRUPTED_TEXT: &str = "Reply interrupted: the Ward server writing it stopped before it was finished. What had been shown is kept; ask again to continue.";

/// Registers this process as a new replica and returns its id.
pub async fn register(db: &DatabaseConnection) -> Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    let now = Utc::now();
    let mut batch = Batch::new(db.get_database_backend());
    // Replicas silent for a day are forgotten (a lease naming a missing replica is dead).
    batch.push(
        "DELETE FROM replicas WHERE heartbeat_at < $1",
        [(now - chrono::Duration::days(1)).into()],
    );
    batch.push(
        "INSERT INTO replicas (id, started_at, heartbeat_at) VALUES ($1, $2, $2)",
        [id.clone().into(), now.into()],
    );
    batch
        .execute_and_commit(db::begin_serialized(db).await?)
        .await?;
    Ok(id)
}

/// Records that replica `id` is alive (and registers it again if its row was forgotten).
async fn beat(db: &DatabaseConnection, id: &str) -> Result<()> {
    let now = Utc::now();
    let mut batch = Batch::new(db.get_database_backend());
    batch.push(
        "UPDATE replicas SET heartbeat_at = $1 WHERE id = $2",
        [now.into(), id.into()],
    );
    batch.push(
        "INSERT INTO replicas (id, started_at, heartbeat_at) SELECT $1, $2, $2 \
         WHERE NOT EXISTS (SELECT 1 FROM replicas WHERE id = $1)",
        [id.into(), now.into()],
    );
    batch
        .execute_and_commit(db::begin_serialized(db).await?)
        .await?;
    Ok(())
}

/// Starts this replica's heartbeat: every `WARD_REPLICA_HEARTBEAT_MS` it records that it
/// is alive, then recovers the turns of dead replicas. The task holds the database and
/// the settings it needs, not the [`Ward`], and runs for the life of the process.
pub fn spawn_heartbeat(ward: &Ward) {
    let (db, id) = (ward.db.clone(), ward.replica_id.clone());
    let (every, stale) = (ward.config.replica_heartbeat, ward.config.replica_stale);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(e) = beat(&db, &id).await {
                tracing::warn!(error = %e, "the replica heartbeat could not be written");
                continue;
            }
            if let Err(e) = recover_dead(&db, &id, stale).await {
                tracing::warn!(error = %e, "recovering the turns of dead replicas failed");
            }
        }
    });
}

/// The condition (on `chat_sessions` rows named `s`) that a session's lease is held by a
/// dead turn: expired, or held by a replica other than `$me` whose heartbeat is older than
/// `$cutoff` (or that is forgotten). `$now`, `$me` and `$cutoff` are the caller's numbers.
fn dead_lease(now: usize, me: usize, cutoff: usize) -> String {
    format!(
        "s.turn_lease_until IS NOT NULL AND (s.turn_lease_until < ${now} OR \
         (s.turn_replica IS NOT NULL AND s.turn_replica <> ${me} AND NOT EXISTS \
         (SELECT 1 FROM replicas r WHERE r.id = s.turn_replica AND r.heartbeat_at >= ${cutoff})))"
    )
}

fn cutoff(stale: Duration) -> DateTime<Utc> {
    Utc::now() - chrono::Duration::from_std(stale).unwrap_or(chrono::Duration::MAX)
}

/// Whether session `session_id`'s lease is held by a dead turn (see the module docs).
pub async fn held_by_dead_turn(ward: &Ward, session_id: &SessionId) -> Result<bool> {
    let db = &ward.db;
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            &format!(
                "SELECT s.id FROM chat_sessions s WHERE s.id = $1 AND {}",
                dead_lease(2, 3, 4)
            ),
            [
                session_id.into(),
                Utc::now().into(),
                ward.replica_id.clone().into(),
                cutoff(ward.config.replica_stale).into(),
            ],
        ))
        .await?;
    Ok(row.is_some())
}

/// Takes over session `session_id` if its lease is held by a dead turn: recovers that
/// turn (see [`recover_session`]). Returns whether the session was released.
pub async fn take_over(ward: &Ward, session_id: &SessionId) -> Result<bool> {
    if !held_by_dead_turn(ward, session_id).await? {
        return Ok(false);
    }
    recover_session(
        &ward.db,
        &ward.replica_id,
        ward.config.replica_stale,
        session_id,
    )
    .await
}

/// Recovers every turn held by a dead replica (or whose lease ran out); returns how many.
pub async fn recover_dead(db: &DatabaseConnection, me: &str, stale: Duration) -> Result<usize> {
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            &format!(
                "SELECT s.id FROM chat_sessions s WHERE {} LIMIT 1000",
                dead_lease(1, 2, 3)
            ),
            [Utc::now().into(), me.into(), cutoff(stale).into()],
        ))
        .await?;
    let mut recovered = 0;
    for row in rows {
        let id = SessionId::stored(row.try_get("", "id")?);
        if recover_session(db, me, stale, &id).await? {
            recovered += 1;
        }
    }
    if recovered > 0 {
        tracing::info!(sessions = recovered, "recovered interrupted chat turns");
    }
    Ok(recovered)
}

/// Recovers the turn holding session `session_id`, if it is dead (checked again inside the
/// transaction): releases the lease, stores the reply streamed so far as an incomplete
/// assistant message (unless the turn stored it itself) and an `interrupted` message after
/// it, and drops the checkpoint. One serialised transaction. Returns whether it did.
pub async fn recover_session(
    db: &DatabaseConnection,
    me: &str,
    stale: Duration,
    session_id: &SessionId,
) -> Result<bool> {
    let backend = db.get_database_backend();
    let now = Utc::now();
    let txn = db::begin_serialized(db).await?;
    let released = txn
        .query_one_raw(statement(
            backend,
            &format!(
                "UPDATE chat_sessions SET turn_lease_until = NULL, turn_replica = NULL, updated_at = $1 \
                 WHERE id = $4 AND id IN (SELECT s.id FROM chat_sessions s WHERE s.id = $4 AND {}) \
                 RETURNING id",
                dead_lease(1, 2, 3)
            ),
            [
                now.into(),
                me.into(),
                cutoff(stale).into(),
                session_id.into(),
            ],
        ))
        .await?;
    if released.is_none() {
        txn.rollback().await?;
        return Ok(false);
    }
    let checkpoint = txn
        .query_one_raw(statement(
            backend,
            "SELECT c.content FROM chat_reply_checkpoints c WHERE c.session_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = $1 AND m.position = c.position)",
            [session_id.into()],
        ))
        .await?;
    let streamed: Option<String> = checkpoint.map(|r| r.try_get("", "content")).transpose()?;
    let mut batch = Batch::new(backend);
    if let Some(content) = streamed.filter(|c| !c.is_empty()) {
        batch.answer(sessions::append_write(
            session_id,
            &NewMessage {
                role: "assistant",
                content,
                tool_result: Some(json!({"interrupted": true})),
                incomplete: true,
                ..Default::default()
            },
        ));
    }
    batch.answer(sessions::append_write(
        session_id,
        &NewMessage {
            role: INTERRUPTED_ROLE,
            content: INTERRUPTED_TEXT.into(),
            tool_result: Some(json!({"code": INTERRUPTED_CODE})),
            incomplete: true,
            ..Default::default()
        },
    ));
    batch.add(checkpoint::clear(session_id));
    batch.execute_and_commit(txn).await?;
    Ok(true)
}

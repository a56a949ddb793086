//! A streaming reply, persisted as it streams.
//!
//! The text the clinician has been shown in the current provider round (the clinician's
//! form: real values restored, as the turn stores its reply) is written to
//! `chat_reply_checkpoints` in batches: a write at most `WARD_REPLY_CHECKPOINT_MS` after
//! the text was shown, or as soon as `WARD_REPLY_CHECKPOINT_BYTES` wait. Writes append
//! only what is new (`content || …`), so a write costs the size of a batch, not of the
//! reply. They run on a task of the turn's own, started with the turn's first text, so
//! the stream never waits for the database; a turn that ends sooner than one interval
//! writes nothing here. A write holds only while the session's lease is this replica's.
//! The turn's last transaction stores the reply itself and drops the checkpoint; if the
//! turn never gets there (the process was killed), [`crate::chat::recovery`] turns the
//! checkpoint into an interrupted reply.

use crate::db::{self, Batch, Sql};
use crate::ids::SessionId;
use crate::Ward;
use chrono::Utc;
use sea_orm::DatabaseConnection;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// Text shown and not yet written.
#[derive(Default)]
struct Pending {
    /// The position the round's reply will take.
    position: i64,
    /// The text not yet written.
    text: String,
    /// The next write replaces the stored text instead of appending to it (a new round,
    /// or the turn's first write).
    replace: bool,
}

/// What the stream and the writer task share.
struct Shared {
    pending: Mutex<Pending>,
    wake: Notify,
    /// A write has committed, so the checkpoint row may exist.
    wrote: AtomicBool,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A turn's checkpoint writer.
pub struct Checkpoint {
    db: DatabaseConnection,
    session_id: SessionId,
    replica_id: String,
    interval: Duration,
    bytes: usize,
    running: Option<(Arc<Shared>, JoinHandle<()>)>,
}

impl Checkpoint {
    /// The writer for a turn in `session_id` (idle until the first text).
    pub fn new(ward: &Ward, session_id: &SessionId) -> Checkpoint {
        Checkpoint {
            db: ward.db.clone(),
            session_id: session_id.clone(),
            replica_id: ward.replica_id.clone(),
            interval: ward.config.reply_checkpoint_interval,
            bytes: ward.config.reply_checkpoint_bytes,
            running: None,
        }
    }

    /// Text the clinician was just shown, of the reply that will take `position`.
    pub fn push(&mut self, position: i64, text: &str) {
        if self.interval.is_zero() || text.is_empty() {
            return;
        }
        let shared = match &self.running {
            Some((shared, _)) => shared.clone(),
            None => {
                let shared = Arc::new(Shared {
                    pending: Mutex::new(Pending {
                        position,
                        text: String::new(),
                        replace: true,
                    }),
                    wake: Notify::new(),
                    wrote: AtomicBool::new(false),
                });
                let task = tokio::spawn(write_loop(
                    shared.clone(),
                    self.db.clone(),
                    self.session_id.clone(),
                    self.replica_id.clone(),
                    self.interval,
                    self.bytes,
                ));
                self.running = Some((shared.clone(), task));
                shared
            }
        };
        {
            let mut p = shared.lock();
            if p.position != position {
                // A new round: the last one's reply was stored with its tool calls.
                p.position = position;
                p.text.clear();
                p.replace = true;
            }
            p.text.push_str(text);
        }
        shared.wake.notify_one();
    }

    /// Stops the writer (a write under way is abandoned and rolled back) before the
    /// turn's last transaction; returns whether a checkpoint may be stored, which that
    /// transaction then drops ([`clear`]).
    pub async fn stop(&mut self) -> bool {
        let Some((shared, task)) = self.running.take() else {
            return false;
        };
        task.abort();
        let _ = task.await;
        shared.wrote.load(Ordering::Acquire)
    }
}

impl Drop for Checkpoint {
    fn drop(&mut self) {
        if let Some((_, task)) = &self.running {
            task.abort();
        }
    }
}

/// The removal of session `session_id`'s checkpoint.
pub fn clear(session_id: &SessionId) -> Sql {
    Sql::new(
        "DELETE FROM chat_reply_checkpoints WHERE session_id = $1",
        [session_id.into()],
    )
}

/// The writer task: waits for text, lets a batch gather (the interval, or the byte
/// threshold), writes it, and again.
async fn write_loop(
    shared: Arc<Shared>,
    db: DatabaseConnection,
    session_id: SessionId,
    replica_id: String,
    interval: Duration,
    bytes: usize,
) {
    loop {
        shared.wake.notified().await;
        let deadline = tokio::time::Instant::now() + interval;
        while shared.lock().text.len() < bytes {
            tokio::select! {
                () = tokio::time::sleep_until(deadline) => break,
                () = shared.wake.notified() => {}
            }
        }
        let (position, text, replace) = {
            let mut p = shared.lock();
            let replace = std::mem::take(&mut p.replace);
            (p.position, std::mem::take(&mut p.text), replace)
        };
        if text.is_empty() && !replace {
            continue;
        }
        // Set first: a write abandoned by [`Checkpoint::stop`] may still have committed.
        shared.wrote.store(true, Ordering::Release);
        match write(&db, &session_id, &replica_id, position, &text, replace).await {
            Ok(()) => {}
            Err(e) => {
                // Kept for the next write (no text in the log).
                tracing::warn!(error = %e, "a reply checkpoint could not be written");
                let mut p = shared.lock();
                if p.position == position {
                    p.text.insert_str(0, &text);
                    p.replace |= replace;
                }
            }
        }
    }
}

/// One checkpoint write, in one serialised transaction: appends `text` to the session's
/// checkpoint (or replaces it, for a new round), if this replica still holds the lease.
async fn write(
    db: &DatabaseConnection,
    session_id: &SessionId,
    replica_id: &str,
    position: i64,
    text: &str,
    replace: bool,
) -> Result<(), sea_orm::DbErr> {
    let mut batch = Batch::new(db.get_database_backend());
    batch.push(
        "INSERT INTO chat_reply_checkpoints (session_id, position, content, updated_at) \
         SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM chat_sessions \
         WHERE id = $1 AND turn_replica = $5 AND turn_lease_until IS NOT NULL) \
         ON CONFLICT (session_id) DO UPDATE SET \
         content = CASE WHEN chat_reply_checkpoints.position = excluded.position AND $6 = 0 \
         THEN chat_reply_checkpoints.content || excluded.content ELSE excluded.content END, \
         position = excluded.position, updated_at = excluded.updated_at",
        [
            session_id.into(),
            position.into(),
            text.into(),
            Utc::now().into(),
            replica_id.into(),
            i32::from(replace).into(),
        ],
    );
    batch
        .execute_and_commit(db::begin_serialized(db).await?)
        .await
}

//! The per-user rate limit of the tool doors a program drives directly — the tool proxy
//! (`POST /frontend/mcp-proxy/`) and `/mcp` — so one account cannot read the clinical
//! database as fast as the server answers. (Chat turns have their own limit, in the
//! database: `chat::limits`.)
//!
//! A fixed one-minute window per user, counted in this process: with several replicas a
//! user gets at most the limit on each. Checked before the call is authorised, so a
//! refused call costs neither a query nor an audit record.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

/// Calls per user and window.
#[derive(Debug)]
pub struct ToolRateLimit {
    per_minute: u32,
    windows: Mutex<HashMap<i64, (Instant, u32)>>,
}

impl ToolRateLimit {
    /// A limit of `per_minute` calls per user and minute.
    pub fn new(per_minute: u32) -> Self {
        ToolRateLimit {
            per_minute: per_minute.max(1),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one call for `user_id` at `now`, or refuses it with `429 rate_limited` and the
    /// seconds until the window ends.
    pub fn take(&self, user_id: i64, now: Instant) -> Result<()> {
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if w.len() > 10_000 {
            w.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let slot = w.entry(user_id).or_insert((now, 0));
        if now.duration_since(slot.0) >= WINDOW {
            *slot = (now, 0);
        }
        if slot.1 >= self.per_minute {
            let wait = WINDOW.saturating_sub(now.duration_since(slot.0));
            return Err(Error::too_many(
                "rate_limited",
                format!(
                    "Too many tool calls: at most {} a minute. Try again shortly.",
                    self.per_minute
                ),
                wait.as_secs().max(1),
            ));
        }
        slot.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_per_user_until_the_window_ends() {
        let l = ToolRateLimit::new(3);
        let t0 = Instant::now();
        for _ in 0..3 {
            l.take(1, t0).unwrap();
        }
        let e = l.take(1, t0 + Duration::from_secs(10)).unwrap_err();
        assert_eq!(e.code, "rate_limited");
        assert_eq!(e.retry_after_secs, Some(50));
        l.take(2, t0).expect("another user has their own window");
        l.take(1, t0 + WINDOW).expect("a new window");
    }
}

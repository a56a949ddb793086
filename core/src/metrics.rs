//! Process metrics in the Prometheus text format (`GET /metrics`): plain atomic counters,
//! labelled only by outcome or status class, never by user, patient or content.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Ward's counters and gauges.
#[derive(Debug, Default)]
pub struct Metrics {
    http_2xx: AtomicU64,
    http_3xx: AtomicU64,
    http_4xx: AtomicU64,
    http_5xx: AtomicU64,
    tool_ok: AtomicU64,
    tool_denied: AtomicU64,
    tool_error: AtomicU64,
    chat_turns: AtomicU64,
    chat_errors: AtomicU64,
    provider_calls: AtomicU64,
    provider_errors: AtomicU64,
    open_streams: AtomicI64,
    password_checks: AtomicU64,
    sign_ins_throttled: AtomicU64,
}

impl Metrics {
    /// Counts one HTTP response by status class.
    pub fn http_response(&self, status: u16) {
        let c = match status {
            200..=299 => &self.http_2xx,
            300..=399 => &self.http_3xx,
            400..=499 => &self.http_4xx,
            _ => &self.http_5xx,
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one tool call by outcome (`ok`, `denied`, `error`).
    pub fn tool_call(&self, outcome: &str) {
        match outcome {
            "ok" => &self.tool_ok,
            "denied" => &self.tool_denied,
            _ => &self.tool_error,
        }
        .fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one chat turn, failed or not.
    pub fn chat_turn(&self, failed: bool) {
        self.chat_turns.fetch_add(1, Ordering::Relaxed);
        if failed {
            self.chat_errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts one provider call, failed or not.
    pub fn provider_call(&self, failed: bool) {
        self.provider_calls.fetch_add(1, Ordering::Relaxed);
        if failed {
            self.provider_errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts one password check (an argon2 verification of a sign-in).
    pub fn password_check(&self) {
        self.password_checks.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one sign-in attempt refused by the throttle (or the busy password pool).
    pub fn sign_in_throttled(&self) {
        self.sign_ins_throttled.fetch_add(1, Ordering::Relaxed);
    }

    /// Password checks so far (for tests and the sign-in bench).
    pub fn password_checks(&self) -> u64 {
        self.password_checks.load(Ordering::Relaxed)
    }

    /// A guard that counts an open chat stream until dropped.
    pub fn open_stream(self: &std::sync::Arc<Self>) -> StreamGuard {
        self.open_streams.fetch_add(1, Ordering::Relaxed);
        StreamGuard(self.clone())
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        format!(
            "# HELP ward_http_responses_total HTTP responses by status class.\n\
             # TYPE ward_http_responses_total counter\n\
             ward_http_responses_total{{class=\"2xx\"}} {}\n\
             ward_http_responses_total{{class=\"3xx\"}} {}\n\
             ward_http_responses_total{{class=\"4xx\"}} {}\n\
             ward_http_responses_total{{class=\"5xx\"}} {}\n\
             # HELP ward_tool_calls_total Tool calls by outcome.\n\
             # TYPE ward_tool_calls_total counter\n\
             ward_tool_calls_total{{outcome=\"ok\"}} {}\n\
             ward_tool_calls_total{{outcome=\"denied\"}} {}\n\
             ward_tool_calls_total{{outcome=\"error\"}} {}\n\
             # HELP ward_chat_turns_total Chat turns, and those that ended in an error.\n\
             # TYPE ward_chat_turns_total counter\n\
             ward_chat_turns_total {}\n\
             ward_chat_turn_errors_total {}\n\
             # HELP ward_provider_calls_total LLM provider calls, and failures.\n\
             # TYPE ward_provider_calls_total counter\n\
             ward_provider_calls_total {}\n\
             ward_provider_errors_total {}\n\
             # HELP ward_open_streams Chat streams open now.\n\
             # TYPE ward_open_streams gauge\n\
             ward_open_streams {}\n\
             # HELP ward_password_checks_total Password checks (argon2) of sign-ins.\n\
             # TYPE ward_password_checks_total counter\n\
             ward_password_checks_total {}\n\
             # HELP ward_sign_ins_throttled_total Sign-in attempts refused before any check.\n\
             # TYPE ward_sign_ins_throttled_total counter\n\
             ward_sign_ins_throttled_total {}\n",
            g(&self.http_2xx),
            g(&self.http_3xx),
            g(&self.http_4xx),
            g(&self.http_5xx),
            g(&self.tool_ok),
            g(&self.tool_denied),
            g(&self.tool_error),
            g(&self.chat_turns),
            g(&self.chat_errors),
            g(&self.provider_calls),
            g(&self.provider_errors),
            self.open_streams.load(Ordering::Relaxed),
            g(&self.password_checks),
            g(&self.sign_ins_throttled),
        )
    }
}

/// Decrements the open-stream gauge when dropped.
#[derive(Debug)]
pub struct StreamGuard(std::sync::Arc<Metrics>);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.open_streams.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn counters_render_in_prometheus_text() {
        let m = Arc::new(Metrics::default());
        m.http_response(404);
        m.tool_call("denied");
        let g = m.open_stream();
        let text = m.render();
        assert!(text.contains("ward_http_responses_total{class=\"4xx\"} 1"));
        assert!(text.contains("ward_tool_calls_total{outcome=\"denied\"} 1"));
        assert!(text.contains("ward_open_streams 1"));
        drop(g);
        assert!(m.render().contains("ward_open_streams 0"));
    }
}

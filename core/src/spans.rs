//! The spans Ward exports to OpenTelemetry (when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; see
//! `server::telemetry`): one per HTTP request, per chat turn, per provider call and per
//! tool call. Nothing else reaches the exporter: its layer takes only spans of
//! [`TARGET`], never events.
//!
//! PHI-free by construction: a span's attributes are set only through [`WardSpan::set`],
//! whose values are [`SafeValue`]s: a label that is a `&'static str` (a name written in
//! Ward's code, or the configured model), a count, a UUID, or a flag. No constructor takes
//! a runtime string, so no name, identifier of a patient, message text or tool argument
//! can become an attribute. Patients are left out altogether (their ids are PHI).

use crate::config::Config;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use uuid::Uuid;
use ward_domain::tool::ToolName;

/// The tracing target of the exported spans.
pub const TARGET: &str = "ward::otel";

/// An attribute value that cannot hold PHI.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SafeValue {
    /// A name from Ward's code (an enum's name, a route template) or its configuration.
    Label(&'static str),
    /// A count, a status code, a duration.
    Count(i64),
    /// A generated identifier (a chat session).
    Id(Uuid),
    /// A yes or no.
    Flag(bool),
}

impl SafeValue {
    fn into_otel(self) -> opentelemetry::Value {
        match self {
            SafeValue::Label(s) => opentelemetry::Value::from(s),
            SafeValue::Count(n) => opentelemetry::Value::from(n),
            SafeValue::Id(id) => opentelemetry::Value::from(id.to_string()),
            SafeValue::Flag(b) => opentelemetry::Value::from(b),
        }
    }
}

impl From<&'static str> for SafeValue {
    fn from(s: &'static str) -> Self {
        SafeValue::Label(s)
    }
}

impl From<u64> for SafeValue {
    fn from(n: u64) -> Self {
        SafeValue::Count(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<u16> for SafeValue {
    fn from(n: u16) -> Self {
        SafeValue::Count(n.into())
    }
}

impl From<bool> for SafeValue {
    fn from(b: bool) -> Self {
        SafeValue::Flag(b)
    }
}

impl From<Uuid> for SafeValue {
    fn from(id: Uuid) -> Self {
        SafeValue::Id(id)
    }
}

/// What a span measures; its name in the trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// An HTTP request (server side).
    Request,
    /// A chat turn, from the clinician's message to the end of the reply.
    ChatTurn,
    /// One call to the LLM provider (GenAI semantic conventions).
    ProviderCall,
    /// One tool call, through any door.
    ToolCall,
}

/// An exported span; attributes go in only as [`SafeValue`]s.
#[derive(Clone, Debug)]
pub struct WardSpan(tracing::Span);

impl WardSpan {
    /// A new span of `kind`, a child of the current span.
    pub fn new(kind: SpanKind) -> WardSpan {
        let span = match kind {
            SpanKind::Request => {
                tracing::info_span!(target: TARGET, "request", otel.name = "http.request", otel.kind = "server")
            }
            SpanKind::ChatTurn => {
                tracing::info_span!(target: TARGET, "chat_turn", otel.name = "chat.turn")
            }
            SpanKind::ProviderCall => {
                tracing::info_span!(target: TARGET, "provider_call", otel.name = "chat", otel.kind = "client")
            }
            SpanKind::ToolCall => {
                tracing::info_span!(target: TARGET, "tool_call", otel.name = "execute_tool")
            }
        };
        WardSpan(span)
    }

    /// Sets an attribute.
    pub fn set(&self, key: &'static str, value: impl Into<SafeValue>) -> &Self {
        if !self.0.is_disabled() {
            self.0.set_attribute(key, value.into().into_otel());
        }
        self
    }

    /// The tracing span, to instrument a future with.
    pub fn span(&self) -> &tracing::Span {
        &self.0
    }

    /// The span of an HTTP request: method and route template (never the path's values,
    /// the query or the body). The server passes the template the router matched
    /// (`server::http::middleware`), interned from axum's `MatchedPath`.
    pub fn request(method: &http::Method, route: &'static str) -> WardSpan {
        let span = WardSpan::new(SpanKind::Request);
        span.set("http.request.method", method_label(method))
            .set("http.route", route);
        span
    }

    /// The span of a chat turn in `session_id` by user `user_id`.
    pub fn chat_turn(session_id: &str, user_id: i64) -> WardSpan {
        let span = WardSpan::new(SpanKind::ChatTurn);
        if let Ok(id) = Uuid::parse_str(session_id) {
            span.set("ward.chat.session_id", id);
        }
        span.set("enduser.id", SafeValue::Count(user_id));
        span
    }

    /// The span of a provider call, by the GenAI semantic conventions.
    pub fn provider_call(config: &Config) -> WardSpan {
        let span = WardSpan::new(SpanKind::ProviderCall);
        span.set("gen_ai.operation.name", "chat")
            .set("gen_ai.system", config.llm_provider.as_str())
            .set("gen_ai.request.model", configured_model(config))
            .set(
                "gen_ai.request.max_tokens",
                u64::from(config.llm_max_tokens),
            );
        span
    }

    /// The span of a tool call: the tool (only a tool Ward knows; else `unknown`) and the
    /// door it came through.
    pub fn tool_call(tool: &str, door: &'static str) -> WardSpan {
        let span = WardSpan::new(SpanKind::ToolCall);
        let name = tool
            .parse::<ToolName>()
            .map(ToolName::as_str)
            .unwrap_or("unknown");
        span.set("gen_ai.operation.name", "execute_tool")
            .set("gen_ai.tool.name", name)
            .set("ward.tool.door", door);
        span
    }

    /// Records a provider call's token counts.
    pub fn tokens(&self, input: u64, output: u64) -> &Self {
        self.set("gen_ai.usage.input_tokens", input)
            .set("gen_ai.usage.output_tokens", output)
    }
}

/// Records token counts on the current span (the chat turn's).
pub fn record_turn_tokens(input: u64, output: u64, failed: bool) {
    WardSpan(tracing::Span::current())
        .tokens(input, output)
        .set("ward.chat.failed", failed);
}

/// The HTTP method as a label (`OTHER` for an extension method).
fn method_label(method: &http::Method) -> &'static str {
    use http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "_OTHER",
    }
}

/// Interned labels: strings from configuration and route templates, which are few and
/// live as long as the process.
fn intern(s: &str) -> &'static str {
    static SET: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut set = SET
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(v) = set.get(s) {
        return v;
    }
    let v: &'static str = Box::leak(s.to_owned().into_boxed_str());
    set.insert(v);
    v
}

/// The configured model's name as a label (configuration, not data).
pub fn configured_model(config: &Config) -> &'static str {
    intern(&config.llm_model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_interned_once_and_tool_names_are_only_known_tools() {
        let a = intern("gpt-4o-mini");
        let b = intern(&String::from("gpt-4o-mini"));
        assert!(std::ptr::eq(a, b));
        assert!("John Doe".parse::<ToolName>().is_err());
        assert_eq!(
            method_label(&http::Method::from_bytes(b"PURGE").unwrap()),
            "_OTHER"
        );
    }
}

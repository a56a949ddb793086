//! LLM providers behind one trait. Requests are built only from [`Protected`] text; the
//! provider streams back text and tool-call deltas.
//!
//! - [`openai`]: every remote provider (OpenAI, Azure, Anthropic's OpenAI-compatible
//!   endpoint, vLLM, Ollama, llama.cpp) through async-openai, with a timeout, and retries
//!   with backoff on 429/5xx before the first byte.
//! - [`offline`]: the default deterministic local agent for demos and tests.

pub mod offline;
mod offline_records;
pub mod openai;

use crate::config::{Config, ProviderKind};
use crate::privacy::Protected;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use serde_json::Value;
use std::sync::Arc;

/// One message to the model.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelMessage {
    /// Ward's instructions.
    System(Protected),
    /// The clinician (protected).
    User(Protected),
    /// The model's earlier output.
    Assistant {
        /// Its text, if any.
        text: Option<Protected>,
        /// Its tool calls.
        tool_calls: Vec<ModelToolCall>,
    },
    /// A tool's result (protected and framed as data).
    Tool {
        /// The call it answers.
        call_id: Protected,
        /// The result.
        content: Protected,
    },
}

/// A tool call the model made.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelToolCall {
    /// The call id.
    pub id: Protected,
    /// The tool name.
    pub name: Protected,
    /// The arguments as the model wrote them (JSON text; may contain surrogates).
    pub arguments: Protected,
}

/// A tool as offered to the model.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelTool {
    /// Name.
    pub name: &'static str,
    /// Description.
    pub description: &'static str,
    /// JSON Schema of the arguments (built once per process, see
    /// [`ward_domain::tool::ToolName::input_schema`]).
    pub parameters: &'static Value,
}

/// A rough count of the prompt tokens of `messages` (about four characters a token), used
/// to size budget reservations before the provider reports real usage.
pub fn estimated_prompt_tokens(messages: &[ModelMessage]) -> u64 {
    use ward_domain::pricing::estimate_tokens;
    messages
        .iter()
        .map(|m| match m {
            ModelMessage::System(t) | ModelMessage::User(t) => estimate_tokens(t.as_str()),
            ModelMessage::Tool { content, .. } => estimate_tokens(content.as_str()),
            ModelMessage::Assistant { text, tool_calls } => {
                text.as_ref().map_or(0, |t| estimate_tokens(t.as_str()))
                    + tool_calls
                        .iter()
                        .map(|c| estimate_tokens(c.arguments.as_str()))
                        .sum::<u64>()
            }
        })
        .sum()
}

/// One provider call.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelRequest {
    /// The conversation.
    pub messages: Vec<ModelMessage>,
    /// Tools the caller may use (empty: answer without tools).
    pub tools: Vec<ModelTool>,
    /// Completion limit.
    pub max_tokens: u32,
    /// Temperature.
    pub temperature: f32,
}

/// Text the model produced, as the provider streamed it: a type of its own, made only
/// here in the provider layer, so nothing else can pass for the model's output. It may
/// hold surrogates; the clinician sees it only after `SessionVault::restore`, the
/// provider gets it back only through [`Protected::from_model`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModelOutput(String);

impl ModelOutput {
    /// From the provider's stream (only the provider layer makes these).
    pub(in crate::chat::provider) fn new(text: impl Into<String>) -> ModelOutput {
        ModelOutput(text.into())
    }

    /// Any text, in unit tests only.
    #[cfg(test)]
    pub fn new_for_tests(text: &str) -> ModelOutput {
        ModelOutput(text.to_string())
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Appends another piece of the same output.
    pub fn push(&mut self, piece: &ModelOutput) {
        self.0.push_str(&piece.0);
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// What the provider streams back.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelEvent {
    /// A piece of text.
    Text(ModelOutput),
    /// A piece of a tool call; pieces with the same index belong together.
    ToolCallDelta {
        /// Which call.
        index: u32,
        /// Its id (usually on the first piece).
        id: Option<ModelOutput>,
        /// Its name (usually on the first piece).
        name: Option<ModelOutput>,
        /// A piece of its JSON arguments.
        arguments: Option<ModelOutput>,
    },
    /// Token usage of the whole call.
    Usage {
        /// Prompt tokens.
        prompt_tokens: u64,
        /// Completion tokens.
        completion_tokens: u64,
    },
}

/// Why a provider call failed. Messages contain no request content.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// No answer within `LLM_TIMEOUT`.
    #[error("the model provider did not answer in time")]
    Timeout,
    /// 429 after every retry.
    #[error("the model provider is rate limiting Ward")]
    RateLimited,
    /// A 5xx status after every retry.
    #[error("the model provider failed (HTTP {0})")]
    Server(u16),
    /// A 4xx status other than 429.
    #[error("the model provider refused the request (HTTP {0})")]
    Refused(u16),
    /// The stream could not be parsed.
    #[error("the model provider sent a malformed response")]
    Malformed,
    /// The connection broke.
    #[error("the connection to the model provider broke")]
    Disconnected,
    /// Could not connect.
    #[error("Ward cannot reach the model provider")]
    Unreachable,
}

impl ProviderError {
    /// A machine code for the `error` event.
    pub fn code(&self) -> &'static str {
        match self {
            ProviderError::Timeout => "provider_timeout",
            ProviderError::RateLimited => "provider_rate_limited",
            ProviderError::Server(_) => "provider_error",
            ProviderError::Refused(_) => "provider_refused",
            ProviderError::Malformed => "provider_malformed_response",
            ProviderError::Disconnected => "provider_disconnected",
            ProviderError::Unreachable => "provider_unreachable",
        }
    }

    /// Whether a retry could help (only before the first byte).
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            ProviderError::RateLimited
                | ProviderError::Server(_)
                | ProviderError::Unreachable
                | ProviderError::Timeout
        )
    }
}

/// A stream of model events.
pub type EventStream = BoxStream<'static, Result<ModelEvent, ProviderError>>;

/// An LLM provider.
pub trait Provider: Send + Sync {
    /// `offline`, `openai`, `azure`, `anthropic` or `openai-compatible`.
    fn kind(&self) -> &'static str;
    /// The model name (for prices and usage).
    fn model(&self) -> &str;
    /// Whether this is the deterministic local agent (labelled as such in the UI).
    fn is_offline(&self) -> bool {
        false
    }
    /// Starts a call; resolves once the first event has arrived (or the call failed).
    fn start(&self, request: ModelRequest) -> BoxFuture<'_, Result<EventStream, ProviderError>>;
}

/// The provider the configuration names.
pub fn from_config(c: &Config) -> anyhow::Result<Arc<dyn Provider>> {
    Ok(match c.llm_provider {
        ProviderKind::Offline => Arc::new(offline::OfflineAgent::new(&c.llm_model)),
        _ => Arc::new(openai::RemoteProvider::from_config(c)?),
    })
}

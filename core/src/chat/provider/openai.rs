//! Every remote provider through async-openai's chat-completions client: OpenAI, Azure
//! OpenAI, Anthropic (its OpenAI-compatible endpoint) and any OpenAI-compatible server
//! (vLLM, Ollama, llama.cpp). Streams with `include_usage`; each attempt and each idle gap
//! is bounded by `LLM_TIMEOUT`; 429, 5xx, timeouts and connection failures before the
//! first byte are retried with exponential backoff; after the first byte a failure ends
//! the stream with an error.
//!
//! Requests and streamed chunks use Ward's own wire types ([`wire`], through async-openai's
//! `byot` methods): the request borrows the conversation and the tool schemas instead of
//! copying them into async-openai's types, and a chunk keeps only what Ward reads, which
//! makes each queued chunk smaller and cheaper to parse.

use super::{
    EventStream, ModelEvent, ModelMessage, ModelOutput, ModelRequest, Provider, ProviderError,
};
use crate::config::{Config, ProviderKind};
use async_openai::config::{AzureConfig, Config as ClientConfig, OpenAIConfig};
use async_openai::error::OpenAIError;
use async_openai::Client;
use futures::future::BoxFuture;
use futures::{stream, StreamExt};
use std::time::Duration;

/// A remote, OpenAI-compatible provider.
pub struct RemoteProvider {
    kind: ProviderKind,
    model: String,
    client: Client<Box<dyn ClientConfig>>,
    timeout: Duration,
    max_retries: u32,
    /// OpenAI and Azure want `max_completion_tokens`; other servers `max_tokens`.
    completion_tokens_field: bool,
}

impl RemoteProvider {
    /// Builds the client the configuration describes.
    pub fn from_config(c: &Config) -> anyhow::Result<RemoteProvider> {
        let key = c.llm_api_key.clone().unwrap_or_default();
        let base = c.llm_base_url.clone();
        let config: Box<dyn ClientConfig> = match c.llm_provider {
            ProviderKind::Azure => {
                let base = base.ok_or_else(|| anyhow::anyhow!("LLM_PROVIDER=azure needs LLM_BASE_URL (https://<resource>.openai.azure.com)"))?;
                Box::new(
                    AzureConfig::new()
                        .with_api_base(base)
                        .with_deployment_id(c.llm_model.clone())
                        .with_api_version(c.llm_azure_api_version.clone())
                        .with_api_key(key),
                )
            }
            kind => {
                let base = match (kind, base) {
                    (_, Some(b)) => b,
                    (ProviderKind::OpenAi, None) => "https://api.openai.com/v1".into(),
                    (ProviderKind::Anthropic, None) => "https://api.anthropic.com/v1".into(),
                    _ => anyhow::bail!("LLM_PROVIDER=openai-compatible needs LLM_BASE_URL (e.g. http://127.0.0.1:8000/v1)"),
                };
                if matches!(kind, ProviderKind::OpenAi | ProviderKind::Anthropic) && key.is_empty()
                {
                    anyhow::bail!("LLM_PROVIDER={} needs LLM_API_KEY", kind.as_str());
                }
                Box::new(OpenAIConfig::new().with_api_base(base).with_api_key(key))
            }
        };
        let mut http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .pool_idle_timeout(Duration::from_secs(60));
        if c.llm_http2_prior_knowledge {
            http = http.http2_prior_knowledge();
        }
        let http = http.build()?;
        Ok(RemoteProvider {
            kind: c.llm_provider,
            model: c.llm_model.clone(),
            // Ward retries itself (bounded, configurable, only before the first byte), so
            // the client gets the plain transport without async-openai's retry layer.
            client: Client::with_config(config)
                .with_http_service(async_openai::middleware::ReqwestService::new(http)),
            timeout: c.llm_timeout,
            max_retries: c.llm_max_retries,
            completion_tokens_field: matches!(
                c.llm_provider,
                ProviderKind::OpenAi | ProviderKind::Azure
            ),
        })
    }

    /// The request body: Ward's own serialisable view of `req`, borrowing its text and the
    /// process-wide tool schemas, so nothing is copied before serialisation.
    fn wire<'a>(&'a self, req: &'a ModelRequest) -> wire::Request<'a> {
        let messages = req
            .messages
            .iter()
            .map(|m| match m {
                ModelMessage::System(t) => wire::Message::System {
                    content: t.as_str(),
                },
                ModelMessage::User(t) => wire::Message::User {
                    content: t.as_str(),
                },
                ModelMessage::Assistant { text, tool_calls } => wire::Message::Assistant {
                    content: text.as_ref().map(|t| t.as_str()),
                    tool_calls: tool_calls
                        .iter()
                        .map(|c| wire::ToolCall {
                            id: c.id.as_str(),
                            kind: "function",
                            function: wire::FunctionCall {
                                name: c.name.as_str(),
                                arguments: c.arguments.as_str(),
                            },
                        })
                        .collect(),
                },
                ModelMessage::Tool { call_id, content } => wire::Message::Tool {
                    content: content.as_str(),
                    tool_call_id: call_id.as_str(),
                },
            })
            .collect();
        let tools = req
            .tools
            .iter()
            .map(|t| wire::Tool {
                kind: "function",
                function: wire::Function {
                    name: t.name,
                    description: t.description,
                    parameters: t.parameters,
                },
            })
            .collect();
        wire::Request {
            model: &self.model,
            messages,
            tools,
            temperature: req.temperature,
            max_completion_tokens: self.completion_tokens_field.then_some(req.max_tokens),
            max_tokens: (!self.completion_tokens_field).then_some(req.max_tokens),
            stream: true,
            stream_options: wire::StreamOptions {
                include_usage: true,
            },
        }
    }
}

/// Maps async-openai's error to Ward's.
fn classify(e: &OpenAIError) -> ProviderError {
    match e {
        OpenAIError::ApiError(api) => {
            let code = api.status_code.as_u16();
            match code {
                429 => ProviderError::RateLimited,
                500..=599 => ProviderError::Server(code),
                _ => ProviderError::Refused(code),
            }
        }
        OpenAIError::Reqwest(r) if r.is_timeout() => ProviderError::Timeout,
        OpenAIError::Reqwest(r) if r.is_connect() => ProviderError::Unreachable,
        OpenAIError::Reqwest(_) => ProviderError::Disconnected,
        OpenAIError::JSONDeserialize(..) => ProviderError::Malformed,
        OpenAIError::StreamError(_) => ProviderError::Disconnected,
        _ => ProviderError::Malformed,
    }
}

/// Turns one streamed chunk into model events.
fn events_of(chunk: wire::Chunk) -> Vec<Result<ModelEvent, ProviderError>> {
    let mut out = vec![];
    for choice in chunk.choices.into_iter().filter(|c| c.index == 0) {
        let delta = choice.delta.unwrap_or_default();
        if let Some(text) = delta.content.filter(|t| !t.is_empty()) {
            out.push(Ok(ModelEvent::Text(ModelOutput::new(text))));
        }
        for call in delta.tool_calls.unwrap_or_default() {
            let (name, arguments) = match call.function {
                Some(f) => (f.name, f.arguments),
                None => (None, None),
            };
            out.push(Ok(ModelEvent::ToolCallDelta {
                index: call.index,
                id: call.id.map(ModelOutput::new),
                name: name.map(ModelOutput::new),
                arguments: arguments.map(ModelOutput::new),
            }));
        }
    }
    if let Some(u) = chunk.usage {
        out.push(Ok(ModelEvent::Usage {
            prompt_tokens: u.prompt_tokens,
            completion_tokens: u.completion_tokens,
        }));
    }
    out
}

impl Provider for RemoteProvider {
    fn kind(&self) -> &'static str {
        self.kind.as_str()
    }

    fn model(&self) -> &str {
        &self.model
    }

    fn start(&self, request: ModelRequest) -> BoxFuture<'_, Result<EventStream, ProviderError>> {
        Box::pin(async move {
            let body = self.wire(&request);
            let mut attempt = 0u32;
            loop {
                let outcome = tokio::time::timeout(self.timeout, async {
                    let mut s = self
                        .client
                        .chat()
                        .create_stream_byot::<_, wire::Chunk>(&body)
                        .await
                        .map_err(|e| classify(&e))?;
                    // Wait for the first chunk, so failures before the first byte can be retried.
                    match s.next().await {
                        None => Ok((vec![], s)),
                        Some(Err(e)) => Err(classify(&e)),
                        Some(Ok(first)) => Ok((events_of(first), s)),
                    }
                })
                .await
                .unwrap_or(Err(ProviderError::Timeout));
                match outcome {
                    Ok((first, rest)) => {
                        let timeout = self.timeout;
                        let rest = stream::unfold(rest, move |mut s| async move {
                            match tokio::time::timeout(timeout, s.next()).await {
                                Err(_) => Some((vec![Err(ProviderError::Timeout)], s)),
                                Ok(None) => None,
                                Ok(Some(Err(e))) => Some((vec![Err(classify(&e))], s)),
                                Ok(Some(Ok(chunk))) => Some((events_of(chunk), s)),
                            }
                        })
                        .flat_map(stream::iter);
                        return Ok(stream::iter(first).chain(rest).boxed());
                    }
                    Err(e) if e.retryable() && attempt < self.max_retries => {
                        let backoff = Duration::from_millis(200 * 2u64.pow(attempt))
                            + Duration::from_millis(rand::random::<u64>() % 100);
                        tracing::warn!(provider = self.kind(), error = %e, attempt, "retrying the provider call");
                        tokio::time::sleep(backoff).await;
                        attempt += 1;
                    }
                    Err(e) => return Err(e),
                }
            }
        })
    }
}

/// The chat-completions wire format, as far as Ward writes and reads it.
mod wire {
    use serde::{Deserialize, Serialize};
    use serde_json::Value;

    /// A streamed chat-completions request.
    #[derive(Serialize)]
    pub struct Request<'a> {
        pub model: &'a str,
        pub messages: Vec<Message<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub tools: Vec<Tool<'a>>,
        pub temperature: f32,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_completion_tokens: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_tokens: Option<u32>,
        pub stream: bool,
        pub stream_options: StreamOptions,
    }

    /// Asks for a final chunk with token usage.
    #[derive(Serialize)]
    pub struct StreamOptions {
        pub include_usage: bool,
    }

    /// One message, tagged by its `role`.
    #[derive(Serialize)]
    #[serde(tag = "role", rename_all = "lowercase")]
    pub enum Message<'a> {
        System {
            content: &'a str,
        },
        User {
            content: &'a str,
        },
        Assistant {
            #[serde(skip_serializing_if = "Option::is_none")]
            content: Option<&'a str>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            tool_calls: Vec<ToolCall<'a>>,
        },
        Tool {
            content: &'a str,
            tool_call_id: &'a str,
        },
    }

    /// A tool call the model made earlier (`type: "function"`).
    #[derive(Serialize)]
    pub struct ToolCall<'a> {
        pub id: &'a str,
        #[serde(rename = "type")]
        pub kind: &'static str,
        pub function: FunctionCall<'a>,
    }

    /// The called function and its JSON arguments as the model wrote them.
    #[derive(Serialize)]
    pub struct FunctionCall<'a> {
        pub name: &'a str,
        pub arguments: &'a str,
    }

    /// A tool offered to the model (`type: "function"`).
    #[derive(Serialize)]
    pub struct Tool<'a> {
        #[serde(rename = "type")]
        pub kind: &'static str,
        pub function: Function<'a>,
    }

    /// A tool's name, description and JSON Schema (the process-wide one, borrowed).
    #[derive(Serialize)]
    pub struct Function<'a> {
        pub name: &'a str,
        pub description: &'a str,
        pub parameters: &'a Value,
    }

    /// One streamed chunk: `choices` is required (the usage chunk sends it empty); a
    /// missing `Option` field reads as `None`.
    #[derive(Deserialize)]
    pub struct Chunk {
        pub choices: Vec<Choice>,
        pub usage: Option<Usage>,
    }

    /// One choice of a chunk; Ward reads choice 0 only.
    #[derive(Deserialize)]
    pub struct Choice {
        #[serde(default)]
        pub index: u32,
        pub delta: Option<Delta>,
    }

    /// What a chunk adds: text and pieces of tool calls.
    #[derive(Deserialize, Default)]
    pub struct Delta {
        pub content: Option<String>,
        pub tool_calls: Option<Vec<ToolCallDelta>>,
    }

    /// A piece of a tool call; pieces with the same `index` belong together.
    #[derive(Deserialize)]
    pub struct ToolCallDelta {
        #[serde(default)]
        pub index: u32,
        pub id: Option<String>,
        pub function: Option<FunctionDelta>,
    }

    /// A piece of the called function's name or arguments.
    #[derive(Deserialize)]
    pub struct FunctionDelta {
        pub name: Option<String>,
        pub arguments: Option<String>,
    }

    /// Token usage of the whole call (in the last chunk).
    #[derive(Deserialize)]
    pub struct Usage {
        pub prompt_tokens: u64,
        pub completion_tokens: u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::Protected;
    use serde_json::{json, Value};

    fn provider(kind: &str) -> RemoteProvider {
        let c = Config::from_lookup(|k| match k {
            "LLM_PROVIDER" => Some(kind.into()),
            "LLM_BASE_URL" => Some("http://127.0.0.1:9/v1".into()),
            "LLM_API_KEY" => Some("sk-test".into()),
            "LLM_MODEL" => Some("m-1".into()),
            _ => None,
        })
        .unwrap();
        RemoteProvider::from_config(&c).unwrap()
    }

    fn body(p: &RemoteProvider, req: &ModelRequest) -> Value {
        serde_json::to_value(p.wire(req)).unwrap()
    }

    #[test]
    fn the_request_is_the_chat_completions_format() {
        static SCHEMA: std::sync::LazyLock<Value> =
            std::sync::LazyLock::new(|| json!({"type": "object"}));
        let req = ModelRequest {
            messages: vec![
                ModelMessage::System(Protected::for_tests("rules")),
                ModelMessage::User(Protected::for_tests("labs for [PATIENT_1]")),
                ModelMessage::Assistant {
                    text: None,
                    tool_calls: vec![super::super::ModelToolCall {
                        id: Protected::for_tests("c1"),
                        name: Protected::for_tests("get_lab_results"),
                        arguments: Protected::for_tests(r#"{"patient_id":"P"}"#),
                    }],
                },
                ModelMessage::Tool {
                    call_id: Protected::for_tests("c1"),
                    content: Protected::for_tests("<untrusted_data>…</untrusted_data>"),
                },
            ],
            tools: vec![super::super::ModelTool {
                name: "get_lab_results",
                description: "Labs",
                parameters: &SCHEMA,
            }],
            max_tokens: 512,
            temperature: 0.25,
        };
        let b = body(&provider("openai-compatible"), &req);
        assert_eq!(
            b,
            json!({
                "model": "m-1",
                "messages": [
                    {"role": "system", "content": "rules"},
                    {"role": "user", "content": "labs for [PATIENT_1]"},
                    {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
                        "function": {"name": "get_lab_results", "arguments": "{\"patient_id\":\"P\"}"}}]},
                    {"role": "tool", "content": "<untrusted_data>…</untrusted_data>", "tool_call_id": "c1"},
                ],
                "tools": [{"type": "function", "function": {"name": "get_lab_results",
                    "description": "Labs", "parameters": {"type": "object"}}}],
                "temperature": 0.25,
                "max_tokens": 512,
                "stream": true,
                "stream_options": {"include_usage": true},
            })
        );
        // OpenAI wants `max_completion_tokens`; no tools means no `tools` key.
        let plain = ModelRequest {
            tools: vec![],
            ..req
        };
        let b = body(&provider("openai"), &plain);
        assert_eq!(b["max_completion_tokens"], 512);
        assert!(b.get("max_tokens").is_none() && b.get("tools").is_none());
    }

    #[test]
    fn chunks_become_events_and_bad_chunks_are_refused() {
        let chunk: wire::Chunk = serde_json::from_str(
            r#"{"id":"x","object":"chat.completion.chunk","created":1,"model":"m",
               "choices":[{"index":0,"delta":{"role":"assistant","content":"Hi",
               "tool_calls":[{"index":1,"id":"c","type":"function","function":{"name":"t","arguments":"{"}}]},
               "finish_reason":null},{"index":1,"delta":{"content":"other choice"}}],
               "usage":null}"#,
        )
        .unwrap();
        let events: Vec<ModelEvent> = events_of(chunk).into_iter().map(Result::unwrap).collect();
        assert_eq!(
            events,
            [
                ModelEvent::Text(ModelOutput::new("Hi")),
                ModelEvent::ToolCallDelta {
                    index: 1,
                    id: Some(ModelOutput::new("c")),
                    name: Some(ModelOutput::new("t")),
                    arguments: Some(ModelOutput::new("{")),
                },
            ]
        );
        let usage: wire::Chunk = serde_json::from_str(
            r#"{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}"#,
        )
        .unwrap();
        assert_eq!(
            events_of(usage)
                .into_iter()
                .map(Result::unwrap)
                .collect::<Vec<_>>(),
            [ModelEvent::Usage {
                prompt_tokens: 7,
                completion_tokens: 3
            }]
        );
        let null_delta: wire::Chunk =
            serde_json::from_str(r#"{"choices":[{"index":0,"delta":null}]}"#).unwrap();
        assert!(events_of(null_delta).is_empty());
        assert!(serde_json::from_str::<wire::Chunk>(r#"{"error":"nope"}"#).is_err());
    }
}

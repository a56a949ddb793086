//! Every remote provider through async-openai's chat-completions client: OpenAI, Azure
//! OpenAI, Anthropic (its OpenAI-compatible endpoint) and any OpenAI-compatible server
//! (vLLM, Ollama, llama.cpp). Streams with `include_usage`; each attempt and each idle gap
//! is bounded by `LLM_TIMEOUT`; 429, 5xx, timeouts and connection failures before the
//! first byte are retried with exponential backoff; after the first byte a failure ends
//! the stream with an error.

use super::{EventStream, ModelEvent, ModelMessage, ModelRequest, Provider, ProviderError};
use crate::config::{Config, ProviderKind};
use async_openai::config::{AzureConfig, Config as ClientConfig, OpenAIConfig};
use async_openai::error::OpenAIError;
use async_openai::types::chat::{
    ChatCompletionMessageToolCall, ChatCompletionMessageToolCalls,
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestMessage,
    ChatCompletionRequestSystemMessage, ChatCompletionRequestToolMessage,
    ChatCompletionRequestUserMessage, ChatCompletionStreamOptions, ChatCompletionTool,
    ChatCompletionTools, CreateChatCompletionRequest, CreateChatCompletionStreamResponse,
    FunctionCall, FunctionObject,
};
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

    // `max_tokens` is deprecated by OpenAI but is what vLLM, Ollama and llama.cpp read.
    #[allow(deprecated)]
    fn build(&self, req: &ModelRequest) -> CreateChatCompletionRequest {
        let messages = req
            .messages
            .iter()
            .map(|m| match m {
                ModelMessage::System(t) => {
                    ChatCompletionRequestMessage::System(ChatCompletionRequestSystemMessage {
                        content: t.as_str().into(),
                        name: None,
                    })
                }
                ModelMessage::User(t) => {
                    ChatCompletionRequestMessage::User(ChatCompletionRequestUserMessage {
                        content: t.as_str().into(),
                        name: None,
                    })
                }
                ModelMessage::Assistant { text, tool_calls } => {
                    ChatCompletionRequestMessage::Assistant(ChatCompletionRequestAssistantMessage {
                        content: text.as_ref().map(|t| t.as_str().into()),
                        tool_calls: (!tool_calls.is_empty()).then(|| {
                            tool_calls
                                .iter()
                                .map(|c| {
                                    ChatCompletionMessageToolCalls::Function(
                                        ChatCompletionMessageToolCall {
                                            id: c.id.clone(),
                                            function: FunctionCall {
                                                name: c.name.clone(),
                                                arguments: c.arguments.as_str().to_string(),
                                            },
                                        },
                                    )
                                })
                                .collect()
                        }),
                        ..Default::default()
                    })
                }
                ModelMessage::Tool { call_id, content } => {
                    ChatCompletionRequestMessage::Tool(ChatCompletionRequestToolMessage {
                        content: content.as_str().into(),
                        tool_call_id: call_id.clone(),
                    })
                }
            })
            .collect();
        let tools: Vec<ChatCompletionTools> = req
            .tools
            .iter()
            .map(|t| {
                ChatCompletionTools::Function(ChatCompletionTool {
                    function: FunctionObject {
                        name: t.name.to_string(),
                        description: Some(t.description.to_string()),
                        parameters: Some(t.parameters.clone()),
                        strict: None,
                    },
                })
            })
            .collect();
        CreateChatCompletionRequest {
            model: self.model.clone(),
            messages,
            tools: (!tools.is_empty()).then_some(tools),
            temperature: Some(req.temperature),
            max_completion_tokens: self.completion_tokens_field.then_some(req.max_tokens),
            max_tokens: (!self.completion_tokens_field).then_some(req.max_tokens),
            stream_options: Some(ChatCompletionStreamOptions {
                include_usage: Some(true),
                include_obfuscation: None,
            }),
            ..Default::default()
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
fn events_of(chunk: CreateChatCompletionStreamResponse) -> Vec<Result<ModelEvent, ProviderError>> {
    let mut out = vec![];
    for choice in chunk.choices.into_iter().filter(|c| c.index == 0) {
        if let Some(text) = choice.delta.content.filter(|t| !t.is_empty()) {
            out.push(Ok(ModelEvent::Text(text)));
        }
        for call in choice.delta.tool_calls.unwrap_or_default() {
            let (name, arguments) = match call.function {
                Some(f) => (f.name, f.arguments),
                None => (None, None),
            };
            out.push(Ok(ModelEvent::ToolCallDelta {
                index: call.index,
                id: call.id,
                name,
                arguments,
            }));
        }
    }
    if let Some(u) = chunk.usage {
        out.push(Ok(ModelEvent::Usage {
            prompt_tokens: u.prompt_tokens as u64,
            completion_tokens: u.completion_tokens as u64,
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
            let body = self.build(&request);
            let mut attempt = 0u32;
            loop {
                let outcome = tokio::time::timeout(self.timeout, async {
                    let mut s = self
                        .client
                        .chat()
                        .create_stream(body.clone())
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

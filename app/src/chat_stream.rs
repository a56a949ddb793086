//! The chat stream in the browser: `POST /frontend/api/chat/message/` read as NDJSON
//! through the response body's `ReadableStream`, one [`StreamEvent`] per line, with a
//! [`StreamStop`] that aborts the fetch.

use crate::client::ApiError;
use ward_domain::api::{ChatMessageRequest, JsonText};
use ward_domain::chat::{ChatEvent, ChatEventKind, PatientBanner, ToolStatus};

/// A chat-stream event (docs/contract.md §5) as the screen uses it.
#[derive(Clone, Debug, PartialEq)]
pub enum StreamEvent {
    /// A piece of the reply.
    Delta(String),
    /// The whole reply.
    Message(String),
    /// A tool call, before it runs.
    ToolCall {
        /// The call id.
        id: String,
        /// The tool.
        name: String,
        /// The arguments as JSON text.
        arguments: String,
    },
    /// A tool's result as the clinician may see it.
    ToolResult {
        /// The call id.
        id: String,
        /// ok, denied or error.
        status: ToolStatus,
        /// The masked result, or `{error, code}`.
        result: JsonText,
    },
    /// The session is now about this patient (the server's binding).
    Patient(PatientBanner),
    /// An error; the stream ends.
    Error {
        /// The machine code.
        code: String,
        /// Ward's sentence.
        message: String,
    },
    /// The end of the turn.
    Done,
}

impl StreamEvent {
    /// The screen's view of an event the server wrote.
    fn of(event: ChatEvent) -> StreamEvent {
        match event.kind {
            ChatEventKind::Delta { content } => StreamEvent::Delta(content),
            ChatEventKind::Message { content, .. } => StreamEvent::Message(content),
            ChatEventKind::ToolCall { id, function } => StreamEvent::ToolCall {
                id,
                name: function.name,
                arguments: function.arguments,
            },
            ChatEventKind::ToolResult {
                id, status, result, ..
            } => StreamEvent::ToolResult { id, status, result },
            ChatEventKind::Patient(p) => StreamEvent::Patient(p),
            ChatEventKind::Error { code, message } => StreamEvent::Error { code, message },
            ChatEventKind::Done { .. } => StreamEvent::Done,
        }
    }
}

/// Splits complete NDJSON lines off the front of `buffer` and decodes them; an incomplete
/// last line stays in the buffer for the next chunk. Lines that are not events are
/// skipped.
pub fn drain_events(buffer: &mut Vec<u8>) -> Vec<StreamEvent> {
    let mut events = vec![];
    while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
        let line: Vec<u8> = buffer.drain(..=end).collect();
        let line = &line[..line.len() - 1];
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // As text, like every other JSON the app reads: one deserializer type in the WASM.
        // The server's own `ChatEvent` reads the envelope, then its content by type.
        if let Some(event) = std::str::from_utf8(line)
            .ok()
            .and_then(|line| serde_json::from_str::<ChatEvent>(line).ok())
            .map(StreamEvent::of)
        {
            events.push(event);
        }
    }
    events
}

/// Stops a running stream (aborts its fetch).
#[derive(Clone)]
pub struct StreamStop {
    #[cfg(feature = "hydrate")]
    controller: web_sys::AbortController,
}

impl StreamStop {
    /// A new, unused stop handle.
    pub fn new() -> Option<Self> {
        #[cfg(feature = "hydrate")]
        {
            Some(StreamStop {
                controller: web_sys::AbortController::new().ok()?,
            })
        }
        #[cfg(not(feature = "hydrate"))]
        {
            None
        }
    }

    /// Aborts the fetch; the stream then ends with [`ApiError::aborted`].
    pub fn stop(&self) {
        #[cfg(feature = "hydrate")]
        self.controller.abort();
    }

    #[cfg(feature = "hydrate")]
    fn aborted(&self) -> bool {
        self.controller.signal().aborted()
    }
}

/// Sends a message and calls `on_event` for each event as it arrives. Refusals before the
/// stream (400, 404, 429…) come back as `Err`; so does a stop ([`ApiError::aborted`]) or a
/// dropped connection.
pub async fn send_message(
    request: ChatMessageRequest,
    stop: StreamStop,
    on_event: leptos::prelude::Callback<StreamEvent>,
) -> Result<(), ApiError> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::Callable;
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        let failed = |e: &dyn std::fmt::Display| {
            if stop.aborted() {
                ApiError::aborted()
            } else {
                ApiError::network(e)
            }
        };
        let signal = stop.controller.signal();
        let mut builder = gloo_net::http::Request::post(ward_domain::paths::api::CHAT_MESSAGE)
            .abort_signal(Some(&signal))
            .header("Accept", "application/x-ndjson");
        if let Some(token) = crate::client::csrf_token() {
            builder = builder.header("X-CSRF-Token", &token);
        }
        let res = builder
            .json(&request)
            .map_err(ApiError::network)?
            .send()
            .await
            .map_err(|e| failed(&e))?;
        if !res.ok() {
            return Err(crate::client::error_of(res).await);
        }
        let body = res
            .body()
            .ok_or_else(|| ApiError::network("the reply had no body"))?;
        let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        let mut buffer = Vec::new();
        loop {
            let chunk = JsFuture::from(reader.read())
                .await
                .map_err(|_| failed(&"the connection dropped"))?;
            let done = js_sys::Reflect::get(&chunk, &"done".into())
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(true);
            if done {
                break;
            }
            if let Ok(value) = js_sys::Reflect::get(&chunk, &"value".into()) {
                buffer.extend(js_sys::Uint8Array::new(&value).to_vec());
            }
            for event in drain_events(&mut buffer) {
                on_event.run(event);
            }
        }
        buffer.push(b'\n');
        for event in drain_events(&mut buffer) {
            on_event.run(event);
        }
        Ok(())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (request, stop, on_event);
        Err(ApiError::network("not in a browser"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_lines_become_events_and_a_partial_line_waits() {
        let mut buf = br#"{"type":"delta","content":"Hel","timestamp":"t"}
{"type":"delta","content":"lo","timestamp":"t"}
{"type":"do"#
            .to_vec();
        let events = drain_events(&mut buf);
        assert_eq!(
            events,
            vec![
                StreamEvent::Delta("Hel".into()),
                StreamEvent::Delta("lo".into())
            ]
        );
        assert_eq!(buf, br#"{"type":"do"#.to_vec());
    }

    #[test]
    fn a_multibyte_character_split_across_chunks_survives() {
        let line = "{\"type\":\"delta\",\"content\":\"é\",\"timestamp\":\"t\"}\n".as_bytes();
        let cut = line.iter().position(|b| *b >= 0x80).unwrap() + 1;
        let mut buf = line[..cut].to_vec();
        assert!(drain_events(&mut buf).is_empty());
        buf.extend_from_slice(&line[cut..]);
        assert_eq!(drain_events(&mut buf), vec![StreamEvent::Delta("é".into())]);
    }

    #[test]
    fn every_event_the_server_writes_is_read_back() {
        use ward_domain::chat::{FunctionCall, Usage};
        let refusal = serde_json::json!({"error": "Not for billing.", "code": "forbidden_tool"});
        let written = vec![
            ChatEventKind::Delta {
                content: "Lab".into(),
            },
            ChatEventKind::ToolCall {
                id: "c1".into(),
                function: FunctionCall {
                    name: "get_lab_results".into(),
                    arguments: r#"{"patient_id":"PAT-001"}"#.into(),
                },
            },
            ChatEventKind::ToolResult {
                id: "c1".into(),
                name: "get_lab_results".into(),
                status: ToolStatus::Denied,
                result: JsonText::of(&refusal),
            },
            ChatEventKind::Patient(PatientBanner {
                id: "PAT-030".into(),
                name: "Ana Diaz".into(),
                ..Default::default()
            }),
            ChatEventKind::Message {
                role: "assistant".into(),
                content: "Done.".into(),
            },
            ChatEventKind::Error {
                code: "provider_unavailable".into(),
                message: "The model is not answering.".into(),
            },
            ChatEventKind::Done {
                message_id: "m1".into(),
                usage: Usage {
                    prompt_tokens: 12,
                    completion_tokens: 3,
                    cost_usd: 0.0001,
                },
            },
        ];
        let read = vec![
            StreamEvent::Delta("Lab".into()),
            StreamEvent::ToolCall {
                id: "c1".into(),
                name: "get_lab_results".into(),
                arguments: r#"{"patient_id":"PAT-001"}"#.into(),
            },
            StreamEvent::ToolResult {
                id: "c1".into(),
                status: ToolStatus::Denied,
                result: JsonText::of(&refusal),
            },
            StreamEvent::Patient(PatientBanner {
                id: "PAT-030".into(),
                name: "Ana Diaz".into(),
                ..Default::default()
            }),
            StreamEvent::Message("Done.".into()),
            StreamEvent::Error {
                code: "provider_unavailable".into(),
                message: "The model is not answering.".into(),
            },
            StreamEvent::Done,
        ];
        let mut buf = vec![];
        for kind in written {
            let line = ChatEvent {
                kind,
                timestamp: "2026-12-01T12:00:00Z".into(),
            };
            buf.extend(serde_json::to_vec(&line).unwrap());
            buf.push(b'\n');
        }
        assert_eq!(drain_events(&mut buf), read);
        assert!(buf.is_empty());
    }

    #[test]
    fn lines_that_are_not_events_are_skipped() {
        let mut buf =
            b"not json\n{\"type\":\"novel\",\"content\":1}\n{\"type\":\"delta\"}\n{\"type\":\"done\",\"content\":{\"message_id\":\"m\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"cost_usd\":0.0}}}\n".to_vec();
        assert_eq!(drain_events(&mut buf), vec![StreamEvent::Done]);
    }
}

//! A fake OpenAI-compatible chat-completions server for tests and benchmarks: real HTTP on
//! 127.0.0.1, real Server-Sent Events, tool-call deltas split across chunks, and scripted
//! failures (status codes, a hang, a malformed chunk, a dropped connection). It records
//! every request body, so tests can check what a provider would have received.

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the fake model does for one request.
#[derive(Clone, Debug)]
pub enum Plan {
    /// Stream these text pieces, then usage.
    Text(Vec<String>),
    /// Stream these tool calls (name, JSON arguments), each split across two chunks.
    ToolCalls(Vec<(String, String)>),
    /// Answer with this HTTP status and an OpenAI-style error body.
    Status(u16),
    /// Accept the request and never answer.
    Hang,
    /// Stream these text pieces, then a chunk that is not JSON.
    Malformed(Vec<String>),
    /// Stream these text pieces, then drop the connection.
    Disconnect(Vec<String>),
    /// Stream these text pieces slowly (one every given milliseconds).
    Slow(Vec<String>, u64),
}

/// Decides the plan from the request body (the model's "thinking").
pub type Planner = Arc<dyn Fn(&Value, usize) -> Plan + Send + Sync>;

/// A running fake provider.
pub struct MockLlm {
    /// `http://127.0.0.1:<port>/v1`, for `LLM_BASE_URL`.
    pub base_url: String,
    requests: Arc<Mutex<Vec<Value>>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

#[derive(Clone)]
struct MockState {
    planner: Planner,
    requests: Arc<Mutex<Vec<Value>>>,
    /// Whether request bodies are kept for [`MockLlm::requests`].
    record: bool,
    /// Requests answered so far, when they are not recorded (the planner's `n`).
    answered: Arc<std::sync::atomic::AtomicUsize>,
}

impl MockLlm {
    /// Starts a fake provider whose answers `planner` decides (it gets the request body
    /// and the number of requests before this one). It keeps every request body.
    pub async fn start(planner: impl Fn(&Value, usize) -> Plan + Send + Sync + 'static) -> MockLlm {
        MockLlm::serve(Arc::new(planner), true).await
    }

    /// Like [`MockLlm::start`], but keeps no request body ([`MockLlm::requests`] stays
    /// empty): for benchmarks, where keeping thousands of them would cost the fake
    /// provider more than it costs a real one to read them.
    pub async fn unrecorded(
        planner: impl Fn(&Value, usize) -> Plan + Send + Sync + 'static,
    ) -> MockLlm {
        MockLlm::serve(Arc::new(planner), false).await
    }

    async fn serve(planner: Planner, record: bool) -> MockLlm {
        let requests = Arc::new(Mutex::new(vec![]));
        let state = MockState {
            planner,
            requests: requests.clone(),
            record,
            answered: Default::default(),
        };
        let app = Router::new()
            .route("/v1/chat/completions", post(complete))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        // HTTP/1.1 and HTTP/2 without TLS (h2c), with room for many concurrent streams.
        let mut builder =
            hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
        builder.http2().max_concurrent_streams(100_000);
        let builder = Arc::new(builder);
        tokio::spawn(async move {
            loop {
                let (socket, _) = tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => match accepted {
                        Ok(a) => a,
                        Err(_) => continue,
                    },
                };
                let _ = socket.set_nodelay(true);
                let service = hyper_util::service::TowerToHyperService::new(app.clone());
                let builder = builder.clone();
                tokio::spawn(async move {
                    let _ = builder
                        .serve_connection(hyper_util::rt::TokioIo::new(socket), service)
                        .await;
                });
            }
        });
        MockLlm {
            base_url: format!("http://{addr}/v1"),
            requests,
            _stop: stop,
        }
    }

    /// A fake provider that plays `plans` in order (the last one repeats).
    pub async fn scripted(plans: Vec<Plan>) -> MockLlm {
        MockLlm::start(move |_, n| plans[n.min(plans.len() - 1)].clone()).await
    }

    /// Every request body received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().expect("never poisoned").clone()
    }

    /// Configuration variables that point Ward at this provider.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("LLM_PROVIDER", "openai-compatible".into()),
            ("LLM_BASE_URL", self.base_url.clone()),
            ("LLM_MODEL", "mock-model".into()),
            ("LLM_API_KEY", "test-key".into()),
        ]
    }
}

fn chunk(delta: Value) -> String {
    let c = json!({
        "id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1, "model": "mock-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": null}]
    });
    format!("data: {c}\n\n")
}

fn usage_chunk(prompt: u64, completion: u64) -> String {
    let c = json!({
        "id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1, "model": "mock-model",
        "choices": [], "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
    });
    format!("data: {c}\n\n")
}

fn sse(parts: Vec<Result<String, std::io::Error>>, pause: Option<Duration>) -> Response {
    let stream = futures::stream::iter(parts).then(move |p| async move {
        if let Some(d) = pause {
            tokio::time::sleep(d).await;
        }
        p.map(bytes::Bytes::from)
    });
    Response::builder()
        .header("content-type", "text/event-stream")
        .body(Body::from_stream(stream))
        .expect("a response")
}

use futures::StreamExt;

async fn complete(State(s): State<MockState>, raw: bytes::Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&raw) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": {"message": "the body is not JSON", "type": "invalid_request_error", "param": null, "code": null}})),
        )
            .into_response();
    };
    let n = if s.record {
        let mut r = s.requests.lock().expect("never poisoned");
        r.push(body.clone());
        r.len() - 1
    } else {
        s.answered
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    };
    let prompt_tokens = raw.len() as u64 / 4;
    let text_parts = |pieces: &[String]| -> Vec<Result<String, std::io::Error>> {
        let mut v: Vec<_> = vec![Ok(chunk(json!({"role": "assistant", "content": ""})))];
        v.extend(pieces.iter().map(|p| Ok(chunk(json!({"content": p})))));
        v
    };
    match (s.planner)(&body, n) {
        Plan::Text(pieces) => {
            let completion = pieces.iter().map(|p| p.len() as u64).sum::<u64>() / 4 + 1;
            let mut parts = text_parts(&pieces);
            parts.push(Ok(usage_chunk(prompt_tokens, completion)));
            parts.push(Ok("data: [DONE]\n\n".into()));
            sse(parts, None)
        }
        Plan::Slow(pieces, ms) => {
            let mut parts = text_parts(&pieces);
            parts.push(Ok(usage_chunk(prompt_tokens, 10)));
            parts.push(Ok("data: [DONE]\n\n".into()));
            sse(parts, Some(Duration::from_millis(ms)))
        }
        Plan::ToolCalls(calls) => {
            let mut parts = vec![Ok(chunk(json!({"role": "assistant", "content": null})))];
            for (i, (name, args)) in calls.iter().enumerate() {
                let cut = args.len() / 2;
                let cut = (0..=cut).rev().find(|c| args.is_char_boundary(*c)).unwrap_or(0);
                parts.push(Ok(chunk(json!({"tool_calls": [{
                    "index": i, "id": format!("call_mock_{n}_{i}"), "type": "function",
                    "function": {"name": name, "arguments": &args[..cut]}
                }]}))));
                parts.push(Ok(chunk(json!({"tool_calls": [{
                    "index": i, "function": {"arguments": &args[cut..]}
                }]}))));
            }
            parts.push(Ok(usage_chunk(prompt_tokens, 20)));
            parts.push(Ok("data: [DONE]\n\n".into()));
            sse(parts, None)
        }
        Plan::Status(code) => (
            StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Json(json!({"error": {"message": "scripted failure", "type": "server_error", "param": null, "code": null}})),
        )
            .into_response(),
        Plan::Hang => {
            std::future::pending::<()>().await;
            unreachable!()
        }
        Plan::Malformed(pieces) => {
            let mut parts = text_parts(&pieces);
            parts.push(Ok("data: {this is not json\n\n".into()));
            sse(parts, None)
        }
        Plan::Disconnect(pieces) => {
            // Send the pieces, give them time to reach the client, then fail the body.
            let parts = text_parts(&pieces);
            let stream = futures::stream::iter(parts)
                .chain(futures::stream::once(async {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    Err(std::io::Error::other("connection dropped"))
                }))
                .map(|p| p.map(bytes::Bytes::from));
            Response::builder()
                .header("content-type", "text/event-stream")
                .body(Body::from_stream(stream))
                .expect("a response")
        }
    }
}

/// The text of the last message with `role` in a request body.
pub fn last_message(body: &Value, role: &str) -> String {
    body["messages"]
        .as_array()
        .and_then(|m| m.iter().rev().find(|x| x["role"] == role))
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// The first patient reference in `text`: a surrogate such as `[ID_1]`, or a raw id such
/// as `PAT-001`.
pub fn patient_ref(text: &str) -> Option<String> {
    let bytes: Vec<char> = text.chars().collect();
    let s: String = bytes.iter().collect();
    for (i, _) in s.char_indices() {
        let rest = &s[i..];
        if let Some(end) = rest.strip_prefix('[').and_then(|r| r.find(']')) {
            let inner = &rest[1..=end];
            let ok = inner.rsplit_once('_').is_some_and(|(label, n)| {
                (label == "ID" || label.ends_with("_ID")) && n.chars().all(|c| c.is_ascii_digit())
            });
            if ok {
                return Some(format!("[{inner}]"));
            }
        }
        if rest.starts_with("PAT-")
            && rest.len() >= 7
            && rest[4..7].chars().all(|c| c.is_ascii_digit())
        {
            return Some(rest[..7].to_string());
        }
    }
    None
}

/// Every surrogate-like token (`[PATIENT_1]`, `[MRN_2.3]`, `[REDACTED_NAME]`) in `text`, in
/// order of first appearance.
pub fn surrogates_in(text: &str, out: &mut Vec<String>) {
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        rest = &rest[open..];
        let Some(close) = rest[1..].find(']') else {
            break;
        };
        let inner = &rest[1..=close];
        let ok = !inner.is_empty()
            && inner.len() <= 40
            && inner.starts_with(|c: char| c.is_ascii_uppercase())
            && inner
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '.');
        if ok {
            let token = format!("[{inner}]");
            if !out.contains(&token) {
                out.push(token);
            }
            rest = &rest[close + 2..];
        } else {
            rest = &rest[1..];
        }
    }
}

/// The text of every message of a request (content and tool-call arguments), in order.
pub fn all_texts(body: &Value) -> Vec<String> {
    let mut texts = vec![];
    for m in body["messages"].as_array().into_iter().flatten() {
        if let Some(c) = m["content"].as_str() {
            texts.push(c.to_string());
        }
        for call in m["tool_calls"].as_array().into_iter().flatten() {
            if let Some(a) = call["function"]["arguments"].as_str() {
                texts.push(a.to_string());
            }
        }
    }
    texts
}

/// A fake model that tries to make Ward leak (issue 25's provider oracle). Turn `k` of a
/// conversation (the `k`-th clinician message) first calls the tools `script[k]` names,
/// one round each, with the patient reference of the conversation (`[ID_n]`, a raw
/// `PAT-…`, or `[REDACTED_ID]`) and `limit` 3 where the tool has one; then it answers by repeating back every
/// surrogate it has been shown anywhere (tool results and the clinician's words), the
/// clinician's last message, and a quote of each tool result of the turn (up to 4,000
/// characters each), so that everything it was sent comes back into the conversation
/// and, restored, into the history of later turns.
pub fn oracle_model(script: Vec<Vec<&'static str>>) -> impl Fn(&Value, usize) -> Plan {
    move |body, _| {
        let messages = body["messages"].as_array().cloned().unwrap_or_default();
        let users = messages.iter().filter(|m| m["role"] == "user").count();
        let turn = users.saturating_sub(1);
        let last_user = messages
            .iter()
            .rposition(|m| m["role"] == "user")
            .unwrap_or(0);
        let since = &messages[last_user..];
        let rounds = since
            .iter()
            .filter(|m| m["role"] == "assistant" && m["tool_calls"].is_array())
            .count();
        let tools = script.get(turn).cloned().unwrap_or_default();
        if rounds < tools.len() {
            // The clinician's messages first (the system prompt's examples do not count).
            let who = messages
                .iter()
                .filter(|m| m["role"] == "user")
                .chain(messages.iter().filter(|m| m["role"] == "tool"))
                .find_map(|m| patient_ref(m["content"].as_str().unwrap_or_default()))
                .unwrap_or_else(|| "[REDACTED_ID]".into());
            let tool = tools[rounds];
            let limited = [
                "list_admissions",
                "get_vital_signs",
                "get_clinical_notes",
                "get_lab_results",
                "list_procedures",
                "list_immunizations",
                "get_diagnostic_reports",
                "list_care_plans",
            ];
            let args = if limited.contains(&tool) {
                json!({"patient_id": who, "limit": 3})
            } else {
                json!({"patient_id": who})
            };
            return Plan::ToolCalls(vec![(tool.to_string(), args.to_string())]);
        }
        let mut shown = vec![];
        for t in all_texts(body) {
            surrogates_in(&t, &mut shown);
        }
        let mut reply = format!(
            "I was shown {}. You said: {}",
            shown.join(" "),
            last_message(body, "user")
        );
        for m in since.iter().filter(|m| m["role"] == "tool") {
            let quote: String = m["content"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .take(4_000)
                .collect();
            reply.push_str("\nThe record says: ");
            reply.push_str(&quote);
        }
        let pieces: Vec<String> = reply
            .chars()
            .collect::<Vec<_>>()
            .chunks(50)
            .map(|c| c.iter().collect())
            .collect();
        Plan::Text(pieces)
    }
}

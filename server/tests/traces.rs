//! OpenTelemetry: the real binary exports its spans over OTLP/HTTP to a receiver started
//! by the test (protobuf decoded with the official `opentelemetry-proto` types), which
//! records every attribute of every span; the test then drives sign-in, chat turns with
//! tool calls, a refused tool call and requests whose paths and queries hold PHI, and
//! checks that the spans are there (request, chat turn, provider call with the GenAI
//! attributes, tool call) and that no attribute holds any PHI of the demo data: names,
//! MRNs, SSNs, phone numbers, emails, addresses, birth dates, patient ids, note and
//! message text.

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
use opentelemetry_proto::tonic::common::v1::AnyValue;
use prost::Message;
use sea_orm::EntityTrait;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One received span: its name and every attribute as text.
#[derive(Clone, Debug)]
struct ReceivedSpan {
    name: String,
    attributes: BTreeMap<String, String>,
    trace_id: Vec<u8>,
    parent: Vec<u8>,
    id: Vec<u8>,
}

#[derive(Default)]
struct Received {
    spans: Vec<ReceivedSpan>,
    /// Every attribute value seen anywhere (resource, scope, span, event, link).
    values: Vec<(String, String)>,
}

fn text(v: &Option<AnyValue>) -> String {
    match v.as_ref().and_then(|v| v.value.as_ref()) {
        None => String::new(),
        Some(Any::StringValue(s)) => s.clone(),
        Some(Any::BoolValue(b)) => b.to_string(),
        Some(Any::IntValue(i)) => i.to_string(),
        Some(Any::DoubleValue(d)) => d.to_string(),
        Some(Any::BytesValue(b)) => String::from_utf8_lossy(b).into_owned(),
        Some(Any::ArrayValue(a)) => a
            .values
            .iter()
            .map(|v| text(&Some(v.clone())))
            .collect::<Vec<_>>()
            .join("\u{1f}"),
        Some(Any::KvlistValue(kv)) => kv
            .values
            .iter()
            .map(|kv| format!("{}={}", kv.key, text(&kv.value)))
            .collect::<Vec<_>>()
            .join("\u{1f}"),
        Some(other) => format!("{other:?}"),
    }
}

async fn receive(State(rx): State<Arc<Mutex<Received>>>, body: Bytes) -> Vec<u8> {
    let req = ExportTraceServiceRequest::decode(body).expect("an OTLP protobuf export");
    let mut rx = rx.lock().unwrap();
    for rs in req.resource_spans {
        for kv in rs.resource.iter().flat_map(|r| &r.attributes) {
            rx.values.push((kv.key.clone(), text(&kv.value)));
        }
        for ss in rs.scope_spans {
            for kv in ss.scope.iter().flat_map(|s| &s.attributes) {
                rx.values.push((kv.key.clone(), text(&kv.value)));
            }
            for span in ss.spans {
                let mut attributes = BTreeMap::new();
                for kv in &span.attributes {
                    attributes.insert(kv.key.clone(), text(&kv.value));
                    rx.values.push((kv.key.clone(), text(&kv.value)));
                }
                for kv in span
                    .events
                    .iter()
                    .flat_map(|e| &e.attributes)
                    .chain(span.links.iter().flat_map(|l| &l.attributes))
                {
                    rx.values.push((kv.key.clone(), text(&kv.value)));
                }
                for e in &span.events {
                    rx.values.push(("event.name".into(), e.name.clone()));
                }
                rx.values.push(("span.name".into(), span.name.clone()));
                if let Some(status) = &span.status {
                    rx.values
                        .push(("status.message".into(), status.message.clone()));
                }
                rx.spans.push(ReceivedSpan {
                    name: span.name,
                    attributes,
                    trace_id: span.trace_id,
                    parent: span.parent_span_id,
                    id: span.span_id,
                });
            }
        }
    }
    ExportTraceServiceResponse::default().encode_to_vec()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_reach_the_otlp_receiver_with_genai_attributes_and_no_phi() {
    // The receiver.
    let received: Arc<Mutex<Received>> = Arc::default();
    let router = Router::new()
        .route("/v1/traces", post(receive))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let collector = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    tokio::spawn(async move { axum::serve(listener, router).await });

    // Ward, the real binary, exporting to it.
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}/ward.db?mode=rwc", dir.path().display());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .env("DATABASE_URL", &db_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", dir.path().join("site"))
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", &collector)
        .env("OTEL_BSP_SCHEDULE_DELAY", "200")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the server");
    let mut server = Server(child);
    let http = reqwest::Client::new();
    let started = Instant::now();
    while http
        .get(format!("{base}/readyz"))
        .send()
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "Ward did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Traffic that carries PHI in every place a careless span would copy it from.
    let token: String = http
        .post(format!("{base}/api/token/"))
        .json(&json!({"username": "doctor", "password": "doctor123"}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["access"]
        .as_str()
        .unwrap()
        .into();
    let session: Value = http
        .post(format!("{base}/frontend/api/chat/session/"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let session = session["session_id"].as_str().unwrap().to_string();
    let messages = [
        "Show the latest labs for PAT-001",
        "What medications is John Doe taking?",
        "Show the notes for PAT-030",
    ];
    for m in messages {
        let r = http
            .post(format!("{base}/frontend/api/chat/message/"))
            .bearer_auth(&token)
            .json(&json!({"session_id": session, "message": m}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{m}");
        let body = r.text().await.unwrap();
        assert!(body.contains("\"type\""), "the turn streamed: {body}");
    }
    for args in [
        json!({"patient_id": "PAT-001"}),
        json!({"patient_id": "PAT-030"}),
    ] {
        http.post(format!("{base}/frontend/mcp-proxy/"))
            .bearer_auth(&token)
            .json(&json!({"tool": "get_clinical_notes", "arguments": args}))
            .send()
            .await
            .unwrap();
    }
    http.get(format!(
        "{base}/frontend/api/chat/history/John%20Doe%20PAT-001/?q=John+Doe"
    ))
    .bearer_auth(&token)
    .send()
    .await
    .unwrap();
    http.get(format!("{base}/patients/PAT-001/John-Doe?ssn=123-45-6789"))
        .send()
        .await
        .unwrap();

    // SIGTERM: Ward finishes, flushes its spans and exits.
    let stopped = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.0.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "Ward did not stop");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let (spans, values) = {
        let rx = received.lock().unwrap();
        (rx.spans.clone(), rx.values.clone())
    };
    let spans = &spans;
    let named = |n: &str| spans.iter().filter(|s| s.name == n).collect::<Vec<_>>();

    // Every kind of span arrived, with its attributes.
    let requests = named("http.request");
    assert!(requests.len() >= 8, "{} request spans", requests.len());
    assert!(requests.iter().any(|s| {
        s.attributes.get("http.route").map(String::as_str) == Some("/frontend/api/chat/message/")
            && s.attributes
                .get("http.response.status_code")
                .map(String::as_str)
                == Some("200")
            && s.attributes.get("http.request.method").map(String::as_str) == Some("POST")
    }));
    assert!(requests
        .iter()
        .any(|s| s.attributes.get("http.route").map(String::as_str)
            == Some("/frontend/api/chat/history/{id}/")));
    let turns = named("chat.turn");
    assert_eq!(turns.len(), 3, "one span per chat turn");
    for t in &turns {
        assert_eq!(t.attributes["ward.chat.session_id"], session);
        assert!(
            t.attributes["gen_ai.usage.input_tokens"]
                .parse::<u64>()
                .unwrap()
                > 0
        );
        assert!(
            t.attributes["gen_ai.usage.output_tokens"]
                .parse::<u64>()
                .unwrap()
                > 0
        );
        // The turn runs under the request that started it.
        assert!(requests
            .iter()
            .any(|r| r.id == t.parent && r.trace_id == t.trace_id));
    }
    let calls = named("chat");
    assert!(calls.len() >= 3, "one span per provider call");
    for c in &calls {
        assert_eq!(c.attributes["gen_ai.system"], "offline");
        assert_eq!(c.attributes["gen_ai.request.model"], "offline");
        assert_eq!(c.attributes["gen_ai.operation.name"], "chat");
        assert!(
            c.attributes["gen_ai.usage.input_tokens"]
                .parse::<u64>()
                .unwrap()
                > 0
        );
        assert!(c.attributes.contains_key("gen_ai.usage.output_tokens"));
        assert!(
            turns.iter().any(|t| t.id == c.parent),
            "a provider call is in its turn"
        );
    }
    let tools = named("execute_tool");
    assert!(tools
        .iter()
        .any(|t| t.attributes["gen_ai.tool.name"] == "get_lab_results"
            && t.attributes["ward.tool.outcome"] == "ok"
            && t.attributes["ward.tool.door"] == "chat"));
    assert!(tools
        .iter()
        .any(|t| t.attributes["gen_ai.tool.name"] == "get_clinical_notes"
            && t.attributes["ward.tool.door"] == "proxy"
            && t.attributes["ward.tool.outcome"] == "denied"));

    // No attribute holds PHI of the demo data.
    let db = ward_core::db::connect(&db_url).await.unwrap();
    let mut phi: Vec<String> = vec!["John Doe".into(), "123-45-6789".into()];
    for p in ward_core::entity::patients::Entity::find()
        .all(&db)
        .await
        .unwrap()
    {
        phi.extend([
            p.id.clone(),
            p.given_name.clone(),
            p.family_name.clone(),
            format!("{} {}", p.given_name, p.family_name),
            p.ssn.clone(),
            p.ssn.replace('-', ""),
            p.phone.clone(),
            p.email.clone(),
            p.address_line.clone(),
            p.zip.clone(),
        ]);
        phi.extend(p.mrn.clone());
        if let Some(born) = p.birth_date {
            phi.extend([born.to_string(), born.format("%m/%d/%Y").to_string()]);
        }
    }
    for n in ward_core::entity::clinical_notes::Entity::find()
        .all(&db)
        .await
        .unwrap()
    {
        phi.push(n.text.clone());
    }
    for m in ward_core::entity::chat_messages::Entity::find()
        .all(&db)
        .await
        .unwrap()
    {
        if !m.content.trim().is_empty() {
            phi.push(m.content.clone());
        }
    }
    phi.extend(messages.iter().map(|m| m.to_string()));
    phi.retain(|v| v.trim().len() >= 2);
    assert!(
        phi.len() > 500,
        "the demo's PHI is read: {} values",
        phi.len()
    );
    assert!(values.len() > 100, "attributes were received");
    let mut leaks = vec![];
    for (key, value) in &values {
        for p in &phi {
            // Short numbers (zip codes) only as a whole value: a UUID's hex may hold five
            // digits by chance.
            let short_number = p.len() < 7 && p.chars().all(|c| c.is_ascii_digit());
            let leaked = if short_number || p.len() < 4 {
                value == p
            } else {
                value.contains(p.as_str())
            };
            if leaked {
                leaks.push(format!("{key} = {value:?} holds {p:?}"));
            }
        }
    }
    assert!(leaks.is_empty(), "PHI in exported attributes: {leaks:#?}");
}

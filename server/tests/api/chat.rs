//! The chat agent over HTTP: the prototype's Step 7 flow with the offline model, and the
//! agent loop against a real OpenAI-compatible SSE server (answers, tool rounds, denials,
//! another patient, a model that loops, provider failures, a client that leaves), PHI
//! never reaching the provider, and history equal to what was streamed.

use crate::helpers::*;
use serde_json::{json, Value};
use std::time::Duration;
use ward_core::testing::mock_llm::{last_message, patient_ref, MockLlm, Plan};

fn types(events: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for e in events {
        let t = e["type"].as_str().unwrap().to_string();
        if t == "delta" && out.last().is_some_and(|l| l == "delta") {
            continue;
        }
        out.push(t);
    }
    out
}

fn of_type<'a>(events: &'a [Value], t: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == t).collect()
}

fn streamed_text(events: &[Value]) -> String {
    of_type(events, "delta")
        .iter()
        .map(|e| e["content"].as_str().unwrap())
        .collect()
}

async fn with_mock(mock: &MockLlm, extra: &[(&'static str, &str)]) -> TestApp {
    let mut env = mock.env();
    env.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    spawn(Spawn {
        env,
        ..Default::default()
    })
    .await
}

/// The README's Step 7 flow as the prototype's users run it, with curl and jq
/// (`scripts/step7.sh`), against a spawned server: the envelope and
/// `.content.function.name`.
#[tokio::test]
async fn step_7_curl_flow_reads_the_prototype_envelope() {
    let app = spawn_app().await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/step7.sh");
    let base = app.url("").trim_end_matches('/').to_string();
    // Blocking, off the runtime that serves the app.
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("bash")
            .arg(script)
            .arg(base)
            .output()
    })
    .await
    .unwrap()
    .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("step7: ok (get_lab_results)"), "{stdout}");
}

#[tokio::test]
async fn step_7_token_session_message_streams_the_prototype_events() {
    let app = spawn_app().await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (status, events) = app
        .chat(&token, &session, "Show the latest labs for PAT-001")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        types(&events),
        [
            "tool_call",
            "tool_result",
            "patient",
            "delta",
            "message",
            "done"
        ],
        "{events:#?}"
    );
    for e in &events {
        assert!(e["timestamp"]
            .as_str()
            .is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()));
    }
    let call = of_type(&events, "tool_call")[0];
    assert_eq!(call["content"]["function"]["name"], "get_lab_results");
    assert!(call["content"]["id"].is_string(), "{call}");
    let args: Value =
        serde_json::from_str(call["content"]["function"]["arguments"].as_str().unwrap()).unwrap();
    assert_eq!(args["patient_id"], "PAT-001");
    let result = of_type(&events, "tool_result")[0];
    assert_eq!(result["content"]["status"], "ok");
    assert_eq!(result["content"]["name"], "get_lab_results");
    let message = of_type(&events, "message")[0]["content"].as_str().unwrap();
    assert!(message.contains("| Hemoglobin A1c | 8.2 % |"), "{message}");
    assert_eq!(streamed_text(&events), message);
    let done = of_type(&events, "done")[0];
    assert!(done["content"]["usage"]["prompt_tokens"].as_u64().unwrap() > 0);

    // History after a "reload" holds the same conversation.
    let h: Value = app
        .get(&token, &format!("/frontend/api/chat/history/{session}/"))
        .await
        .json()
        .await
        .unwrap();
    let roles: Vec<&str> = h["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["user", "assistant", "tool", "assistant"]);
    assert_eq!(
        h["messages"][0]["content"],
        "Show the latest labs for PAT-001"
    );
    assert_eq!(h["messages"][2]["tool_name"], "get_lab_results");
    assert_eq!(h["messages"][2]["tool_result"]["status"], "ok");
    assert_eq!(h["messages"][3]["content"], message);
    assert_eq!(h["messages"][3]["id"], done["content"]["message_id"]);
    assert_eq!(h["patient_id"], "PAT-001");
    // The banner: sent once a tool ran on the patient, and kept with the session.
    let banner = &of_type(&events, "patient")[0]["content"];
    assert_eq!(banner["id"], "PAT-001");
    assert!(banner["name"].as_str().is_some_and(|n| !n.is_empty()));
    assert_eq!(h["patient"], *banner);
    let changes = app.audit("session_patient").await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].entry.patient_id.as_deref(), Some("PAT-001"));
    let list: Value = app
        .get(&token, "/frontend/api/chat/sessions/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["sessions"][0]["id"], session.as_str());
    assert_eq!(list["sessions"][0]["message_count"], 4);
    assert_eq!(list["sessions"][0]["question_count"], 1);
}

#[tokio::test]
async fn bad_messages_get_400_404_and_a_stream_is_not_started() {
    let app = spawn_app().await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (s, e) = app.chat(&token, &session, "  \u{200b} ").await;
    assert_eq!((s, e[0]["code"].as_str()), (400, Some("empty_message")));
    let (s, e) = app
        .chat(&token, &uuid::Uuid::new_v4().to_string(), "hello")
        .await;
    assert_eq!((s, e[0]["code"].as_str()), (404, Some("not_found")));
    let (s, _) = app.chat(&token, "not-a-uuid", "hello").await;
    assert_eq!(s, 404);
    let nurse = app.token("nurse").await;
    let (s, _) = app.chat(&nurse, &session, "hello").await;
    assert_eq!(s, 404, "another user's session is missing, not forbidden");
    let (s, e) = app.chat(&token, &session, &"x".repeat(9000)).await;
    assert_eq!((s, e[0]["code"].as_str()), (400, Some("message_too_long")));
}

#[tokio::test]
async fn a_plain_answer_streams_deltas_and_usage_from_the_provider() {
    let mock = MockLlm::scripted(vec![Plan::Text(vec![
        "Hello ".into(),
        "there, ".into(),
        "doctor.".into(),
    ])])
    .await;
    let app = with_mock(&mock, &[]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (status, events) = app.chat(&token, &session, "Good morning").await;
    assert_eq!(status, 200);
    assert_eq!(types(&events), ["delta", "message", "done"]);
    assert_eq!(streamed_text(&events), "Hello there, doctor.");
    assert!(
        of_type(&events, "delta").len() >= 3,
        "the reply streams in pieces"
    );
    assert!(
        of_type(&events, "done")[0]["content"]["usage"]["completion_tokens"]
            .as_u64()
            .unwrap()
            > 0
    );
    let req = &mock.requests()[0];
    assert_eq!(req["stream"], true);
    assert_eq!(req["model"], "mock-model");
    let offered: Vec<&str> = req["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        offered.len(),
        12,
        "the doctor's twelve clinical tools are offered: {offered:?}"
    );
    assert!(offered.contains(&"get_clinical_notes") && offered.contains(&"list_immunizations"));
    assert!(
        !offered.contains(&"get_billing_summary"),
        "billing is not a doctor's tool"
    );
    assert!(last_message(req, "system").contains("untrusted_data"));
}

/// A model that looks the patient up, then asks for the labs, then answers with what the
/// tool returned (echoing the values it saw).
fn labs_model(body: &Value, _: usize) -> Plan {
    let tool_msgs: Vec<&Value> = body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "tool")
        .collect();
    let user = last_message(body, "user");
    match tool_msgs.len() {
        0 => {
            let who = patient_ref(&user).unwrap_or_else(|| "PAT-001".into());
            Plan::ToolCalls(vec![(
                "get_patient_overview".into(),
                json!({"patient_id": who}).to_string(),
            )])
        }
        1 => {
            let data: Value =
                serde_json::from_str(tool_msgs[0]["content"].as_str().unwrap()).unwrap();
            let id = data["data"]["patient_id"]
                .as_str()
                .unwrap_or("PAT-001")
                .to_string();
            Plan::ToolCalls(vec![(
                "get_lab_results".into(),
                json!({"patient_id": id, "test": "A1c"}).to_string(),
            )])
        }
        _ => {
            let overview: Value =
                serde_json::from_str(tool_msgs[0]["content"].as_str().unwrap()).unwrap();
            let labs: Value =
                serde_json::from_str(tool_msgs[1]["content"].as_str().unwrap()).unwrap();
            let d = &overview["data"];
            Plan::Text(vec![
                format!(
                    "{} (MRN {}, born {}) ",
                    s(&d["name"]),
                    s(&d["mrn"]),
                    s(&d["birth_date"])
                ),
                format!("has HbA1c {} ", s(&labs["data"]["results"][0]["value"])),
                format!("on {}.", s(&labs["data"]["results"][0]["collected_at"])),
            ])
        }
    }
}

fn s(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

#[tokio::test]
async fn two_tool_rounds_then_an_answer_and_history_matches_the_stream() {
    let mock = MockLlm::start(labs_model).await;
    let app = with_mock(&mock, &[]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (status, events) = app
        .chat(&token, &session, "How is PAT-001's diabetes control?")
        .await;
    assert_eq!(status, 200, "{events:?}");
    assert_eq!(
        types(&events),
        [
            "tool_call",
            "tool_result",
            "patient",
            "tool_call",
            "tool_result",
            "delta",
            "message",
            "done"
        ],
        "{events:#?}"
    );
    assert_eq!(mock.requests().len(), 3);
    let text = of_type(&events, "message")[0]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.starts_with("John Doe (MRN 4007919, born 1958-04-12) has HbA1c 8.2"),
        "{text}"
    );
    let h: Value = app
        .get(&token, &format!("/frontend/api/chat/history/{session}/"))
        .await
        .json()
        .await
        .unwrap();
    let msgs = h["messages"].as_array().unwrap();
    assert_eq!(msgs.last().unwrap()["content"], text.as_str());
    let tools: Vec<&str> = msgs
        .iter()
        .filter_map(|m| m["tool_name"].as_str())
        .collect();
    assert_eq!(tools, ["get_patient_overview", "get_lab_results"]);
}

#[tokio::test]
async fn the_provider_never_receives_phi_and_the_clinician_sees_real_values() {
    let mock = MockLlm::start(labs_model).await;
    let app = with_mock(&mock, &[("LLM_PHI_MODE", "pseudonymize")]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (status, events) = app
        .chat(
            &token,
            &session,
            "How is John Doe (PAT-001, MRN 4007919) doing? His phone is (555) 555-0101.",
        )
        .await;
    assert_eq!(status, 200, "{events:?}");
    let shown = of_type(&events, "message")[0]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        shown.contains("John Doe") && shown.contains("4007919") && shown.contains("1958-04-12"),
        "{shown}"
    );
    // Everything the provider received, in every request.
    let sent = serde_json::to_string(&mock.requests()).unwrap();
    use sea_orm::EntityTrait;
    let p = ward_core::entity::patients::Entity::find_by_id("PAT-001".to_string())
        .one(&app.ward.db)
        .await
        .unwrap()
        .unwrap();
    for (what, value) in [
        ("given name", p.given_name.as_str()),
        ("family name", p.family_name.as_str()),
        ("MRN", p.mrn.as_deref().unwrap_or_default()),
        ("SSN", p.ssn.as_str()),
        ("phone", p.phone.as_str()),
        ("email", p.email.as_str()),
        ("street", p.address_line.as_str()),
        ("birth date", "1958-04-12"),
        ("patient id", "PAT-001"),
        ("the clinician's phone", "555-0101"),
    ] {
        assert!(
            !sent.contains(value),
            "the provider received the {what} ({value})"
        );
    }
    // The accounting of disclosures recorded what went out, by type, without PHI.
    let rows = ward_core::testing::disclosures(&app.ward.db).await;
    assert_eq!(rows.len(), 3, "one record per provider request");
    for r in &rows {
        assert!(!r.contains("John") && !r.contains("4007919"), "{r}");
    }
}

#[tokio::test]
async fn a_denied_tool_shows_as_denied_and_the_model_hears_why() {
    let mock = MockLlm::start(|body, n| {
        if n == 0 {
            let who = patient_ref(&last_message(body, "user")).unwrap_or_default();
            Plan::ToolCalls(vec![(
                "get_clinical_notes".into(),
                json!({"patient_id": who}).to_string(),
            )])
        } else {
            Plan::Text(vec![format!("Tool said: {}", last_message(body, "tool"))])
        }
    })
    .await;
    let app = with_mock(&mock, &[]).await;
    let token = app.token("billing").await;
    let session = app.session(&token).await;
    let (_, events) = app
        .chat(&token, &session, "Show the clinical notes for PAT-001")
        .await;
    let r = of_type(&events, "tool_result")[0];
    assert_eq!(r["content"]["status"], "denied");
    assert_eq!(r["content"]["result"]["code"], "tool_not_permitted");
    let tool_msg: Value = serde_json::from_str(&last_message(&mock.requests()[1], "tool")).unwrap();
    assert_eq!(tool_msg["status"], "denied");
    assert_eq!(tool_msg["untrusted_data"], true);
    let audited = app.audit("tool_call").await;
    assert_eq!(audited[0].entry.outcome.as_str(), "denied");
    assert_eq!(audited[0].entry.actor, "billing");
    assert!(audited[0]
        .entry
        .reason
        .as_deref()
        .unwrap()
        .starts_with("chat"));
}

#[tokio::test]
async fn a_model_asking_for_another_patient_is_refused_and_audited() {
    let mock = MockLlm::start(|_, n| {
        if n == 0 {
            // Steered by text in a note, the model reaches for someone else.
            Plan::ToolCalls(vec![(
                "get_lab_results".into(),
                json!({"patient_id": "PAT-002"}).to_string(),
            )])
        } else {
            Plan::Text(vec!["I cannot look at that patient.".into()])
        }
    })
    .await;
    let app = with_mock(&mock, &[]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (_, events) = app.chat(&token, &session, "Summarise PAT-001's labs").await;
    let r = of_type(&events, "tool_result")[0];
    assert_eq!(r["content"]["status"], "denied");
    assert_eq!(r["content"]["result"]["code"], "patient_not_in_session");
    let rec = &app.audit("tool_call").await[0];
    assert_eq!(rec.entry.patient_id.as_deref(), Some("PAT-002"));
    assert_eq!(rec.entry.outcome.as_str(), "denied");
    assert_eq!(
        rec.entry.reason.as_deref(),
        Some("chat: patient_not_in_session")
    );
}

#[tokio::test]
async fn a_model_that_loops_forever_is_stopped_after_the_configured_rounds() {
    let mock = MockLlm::start(|body, _| {
        let who = patient_ref(&last_message(body, "user")).unwrap_or_default();
        Plan::ToolCalls(vec![(
            "get_vital_signs".into(),
            json!({"patient_id": who}).to_string(),
        )])
    })
    .await;
    let app = with_mock(&mock, &[("LLM_MAX_TOOL_ROUNDS", "3")]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (status, events) = app
        .chat(&token, &session, "Vitals for PAT-003 please")
        .await;
    assert_eq!(status, 200);
    assert_eq!(of_type(&events, "tool_call").len(), 3);
    let last = events.last().unwrap();
    assert_eq!(last["type"], "error");
    assert_eq!(last["content"]["code"], "tool_rounds_exceeded");
    assert_eq!(
        mock.requests().len(),
        4,
        "three rounds with tools, one final without"
    );
    assert!(mock.requests()[3].get("tools").is_none_or(|t| t.is_null()));
    assert_eq!(
        app.audit("agent_refused").await[0].entry.reason.as_deref(),
        Some("tool_rounds_exceeded")
    );
}

#[tokio::test]
async fn a_provider_500_is_retried_then_reported_as_an_error_event() {
    let mock = MockLlm::scripted(vec![Plan::Status(500)]).await;
    let app = with_mock(&mock, &[("LLM_MAX_RETRIES", "2")]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (status, events) = app.chat(&token, &session, "hello").await;
    assert_eq!(status, 200);
    assert_eq!(types(&events), ["error"]);
    assert_eq!(events[0]["content"]["code"], "provider_error");
    assert_eq!(mock.requests().len(), 3, "one call and two retries");
    let h: Value = app
        .get(&token, &format!("/frontend/api/chat/history/{session}/"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(h["messages"][1]["role"], "error");
}

#[tokio::test]
async fn a_429_before_the_first_byte_is_retried_and_the_answer_arrives() {
    let mock = MockLlm::scripted(vec![
        Plan::Status(429),
        Plan::Text(vec!["Recovered.".into()]),
    ])
    .await;
    let app = with_mock(&mock, &[]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (_, events) = app.chat(&token, &session, "hello").await;
    assert_eq!(types(&events), ["delta", "message", "done"]);
    assert_eq!(streamed_text(&events), "Recovered.");
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn a_provider_that_never_answers_times_out() {
    let mock = MockLlm::scripted(vec![Plan::Hang]).await;
    let app = with_mock(&mock, &[("LLM_TIMEOUT", "0.5"), ("LLM_MAX_RETRIES", "0")]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let started = std::time::Instant::now();
    let (_, events) = app.chat(&token, &session, "hello").await;
    assert_eq!(
        events.last().unwrap()["content"]["code"],
        "provider_timeout"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_malformed_chunk_ends_the_stream_cleanly_and_keeps_the_partial_reply() {
    let mock = MockLlm::scripted(vec![Plan::Malformed(vec![
        "Partial ".into(),
        "answer".into(),
    ])])
    .await;
    let app = with_mock(&mock, &[]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (_, events) = app.chat(&token, &session, "hello").await;
    assert_eq!(types(&events), ["delta", "error"]);
    assert_eq!(
        events.last().unwrap()["content"]["code"],
        "provider_malformed_response"
    );
    let h: Value = app
        .get(&token, &format!("/frontend/api/chat/history/{session}/"))
        .await
        .json()
        .await
        .unwrap();
    let msgs = h["messages"].as_array().unwrap();
    assert_eq!(msgs[1]["content"], "Partial answer");
    assert_eq!(msgs[1]["incomplete"], true);
    assert_eq!(msgs[2]["role"], "error");
}

#[tokio::test]
async fn a_provider_that_drops_the_connection_mid_stream_gives_an_error_event() {
    let mock = MockLlm::scripted(vec![Plan::Disconnect(vec![
        "Half a ".into(),
        "sentence".into(),
    ])])
    .await;
    let app = with_mock(&mock, &[]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (_, events) = app.chat(&token, &session, "hello").await;
    assert_eq!(events.last().unwrap()["type"], "error");
    assert_eq!(
        events.last().unwrap()["content"]["code"],
        "provider_disconnected"
    );
    assert_eq!(streamed_text(&events), "Half a sentence");
}

#[tokio::test]
async fn a_client_that_leaves_cancels_the_provider_call_and_the_partial_reply_is_kept() {
    let pieces: Vec<String> = (0..200).map(|i| format!("word{i} ")).collect();
    let mock = MockLlm::scripted(vec![Plan::Slow(pieces, 20)]).await;
    let app = with_mock(&mock, &[]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let mut res = app
        .post(
            &token,
            "/frontend/api/chat/message/",
            json!({"session_id": session, "message": "Tell me a long story"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    // Read a few pieces, then hang up.
    let mut seen = 0;
    while let Some(chunk) = res.chunk().await.unwrap() {
        seen += String::from_utf8_lossy(&chunk).matches("\"delta\"").count();
        if seen >= 3 {
            break;
        }
    }
    drop(res);
    // The turn stops and stores what was streamed, marked incomplete.
    let mut stored = None;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let h: Value = app
            .get(&token, &format!("/frontend/api/chat/history/{session}/"))
            .await
            .json()
            .await
            .unwrap();
        if let Some(m) = h["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["role"] == "assistant")
        {
            stored = Some(m.clone());
            break;
        }
    }
    let m = stored.expect("the partial reply is stored");
    assert_eq!(m["incomplete"], true);
    let words = m["content"].as_str().unwrap().split_whitespace().count();
    assert!((3..200).contains(&words), "{words} words kept");
    // The session is free again for the next turn.
    let (status, _) = app.chat(&token, &session, "Shorter, please").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_graceful_shutdown_lets_an_open_stream_finish() {
    let pieces: Vec<String> = (0..20).map(|i| format!("w{i} ")).collect();
    let mock = MockLlm::scripted(vec![Plan::Slow(pieces, 30)]).await;
    let mut app = with_mock(&mock, &[]).await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let mut res = app
        .post(
            &token,
            "/frontend/api/chat/message/",
            json!({"session_id": session, "message": "Tell me a story"}),
        )
        .await;
    let first = res.chunk().await.unwrap().unwrap();
    assert!(!first.is_empty());
    app.stop_accepting();
    let mut rest = String::from_utf8_lossy(&first).to_string();
    while let Some(c) = res.chunk().await.unwrap() {
        rest.push_str(&String::from_utf8_lossy(&c));
    }
    assert!(
        rest.contains("\"type\":\"done\""),
        "the stream finished: {rest}"
    );
    // New connections are refused once the server has stopped.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(reqwest::Client::new()
        .get(app.url("/healthz"))
        .send()
        .await
        .is_err());
}

#[tokio::test]
async fn back_to_back_turns_in_one_session_never_find_it_busy() {
    let app = spawn_app().await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    for i in 0..15 {
        let (status, events) = app
            .chat(&token, &session, "Latest vitals for PAT-005?")
            .await;
        assert_eq!(status, 200, "turn {i}: {events:?}");
    }
    // Two at once in the same session: the second is refused, not interleaved.
    let a = app.post(
        &token,
        "/frontend/api/chat/message/",
        json!({"session_id": session, "message": "hello"}),
    );
    let b = app.post(
        &token,
        "/frontend/api/chat/message/",
        json!({"session_id": session, "message": "hello"}),
    );
    let (ra, rb) = tokio::join!(a, b);
    let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
    statuses.sort();
    assert!(
        statuses == [200, 200] || statuses == [200, 409],
        "{statuses:?}"
    );
}

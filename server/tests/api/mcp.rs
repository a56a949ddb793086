//! `/mcp` driven by rmcp's own client over Streamable HTTP: authentication, the caller's
//! tool list, and `tools/call` through the same checks, masking and audit as the other
//! doors, with each failure distinct and audited.

use crate::helpers::*;
use rmcp::model::{CallToolRequestParams, CallToolResult, ErrorCode, ErrorData, ProtocolVersion};
use rmcp::service::{RunningService, ServiceError};
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::{ClientLifecycleMode, ClientServiceExt, RoleClient, ServiceExt};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::{json, Value};
use ward_domain::audit::{ChainedRecord, Outcome};

type Client = RunningService<RoleClient, ()>;

const DOCTOR_TOOLS: [&str; 12] = [
    "search_patients",
    "get_patient_overview",
    "list_admissions",
    "get_lab_results",
    "get_vital_signs",
    "get_medications",
    "get_clinical_notes",
    "list_procedures",
    "list_immunizations",
    "get_diagnostic_reports",
    "list_allergies",
    "list_care_plans",
];
const BILLING_TOOLS: [&str; 3] = [
    "search_patients",
    "get_billing_summary",
    "list_insurance_claims",
];

fn transport(app: &TestApp, token: &str) -> StreamableHttpClientTransport<reqwest::Client> {
    StreamableHttpClientTransport::from_config(
        StreamableHttpClientTransportConfig::with_uri(app.url("/mcp")).auth_header(token),
    )
}

/// An rmcp client signed in as `user`, with the `initialize` handshake.
async fn connect(app: &TestApp, user: &str) -> Client {
    let token = app.token(user).await;
    ().serve(transport(app, &token))
        .await
        .expect("the MCP client connects")
}

/// An rmcp client signed in as `user`, with the stateless 2026-07-28 lifecycle
/// (`server/discover`, no `initialize`).
async fn connect_discover(app: &TestApp, user: &str) -> Client {
    let token = app.token(user).await;
    ().serve_with_lifecycle(
        transport(app, &token),
        ClientLifecycleMode::Discover {
            preferred_versions: vec![ProtocolVersion::V_2026_07_28],
        },
    )
    .await
    .expect("the MCP client discovers the server")
}

async fn call(
    client: &Client,
    tool: &str,
    arguments: Value,
) -> Result<CallToolResult, ServiceError> {
    let Value::Object(arguments) = arguments else {
        panic!("arguments are an object");
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(arguments))
        .await
}

async fn tool_names(client: &Client) -> Vec<String> {
    client
        .list_all_tools()
        .await
        .expect("tools/list")
        .into_iter()
        .map(|t| t.name.to_string())
        .collect()
}

/// The text of a result's content blocks.
fn text(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text())
        .map(|t| t.text.as_str())
        .collect()
}

/// A tool execution error (`isError: true`) with Ward's code, visible as text and as
/// Ward's error shape.
fn assert_tool_error(r: &CallToolResult, code: &str) {
    assert_eq!(r.is_error, Some(true), "{r:?}");
    assert!(text(r).starts_with(&format!("{code}: ")), "{}", text(r));
    let body = r.structured_content.as_ref().expect("structured error");
    assert_eq!(body["code"], code);
    assert!(body["error"].as_str().is_some_and(|m| !m.is_empty()));
}

/// The JSON-RPC error of a failed request.
fn protocol_error(e: ServiceError) -> ErrorData {
    match e {
        ServiceError::McpError(d) => d,
        other => panic!("expected a JSON-RPC error, got {other}"),
    }
}

/// The newest `tool_call` audit record.
async fn last_tool_call(app: &TestApp) -> ChainedRecord {
    app.audit("tool_call")
        .await
        .into_iter()
        .next()
        .expect("a tool_call audit record")
}

fn initialize_body() -> Value {
    json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "curl", "version": "1"}
        }
    })
}

async fn post_mcp(app: &TestApp, token: Option<&str>, body: Value) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url("/mcp"))
        .header("accept", "application/json, text/event-stream")
        .json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.expect("POST /mcp")
}

#[tokio::test]
async fn mcp_without_a_token_is_401_with_a_bearer_challenge() {
    let app = spawn_app().await;
    let r = post_mcp(&app, None, initialize_body()).await;
    assert_eq!(r.status(), 401);
    let challenge = r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "not_authenticated");
    assert!(body["error"].as_str().is_some_and(|m| m.contains("Bearer")));

    let r = post_mcp(&app, Some("not.a.token"), initialize_body()).await;
    assert_eq!(r.status(), 401);
    assert!(r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("invalid_token"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "token_not_valid");

    // rmcp's client gets no further with a bad token.
    assert!(().serve(transport(&app, "not.a.token")).await.is_err());
}

#[tokio::test]
async fn mcp_ignores_the_browser_session_cookie() {
    let app = spawn_app().await;
    let token = app.token("doctor").await;
    let r = app
        .client
        .post(app.url("/mcp"))
        .header("accept", "application/json, text/event-stream")
        .header("cookie", format!("ward_access={token}"))
        .json(&initialize_body())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "not_authenticated");
}

#[tokio::test]
async fn mcp_authenticates_before_anything_else_and_takes_only_post() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/mcp")).send().await.unwrap();
    assert_eq!(r.status(), 401, "no token, no MCP, whatever the method");

    let token = app.token("doctor").await;
    let r = app.get(&token, "/mcp").await;
    assert_eq!(r.status(), 405, "stateless: no GET stream");

    // DNS-rebinding protection: only the configured hosts are served.
    let r = app
        .client
        .post(app.url("/mcp"))
        .bearer_auth(&token)
        .header("host", "evil.example")
        .header("accept", "application/json, text/event-stream")
        .json(&initialize_body())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn tools_list_shows_only_the_callers_tools() {
    let app = spawn_app().await;
    let doctor = connect(&app, "doctor").await;
    assert_eq!(tool_names(&doctor).await, DOCTOR_TOOLS);
    let tools = doctor.list_all_tools().await.unwrap();
    let labs = tools
        .iter()
        .find(|t| t.name == "get_lab_results")
        .expect("get_lab_results listed");
    assert!(labs
        .description
        .as_deref()
        .is_some_and(|d| d.contains("laboratory")));
    assert_eq!(labs.input_schema["required"], json!(["patient_id"]));
    assert_eq!(
        labs.annotations.as_ref().and_then(|a| a.read_only_hint),
        Some(true)
    );

    let billing = connect(&app, "billing").await;
    assert_eq!(tool_names(&billing).await, BILLING_TOOLS);

    let reviewer = connect(&app, "reviewer").await;
    assert!(tool_names(&reviewer).await.is_empty());

    for c in [doctor, billing, reviewer] {
        c.cancel().await.unwrap();
    }
}

#[tokio::test]
async fn each_request_is_answered_for_its_own_token() {
    // No session: the same endpoint, two tokens, two tool lists, no handshake needed.
    let app = spawn_app().await;
    let list = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/list"});
    for (user, expected) in [("doctor", 12), ("billing", 3), ("doctor", 12)] {
        let token = app.token(user).await;
        let r = post_mcp(&app, Some(&token), list.clone()).await;
        assert_eq!(r.status(), 200);
        assert!(r.headers().get("mcp-session-id").is_none());
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            body["result"]["tools"].as_array().map(Vec::len),
            Some(expected),
            "{user}: {body}"
        );
    }
}

#[tokio::test]
async fn doctor_reads_lab_results_over_mcp_and_it_is_audited() {
    let app = spawn_app().await;
    let doctor = connect(&app, "doctor").await;
    let r = call(&doctor, "get_lab_results", json!({"patient_id": "PAT-001"}))
        .await
        .expect("tools/call");
    assert_eq!(r.is_error, Some(false), "{r:?}");
    let result = r.structured_content.clone().expect("structured result");
    assert_eq!(result["patient_id"], "PAT-001");
    assert!(
        result["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["test"] == "Hemoglobin A1c"),
        "{result}"
    );
    // The same JSON as text, for clients that only read text.
    assert_eq!(serde_json::from_str::<Value>(&text(&r)).unwrap(), result);

    let rec = last_tool_call(&app).await;
    assert_eq!(rec.entry.actor, "doctor");
    assert_eq!(rec.entry.outcome, Outcome::Ok);
    assert_eq!(rec.entry.tool.as_deref(), Some("get_lab_results"));
    assert_eq!(rec.entry.patient_id.as_deref(), Some("PAT-001"));
    assert!(rec.entry.reason.as_deref().unwrap().contains("mcp"));
    doctor.cancel().await.unwrap();
}

#[tokio::test]
async fn billing_calling_a_clinical_tool_is_denied_and_audited() {
    let app = spawn_app().await;
    let billing = connect(&app, "billing").await;
    let r = call(
        &billing,
        "get_clinical_notes",
        json!({"patient_id": "PAT-001"}),
    )
    .await
    .expect("a denial is a tool result, not a protocol error");
    assert_tool_error(&r, "tool_not_permitted");
    assert!(text(&r).contains("get_clinical_notes"));

    let rec = last_tool_call(&app).await;
    assert_eq!(rec.entry.actor, "billing");
    assert_eq!(rec.entry.outcome, Outcome::Denied);
    assert_eq!(rec.entry.tool.as_deref(), Some("get_clinical_notes"));
    assert_eq!(rec.entry.reason.as_deref(), Some("mcp: tool_not_permitted"));
    billing.cancel().await.unwrap();
}

#[tokio::test]
async fn unknown_tool_invalid_arguments_and_unknown_patient_are_distinct_and_audited() {
    let app = spawn_app().await;
    let doctor = connect(&app, "doctor").await;

    // Unknown tool: a protocol error (-32602) naming the tool.
    let e = protocol_error(
        call(&doctor, "drop_tables", json!({}))
            .await
            .expect_err("unknown tool"),
    );
    assert_eq!(e.code, ErrorCode::INVALID_PARAMS);
    assert!(e.message.contains("drop_tables"), "{}", e.message);
    assert_eq!(e.data.as_ref().unwrap()["code"], "unknown_tool");
    let rec = last_tool_call(&app).await;
    assert_eq!(rec.entry.outcome, Outcome::Error);
    assert_eq!(rec.entry.reason.as_deref(), Some("mcp: unknown_tool"));

    // Invalid arguments: a tool execution error naming the field (the model can fix it).
    let r = call(&doctor, "get_lab_results", json!({"patient_id": 5}))
        .await
        .expect("invalid arguments are a tool result");
    assert_tool_error(&r, "invalid_arguments");
    assert!(text(&r).contains("arguments.patient_id"), "{}", text(&r));
    let rec = last_tool_call(&app).await;
    assert_eq!(rec.entry.outcome, Outcome::Error);
    assert_eq!(
        rec.entry.reason.as_deref(),
        Some("mcp: invalid_arguments: arguments.patient_id")
    );

    // Unknown patient: to a doctor without access, the same answer as a patient outside
    // the care team (no existence oracle); the audit record says which it was.
    let r = call(&doctor, "get_lab_results", json!({"patient_id": "PAT-999"}))
        .await
        .expect("an unknown patient is a tool result");
    assert_tool_error(&r, "break_glass_required");
    assert!(!text(&r).contains("PAT-999"));
    let rec = last_tool_call(&app).await;
    assert_eq!(rec.entry.outcome, Outcome::Denied);
    assert_eq!(rec.entry.patient_id.as_deref(), Some("PAT-999"));
    assert_eq!(
        rec.entry.reason.as_deref(),
        Some("mcp: break_glass_required (unknown_patient)")
    );
    let known = call(&doctor, "get_lab_results", json!({"patient_id": "PAT-040"}))
        .await
        .expect("a forbidden patient is a tool result");
    assert_eq!(
        serde_json::to_value(&known.content).unwrap(),
        serde_json::to_value(&r.content).unwrap()
    );
    assert_eq!(known.structured_content, r.structured_content);

    assert_eq!(app.audit("tool_call").await.len(), 4);
    doctor.cancel().await.unwrap();
}

#[tokio::test]
async fn doctor_outside_the_care_team_must_break_the_glass() {
    let app = spawn_app().await;
    let doctor = connect(&app, "doctor").await;
    let r = call(
        &doctor,
        "get_clinical_notes",
        json!({"patient_id": "PAT-030"}),
    )
    .await
    .expect("a denial is a tool result");
    assert_tool_error(&r, "break_glass_required");
    let rec = last_tool_call(&app).await;
    assert_eq!(rec.entry.outcome, Outcome::Denied);
    assert_eq!(rec.entry.patient_id.as_deref(), Some("PAT-030"));
    assert_eq!(
        rec.entry.reason.as_deref(),
        Some("mcp: break_glass_required")
    );
    doctor.cancel().await.unwrap();
}

#[tokio::test]
async fn after_breaking_the_glass_the_same_mcp_client_gets_the_notes() {
    let app = spawn_app().await;
    let token = app.token("doctor").await;
    let doctor: Client = ().serve(transport(&app, &token)).await.unwrap();
    let r = app
        .post(
            &token,
            "/frontend/api/break-glass/",
            json!({"patient_id": "PAT-030", "reason": "Unconscious patient in the ED, no records"}),
        )
        .await;
    assert_eq!(r.status(), 200);

    let r = call(
        &doctor,
        "get_clinical_notes",
        json!({"patient_id": "PAT-030"}),
    )
    .await
    .expect("tools/call");
    assert_eq!(r.is_error, Some(false), "{r:?}");
    let flagged = r
        .meta
        .as_ref()
        .and_then(|m| m.0.get("ward/breakGlass"))
        .cloned();
    assert_eq!(flagged, Some(json!(true)));
    let rec = last_tool_call(&app).await;
    assert_eq!(rec.entry.outcome, Outcome::Ok);
    assert_eq!(rec.entry.reason.as_deref(), Some("mcp: break_glass"));
    doctor.cancel().await.unwrap();
}

#[tokio::test]
async fn results_are_masked_for_the_callers_role() {
    let app = spawn_app().await;
    let billing = connect(&app, "billing").await;
    let r = call(
        &billing,
        "get_billing_summary",
        json!({"patient_id": "PAT-001"}),
    )
    .await
    .expect("tools/call");
    assert_eq!(r.is_error, Some(false), "{r:?}");
    let summary = r.structured_content.clone().unwrap();
    assert_eq!(summary["patient_id"], "PAT-001");
    assert!(summary["balance"].is_number(), "{summary}");

    let doctor = connect(&app, "doctor").await;
    let r = call(
        &doctor,
        "get_patient_overview",
        json!({"patient_id": "PAT-001"}),
    )
    .await
    .expect("tools/call");
    let overview = r.structured_content.clone().unwrap();
    assert_eq!(overview["name"], "John Doe");
    assert_eq!(overview["ssn"], "[MASKED]");
    // Nowhere in the answer, text included, is John Doe's SSN.
    let ssn = ward_core::entity::patients::Entity::find_by_id("PAT-001".to_string())
        .one(&app.ward.db)
        .await
        .unwrap()
        .expect("PAT-001")
        .ssn;
    assert!(ssn.len() == 11 && !text(&r).contains(&ssn) && !text(&r).contains(&ssn[7..]));

    for c in [billing, doctor] {
        c.cancel().await.unwrap();
    }
}

#[tokio::test]
async fn the_stateless_2026_lifecycle_gets_the_same_answers() {
    let app = spawn_app().await;
    let billing = connect_discover(&app, "billing").await;
    assert_eq!(
        billing.peer_info().map(|i| i.protocol_version.clone()),
        Some(ProtocolVersion::V_2026_07_28)
    );
    assert_eq!(tool_names(&billing).await, BILLING_TOOLS);
    let r = call(
        &billing,
        "get_clinical_notes",
        json!({"patient_id": "PAT-001"}),
    )
    .await
    .expect("a denial is a tool result");
    assert_tool_error(&r, "tool_not_permitted");
    assert_eq!(last_tool_call(&app).await.entry.outcome, Outcome::Denied);
    billing.cancel().await.unwrap();
}

#[tokio::test]
async fn no_result_leaves_ward_when_the_audit_trail_cannot_be_written() {
    let app = spawn_app().await;
    let doctor = connect(&app, "doctor").await;
    app.ward
        .db
        .execute_unprepared(
            "CREATE TRIGGER test_audit_down BEFORE INSERT ON audit_events \
             BEGIN SELECT RAISE(ABORT, 'audit down'); END;",
        )
        .await
        .expect("break the audit trail");
    let e = protocol_error(
        call(&doctor, "get_lab_results", json!({"patient_id": "PAT-001"}))
            .await
            .expect_err("fails closed"),
    );
    assert_eq!(e.code, ErrorCode::INTERNAL_ERROR);
    assert_eq!(e.data.as_ref().unwrap()["code"], "audit_unavailable");
    assert!(!e.message.contains("Hemoglobin"));
    doctor.cancel().await.unwrap();
}

#[tokio::test]
async fn the_record_tools_answer_over_mcp_under_the_same_rules() {
    let app = spawn_app().await;
    let doctor = connect(&app, "doctor").await;
    let r = call(
        &doctor,
        "list_immunizations",
        json!({"patient_id": "PAT-001", "vaccine": "zoster"}),
    )
    .await
    .expect("tools/call");
    assert_eq!(r.is_error, Some(false), "{r:?}");
    let result = r.structured_content.clone().expect("structured result");
    let doses = result["immunizations"].as_array().unwrap();
    assert_eq!(doses.len(), 2, "{result}");
    assert_eq!(doses[0]["dose_number"], "2");
    let rec = last_tool_call(&app).await;
    assert_eq!(rec.entry.tool.as_deref(), Some("list_immunizations"));
    assert_eq!(rec.entry.outcome, Outcome::Ok);
    assert!(rec.entry.reason.as_deref().unwrap().contains("mcp"));

    // Outside the care team, the same refusal as the proxy gives.
    let r = call(&doctor, "list_care_plans", json!({"patient_id": "PAT-040"}))
        .await
        .expect("a denial is a tool result");
    assert_tool_error(&r, "break_glass_required");
    let rec = last_tool_call(&app).await;
    assert_eq!(rec.entry.outcome, Outcome::Denied);
    assert_eq!(rec.entry.patient_id.as_deref(), Some("PAT-040"));

    let nurse = connect(&app, "nurse").await;
    let names = tool_names(&nurse).await;
    assert!(names.iter().any(|n| n == "list_allergies"));
    assert!(!names.iter().any(|n| n == "get_diagnostic_reports"));
    let r = call(
        &nurse,
        "get_diagnostic_reports",
        json!({"patient_id": "PAT-001"}),
    )
    .await
    .expect("a denial is a tool result");
    assert_tool_error(&r, "tool_not_permitted");
    for c in [doctor, nurse] {
        c.cancel().await.unwrap();
    }
}

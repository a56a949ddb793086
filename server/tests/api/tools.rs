//! The tool proxy (compat) over HTTP: validation, policy, masking, break-the-glass, audit,
//! and failing closed when the audit trail cannot be written.

use crate::helpers::*;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

async fn proxy(app: &TestApp, token: &str, tool: &str, arguments: Value) -> (u16, Value) {
    let r = app
        .post(
            token,
            "/frontend/mcp-proxy/",
            json!({"tool": tool, "arguments": arguments}),
        )
        .await;
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn no_token_is_401() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(app.url("/frontend/mcp-proxy/"))
        .json(&json!({"tool": "get_lab_results", "arguments": {"patient_id": "PAT-001"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "not_authenticated"
    );
    assert!(
        app.audit("tool_call").await.is_empty(),
        "nobody to audit, nothing ran"
    );
}

#[tokio::test]
async fn a_doctor_reads_labs_of_a_care_team_patient() {
    let app = spawn_app().await;
    let t = app.token("doctor").await;
    let (status, body) = proxy(
        &app,
        &t,
        "get_lab_results",
        json!({"patient_id": "PAT-001", "test": "LDL"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["tool"], "get_lab_results");
    assert_eq!(body["result"]["results"][0]["test"], "LDL cholesterol");
    let rec = &app.audit("tool_call").await[0];
    assert_eq!(rec.entry.outcome.as_str(), "ok");
    assert_eq!(rec.entry.patient_id.as_deref(), Some("PAT-001"));
    assert_eq!(rec.entry.reason.as_deref(), Some("proxy"));
    assert_eq!(
        rec.entry.arguments.as_deref(),
        Some(r#"{"filter":"LDL","patient_id":"PAT-001"}"#)
    );
}

#[tokio::test]
async fn a_billing_user_calling_a_clinical_tool_is_denied_and_audited() {
    let app = spawn_app().await;
    let t = app.token("billing").await;
    let (status, body) = proxy(
        &app,
        &t,
        "get_clinical_notes",
        json!({"patient_id": "PAT-001"}),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(body["code"], "tool_not_permitted");
    let rec = &app.audit("tool_call").await[0];
    assert_eq!(
        (rec.entry.actor.as_str(), rec.entry.outcome.as_str()),
        ("billing", "denied")
    );
    assert_eq!(rec.entry.tool.as_deref(), Some("get_clinical_notes"));
    // Billing's own tools work for any patient, with the SSN shown as its last four digits.
    let (status, body) = proxy(&app, &t, "search_patients", json!({"query": "Doe"})).await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["patients"][0]["patient_id"], "PAT-001");
    let (status, _) = proxy(
        &app,
        &t,
        "list_insurance_claims",
        json!({"patient_id": "PAT-044"}),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn unknown_tool_invalid_arguments_and_unknown_patient_are_distinct_and_audited() {
    let app = spawn_app().await;
    let t = app.token("doctor").await;
    let (s1, e1) = proxy(&app, &t, "drop_all_tables", json!({})).await;
    let (s2, e2) = proxy(&app, &t, "get_lab_results", json!({"patient_id": 5})).await;
    let (s3, e3) = proxy(
        &app,
        &t,
        "get_lab_results",
        json!({"patient_id": "PAT-001", "limit": 1000}),
    )
    .await;
    assert_eq!(s3, 400);
    let (s4, e4) = proxy(
        &app,
        &t,
        "get_lab_results",
        json!({"patient_id": "PAT-999"}),
    )
    .await;
    assert_eq!((s1, e1["code"].as_str().unwrap()), (400, "unknown_tool"));
    assert_eq!(
        (s2, e2["code"].as_str().unwrap()),
        (400, "invalid_arguments")
    );
    assert!(
        e2["error"]
            .as_str()
            .unwrap()
            .contains("arguments.patient_id"),
        "{e2}"
    );
    assert!(
        e3["error"].as_str().unwrap().contains("arguments.limit"),
        "{e3}"
    );
    // An unknown patient answers like one outside the care team (no existence oracle).
    assert_eq!(
        (s4, e4["code"].as_str().unwrap()),
        (403, "break_glass_required")
    );
    let reasons: Vec<String> = app
        .audit("tool_call")
        .await
        .iter()
        .rev()
        .map(|r| {
            format!(
                "{} {}",
                r.entry.outcome,
                r.entry.reason.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            "error proxy: unknown_tool",
            "error proxy: invalid_arguments: arguments.patient_id",
            "error proxy: invalid_arguments: arguments.limit",
            "denied proxy: break_glass_required (unknown_patient)",
        ]
    );
}

#[tokio::test]
async fn nurses_see_no_notes_and_masked_insurance() {
    let app = spawn_app().await;
    let t = app.token("nurse").await;
    let (s, _) = proxy(
        &app,
        &t,
        "get_clinical_notes",
        json!({"patient_id": "PAT-002"}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, body) = proxy(
        &app,
        &t,
        "get_patient_overview",
        json!({"patient_id": "PAT-002"}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(body["result"]["ssn"], "[MASKED]");
    assert_eq!(body["result"]["insurance"]["member_id"], "[MASKED]");
    let (s, body) = proxy(
        &app,
        &t,
        "get_vital_signs",
        json!({"patient_id": "PAT-040"}),
    )
    .await;
    assert_eq!(
        (s, body["code"].as_str().unwrap()),
        (403, "outside_care_team")
    );
}

#[tokio::test]
async fn breaking_the_glass_grants_time_limited_flagged_access() {
    let app = spawn_app().await;
    let t = app.token("doctor2").await;
    let (s, body) = proxy(
        &app,
        &t,
        "get_medications",
        json!({"patient_id": "PAT-001"}),
    )
    .await;
    assert_eq!(
        (s, body["code"].as_str().unwrap()),
        (403, "break_glass_required")
    );
    let r = app
        .post(
            &t,
            "/frontend/api/break-glass/",
            json!({"patient_id": "PAT-001", "reason": ""}),
        )
        .await;
    assert_eq!(r.status(), 400);
    let r = app
        .post(&t, "/frontend/api/break-glass/", json!({"patient_id": "PAT-001", "reason": "Covering the 4 West rapid response tonight"}))
        .await;
    assert_eq!(r.status(), 200);
    let grant: Value = r.json().await.unwrap();
    let expires =
        chrono::DateTime::parse_from_rfc3339(grant["expires_at"].as_str().unwrap()).unwrap();
    let minutes = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes();
    assert!((58..=60).contains(&minutes), "{minutes}");
    let (s, body) = proxy(
        &app,
        &t,
        "get_medications",
        json!({"patient_id": "PAT-001"}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(body["break_glass"], true);
    let glass = &app.audit("break_glass").await[0];
    assert!(glass
        .entry
        .reason
        .as_deref()
        .unwrap()
        .contains("rapid response"));
    assert_eq!(
        app.audit("tool_call").await[0].entry.reason.as_deref(),
        Some("proxy: break_glass")
    );
    // Nurses cannot break the glass.
    let n = app.token("nurse").await;
    let r = app
        .post(
            &n,
            "/frontend/api/break-glass/",
            json!({"patient_id": "PAT-040", "reason": "I need to check the drip rate"}),
        )
        .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn a_forced_audit_write_failure_withholds_the_result() {
    let app = spawn_app().await;
    let t = app.token("doctor").await;
    app.ward
        .db
        .execute_unprepared(
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'disk full'); END",
        )
        .await
        .unwrap();
    let r = app
        .post(
            &t,
            "/frontend/mcp-proxy/",
            json!({"tool": "get_patient_overview", "arguments": {"patient_id": "PAT-001"}}),
        )
        .await;
    assert_eq!(r.status(), 503);
    let text = r.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["code"], "audit_unavailable");
    assert!(
        !text.contains("John") && !text.contains("Doe") && !text.contains("4007919"),
        "{text}"
    );
    // A denied call cannot be recorded either, so it fails closed too.
    let b = app.token_after_failure("billing").await;
    assert!(
        b.is_none(),
        "even sign-in is refused while the audit trail is down"
    );
}

impl TestApp {
    /// Tries to sign in; `None` when Ward refuses.
    async fn token_after_failure(&self, username: &str) -> Option<String> {
        let r = self
            .client
            .post(self.url("/api/token/"))
            .json(&json!({"username": username, "password": format!("{username}123")}))
            .send()
            .await
            .unwrap();
        (r.status() == 200).then(|| "token".to_string())
    }
}

#[tokio::test]
async fn audit_latest_shows_auditors_everything_and_others_their_own() {
    let app = spawn_app().await;
    let d = app.token("doctor").await;
    proxy(
        &app,
        &d,
        "get_vital_signs",
        json!({"patient_id": "PAT-003"}),
    )
    .await;
    let n = app.token("nurse").await;
    let mine: Value = app
        .get(&n, "/frontend/audit-latest/")
        .await
        .json()
        .await
        .unwrap();
    let actors: Vec<&str> = mine["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert!(
        !actors.is_empty() && actors.iter().all(|a| *a == "nurse"),
        "{actors:?}"
    );
    let a = app.token("auditor").await;
    let all: Value = app
        .get(&a, "/frontend/audit-latest/")
        .await
        .json()
        .await
        .unwrap();
    let actors: Vec<&str> = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert!(actors.contains(&"doctor") && actors.contains(&"nurse"));
    assert!(all["events"][0]["hash"].as_str().unwrap().len() == 64);
}

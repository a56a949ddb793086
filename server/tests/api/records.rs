//! The record tools of issue 31 (procedures, immunizations, diagnostic reports,
//! allergies, care plans) through the tool proxy and MCP: the demo's data, the policy per
//! role, the care team, masking of identifiers, and one audit record per call.

use crate::helpers::*;
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

const RECORD_TOOLS: [&str; 5] = [
    "list_procedures",
    "list_immunizations",
    "get_diagnostic_reports",
    "list_allergies",
    "list_care_plans",
];

#[tokio::test]
async fn a_doctor_reads_john_does_records_with_one_audit_record_per_call() {
    let app = spawn_app().await;
    let t = app.token("doctor").await;
    for (i, tool) in RECORD_TOOLS.iter().enumerate() {
        let (status, body) = proxy(&app, &t, tool, json!({"patient_id": "PAT-001"})).await;
        assert_eq!(status, 200, "{tool}: {body}");
        assert_eq!(body["result"]["patient_id"], "PAT-001");
        assert!(
            body["result"]["count"].as_u64().unwrap() > 0,
            "{tool}: {body}"
        );
        let audit = app.audit("tool_call").await;
        assert_eq!(audit.len(), i + 1, "one record per call");
        assert_eq!(audit[0].entry.tool.as_deref(), Some(*tool));
        assert_eq!(audit[0].entry.outcome.as_str(), "ok");
        assert_eq!(audit[0].entry.patient_id.as_deref(), Some("PAT-001"));
    }

    // "When was his last colonoscopy?"
    let (_, body) = proxy(
        &app,
        &t,
        "list_procedures",
        json!({"patient_id": "PAT-001", "procedure": "colonoscopy"}),
    )
    .await;
    let p = &body["result"]["procedures"][0];
    assert_eq!(body["result"]["count"], 1);
    assert_eq!(p["display"], "Colonoscopy");
    assert_eq!(p["performed_at"], "2021-03-18T08:30:00Z");
    assert_eq!(p["outcome"], "Two small polyps removed");
    let audit = &app.audit("tool_call").await[0];
    assert_eq!(
        audit.entry.arguments.as_deref(),
        Some(r#"{"filter":"colonoscopy","patient_id":"PAT-001"}"#)
    );

    // Vaccines newest first, with influenza every autumn.
    let (_, body) = proxy(
        &app,
        &t,
        "list_immunizations",
        json!({"patient_id": "PAT-001", "vaccine": "influenza"}),
    )
    .await;
    let flu = body["result"]["immunizations"].as_array().unwrap();
    assert_eq!(flu.len(), 3);
    assert!(flu[0]["occurred_at"]
        .as_str()
        .unwrap()
        .starts_with("2025-10"));

    // Reports carry their results.
    let (_, body) = proxy(
        &app,
        &t,
        "get_diagnostic_reports",
        json!({"patient_id": "PAT-001", "report": "lipid"}),
    )
    .await;
    let r = &body["result"]["reports"][0];
    assert_eq!(r["code"], "57698-3");
    assert_eq!(r["results"][0]["test"], "LDL cholesterol");
    assert_eq!(r["results"][0]["flag"], "H");
    assert!(r["conclusion"]
        .as_str()
        .unwrap()
        .contains("LDL cholesterol high"));
}

#[tokio::test]
async fn a_nurse_reads_allergies_vaccines_and_care_plans_but_not_procedures_or_reports() {
    let app = spawn_app().await;
    let t = app.token("nurse").await;
    for tool in ["list_allergies", "list_immunizations", "list_care_plans"] {
        let (status, body) = proxy(&app, &t, tool, json!({"patient_id": "PAT-002"})).await;
        assert_eq!(status, 200, "{tool}: {body}");
    }
    for tool in ["list_procedures", "get_diagnostic_reports"] {
        let (status, body) = proxy(&app, &t, tool, json!({"patient_id": "PAT-002"})).await;
        assert_eq!(status, 403, "{tool}");
        assert_eq!(body["code"], "tool_not_permitted");
        let rec = &app.audit("tool_call").await[0];
        assert_eq!(
            (rec.entry.tool.as_deref(), rec.entry.outcome.as_str()),
            (Some(tool), "denied")
        );
    }
    // Outside the nurse's unit: no break-the-glass for nurses.
    let (status, body) = proxy(
        &app,
        &t,
        "list_immunizations",
        json!({"patient_id": "PAT-030"}),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(body["code"], "outside_care_team");
}

#[tokio::test]
async fn billing_may_call_none_of_the_record_tools() {
    let app = spawn_app().await;
    let t = app.token("billing").await;
    for tool in RECORD_TOOLS {
        let (status, body) = proxy(&app, &t, tool, json!({"patient_id": "PAT-001"})).await;
        assert_eq!(status, 403, "{tool}");
        assert_eq!(body["code"], "tool_not_permitted");
    }
    assert_eq!(app.audit("tool_call").await.len(), RECORD_TOOLS.len());
}

#[tokio::test]
async fn a_doctor_outside_the_care_team_must_break_the_glass_for_the_records() {
    let app = spawn_app().await;
    let t = app.token("doctor").await;
    let (status, body) = proxy(&app, &t, "list_allergies", json!({"patient_id": "PAT-030"})).await;
    assert_eq!(status, 403);
    assert_eq!(body["code"], "break_glass_required");
    let rec = &app.audit("tool_call").await[0];
    assert_eq!(rec.entry.outcome.as_str(), "denied");
    assert_eq!(rec.entry.patient_id.as_deref(), Some("PAT-030"));
    let r = app
        .post(
            &t,
            "/frontend/api/break-glass/",
            json!({"patient_id": "PAT-030", "reason": "Covering the on-call shift tonight"}),
        )
        .await;
    assert!(r.status().is_success());
    let (status, body) = proxy(&app, &t, "list_allergies", json!({"patient_id": "PAT-030"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["break_glass"], true);
    let rec = &app.audit("tool_call").await[0];
    assert_eq!(rec.entry.reason.as_deref(), Some("proxy: break_glass"));
}

#[tokio::test]
async fn the_record_tools_validate_their_arguments() {
    let app = spawn_app().await;
    let t = app.token("doctor").await;
    let (status, body) = proxy(
        &app,
        &t,
        "list_procedures",
        json!({"patient_id": "PAT-001", "vaccine": "flu"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "invalid_arguments");
    // The unknown argument is not quoted back (a caller's key can hold anything); the
    // known ones are listed.
    let error = body["error"].as_str().unwrap();
    assert!(
        error.contains("arguments") && error.contains("patient_id"),
        "{error}"
    );
    assert!(!error.contains("vaccine"), "{error}");
    let (status, _) = proxy(
        &app,
        &t,
        "list_allergies",
        json!({"patient_id": "PAT-001", "status": "sometimes"}),
    )
    .await;
    assert_eq!(status, 400);
    let (status, body) = proxy(
        &app,
        &t,
        "list_care_plans",
        json!({"patient_id": "PAT-404"}),
    )
    .await;
    // To a caller without access, an unknown patient looks like a forbidden one.
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "break_glass_required");
}

#[tokio::test]
async fn allergies_default_to_those_in_force_and_say_so_when_none_are_known() {
    let app = spawn_app().await;
    let t = app.token("doctor").await;
    // Across the demo, every patient has either allergies or a "no known allergy" row.
    let mut statements = 0;
    for n in 1..=25 {
        let (_, body) = proxy(
            &app,
            &t,
            "list_allergies",
            json!({"patient_id": format!("PAT-{n:03}")}),
        )
        .await;
        let list = body["result"]["allergies"].as_array().unwrap();
        assert!(!list.is_empty());
        statements += list.iter().filter(|a| a["code"] == "716186003").count();
        assert!(list.iter().all(|a| a["clinical_status"] == "active"));
    }
    assert!(statements > 0);
}

#[tokio::test]
async fn rbac_effective_lists_the_record_tools_per_role() {
    let app = spawn_app().await;
    let names = |rbac: &Value| -> Vec<String> {
        rbac["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    };
    let doctor: Value = app
        .get(&app.token("doctor").await, "/frontend/rbac/effective/")
        .await
        .json()
        .await
        .unwrap();
    for tool in RECORD_TOOLS {
        assert!(names(&doctor).iter().any(|n| n == tool), "{tool}");
    }
    let nurse: Value = app
        .get(&app.token("nurse").await, "/frontend/rbac/effective/")
        .await
        .json()
        .await
        .unwrap();
    let n = names(&nurse);
    assert!(n.iter().any(|t| t == "list_allergies") && n.iter().any(|t| t == "list_immunizations"));
    assert!(!n
        .iter()
        .any(|t| t == "list_procedures" || t == "get_diagnostic_reports"));
}

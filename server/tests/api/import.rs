//! `POST /frontend/api/admin/import/`: an admin uploads a FHIR file and gets the same
//! report as the command line; the upload is size-limited and audited, only admins may
//! do it, and the PHI engine learns the imported names at once.

use crate::helpers::*;
use serde_json::{json, Value};
use std::path::Path;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../core/tests/fixtures/fhir")
            .join(path),
    )
    .expect("fixture")
}

async fn upload(
    app: &TestApp,
    token: &str,
    name: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let r = app
        .client
        .post(app.url(&format!("/frontend/api/admin/import/?name={name}")))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("upload");
    (r.status().as_u16(), r.json().await.expect("JSON body"))
}

#[tokio::test]
async fn an_admin_uploads_a_bundle_and_gets_the_report_and_two_audit_records() {
    let app = spawn_app().await;
    let t = app.token("admin").await;
    let (status, report) = upload(
        &app,
        &t,
        "synthea.json",
        "application/fhir+json",
        fixture("synthea-two-patients.json"),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["files"], 1);
    assert_eq!(report["kinds"]["Patient"]["created"], 2);
    assert_eq!(report["kinds"]["Immunization"]["created"], 1);
    assert_eq!(report["issues"], json!([]));
    let audit = app.audit("data_import").await;
    assert_eq!(audit.len(), 2, "the start and the outcome");
    assert_eq!(audit[1].entry.reason.as_deref(), Some("upload started"));
    let end = audit[0].entry.reason.clone().unwrap();
    assert!(
        end.contains("2 imported") || end.contains("imported ("),
        "{end}"
    );
    assert!(
        !end.contains("synthea"),
        "no file names in the audit trail: {end}"
    );
    assert_eq!(audit[0].entry.actor, "admin");

    // The same file again: updated, not duplicated.
    let (status, again) = upload(
        &app,
        &t,
        "synthea.json",
        "application/fhir+json",
        fixture("synthea-two-patients.json"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(again["kinds"]["Patient"]["updated"], 2);
    assert_eq!(again["kinds"]["Patient"]["created"], 0);
}

#[tokio::test]
async fn an_ndjson_upload_reports_the_broken_line_and_imports_the_rest() {
    let app = spawn_app().await;
    let t = app.token("admin").await;
    let patient = json!({"resourceType": "Patient", "id": "up-1", "birthDate": "1971-01-02",
        "name": [{"given": ["Ulla"], "family": "Upload"}],
        "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": "UPL-7731"}]});
    let vaccine = json!({"resourceType": "Immunization", "id": "up-imm", "status": "completed",
        "vaccineCode": {"text": "Influenza"}, "patient": {"reference": "Patient/up-1"},
        "occurrenceDateTime": "2025-10-03"});
    let broken = json!({"resourceType": "Procedure", "id": "up-proc", "status": "completed"});
    // The immunization comes before its patient in the file.
    let body = format!("{vaccine}\n{broken}\n{patient}\n");
    let (status, report) = upload(
        &app,
        &t,
        "export.ndjson",
        "application/fhir+ndjson",
        body.into_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["kinds"]["Immunization"]["created"], 1);
    assert_eq!(report["kinds"]["Procedure"]["failed"], 1);
    let issue = &report["issues"][0];
    assert_eq!(issue["file"], "export.ndjson");
    assert_eq!(issue["entry"], "line 2");
    assert_eq!(issue["resource"], "Procedure/up-proc");
    assert!(issue["reason"]
        .as_str()
        .unwrap()
        .starts_with("subject is missing"));

    // The PHI engine knows the new patient's name at once.
    let detector = app.ward.phi.detector();
    let text = "Seen today: Ulla Upload, stable.";
    let found = detector.detect(text).unwrap();
    assert!(
        found.iter().any(|d| &text[d.start..d.end] == "Ulla Upload"),
        "{found:?}"
    );
    // And the imported record is a tool result like any other.
    let d = app.token("admin").await;
    let r = app
        .post(
            &d,
            "/frontend/mcp-proxy/",
            json!({"tool": "list_immunizations", "arguments": {"patient_id": "up-1"}}),
        )
        .await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["result"]["immunizations"][0]["vaccine"], "Influenza");
}

#[tokio::test]
async fn an_upload_larger_than_the_api_body_limit_imports_in_batches() {
    let app = spawn_app().await;
    let t = app.token("admin").await;
    let mut body = String::new();
    for i in 0..2500 {
        body.push_str(
            &json!({"resourceType": "Observation", "id": format!("big-{i}"), "status": "final",
                "category": [{"coding": [{"code": "laboratory"}]}],
                "code": {"text": "Glucose", "coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
                "subject": {"reference": "Patient/big-1"},
                "effectiveDateTime": format!("2024-01-01T{:02}:{:02}:00Z", i / 60 % 24, i % 60),
                "valueQuantity": {"value": 90 + i % 40, "unit": "mg/dL"},
                "note": [{"text": "x".repeat(400)}]})
            .to_string(),
        );
        body.push('\n');
    }
    body.push_str(
        &json!({"resourceType": "Patient", "id": "big-1", "birthDate": "1960-01-01",
            "identifier": [{"value": "BIG-1"}]})
        .to_string(),
    );
    assert!(body.len() > 1024 * 1024, "over WARD_MAX_BODY_BYTES");
    let (status, report) = upload(
        &app,
        &t,
        "Observation.ndjson",
        "application/fhir+ndjson",
        body.into_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["kinds"]["Observation"]["created"], 2500);
    assert_eq!(report["kinds"]["Patient"]["created"], 1);
}

#[tokio::test]
async fn nothing_importable_is_422_with_the_report() {
    let app = spawn_app().await;
    let t = app.token("admin").await;
    let (status, body) = upload(
        &app,
        &t,
        "orgs.ndjson",
        "application/x-ndjson",
        b"{\"resourceType\":\"Organization\",\"id\":\"o\"}\n".to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "nothing_imported");
    assert!(body["error"].as_str().is_some());
    assert_eq!(body["report"]["kinds"]["Organization"]["not_used"], 1);
    let audit = app.audit("data_import").await;
    assert_eq!(audit[0].entry.outcome.as_str(), "error");
}

#[tokio::test]
async fn only_admins_upload() {
    let app = spawn_app().await;
    for user in ["doctor", "nurse", "billing", "auditor"] {
        let t = app.token(user).await;
        let (status, body) = upload(
            &app,
            &t,
            "x.json",
            "application/fhir+json",
            fixture("synthea-two-patients.json"),
        )
        .await;
        assert_eq!(status, 403, "{user}");
        assert_eq!(body["code"], "role_required");
    }
    assert!(app.audit("data_import").await.is_empty());
    let r = app
        .client
        .post(app.url("/frontend/api/admin/import/"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn an_upload_over_the_limit_is_413_and_imports_nothing() {
    let app = spawn(Spawn {
        env: vec![("WARD_MAX_IMPORT_BYTES", "1000".into())],
        ..Default::default()
    })
    .await;
    let t = app.token("admin").await;
    let (status, body) = upload(
        &app,
        &t,
        "big.json",
        "application/fhir+json",
        fixture("synthea-two-patients.json"),
    )
    .await;
    assert_eq!(status, 413);
    assert_eq!(body["code"], "payload_too_large");
    let audit = app.audit("data_import").await;
    assert_eq!(audit[0].entry.outcome.as_str(), "error");
    assert!(audit[0]
        .entry
        .reason
        .as_deref()
        .unwrap()
        .contains("payload_too_large"));
    // Other types and empty files are refused too.
    let (status, body) = upload(&app, &t, "x.txt", "text/plain", b"hello".to_vec()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );
    let (status, body) = upload(&app, &t, "x.json", "application/json", vec![]).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("empty_upload")));
}

#[tokio::test]
async fn a_browser_upload_needs_the_csrf_token() {
    let app = spawn_app().await;
    let t = app.token("admin").await;
    let r = app
        .client
        .post(app.url("/frontend/api/admin/import/"))
        .header("cookie", format!("ward_access={t}"))
        .header("content-type", "application/fhir+json")
        .body(fixture("synthea-two-patients.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert!(body["code"].as_str().unwrap().contains("csrf"), "{body}");
}

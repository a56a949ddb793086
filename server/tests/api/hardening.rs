//! The outside review's findings on the audit trail and its neighbours (issue 26: 6, 7,
//! 11, 12, 13) and the accounting of disclosures (issue 25, item 6): break-the-glass
//! bounds, cap, listing and revocation; administrative changes that commit with their
//! audit record or not at all; no patient-existence oracle; audited reviewer lists;
//! per-user tool rate limits; the keyed chain and its signed checkpoints; disclosures.

use crate::helpers::*;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

async fn proxy(app: &TestApp, token: &str, tool: &str, arguments: Value) -> reqwest::Response {
    app.post(
        token,
        "/frontend/mcp-proxy/",
        json!({"tool": tool, "arguments": arguments}),
    )
    .await
}

async fn break_glass(app: &TestApp, token: &str, patient: &str, reason: &str) -> reqwest::Response {
    app.post(
        token,
        "/frontend/api/break-glass/",
        json!({"patient_id": patient, "reason": reason}),
    )
    .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .ward
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.ward.db.get_database_backend(),
            sql,
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Makes every audit append fail from now on, as a full disk or a broken database would.
async fn break_the_audit_trail(app: &TestApp) {
    app.ward
        .db
        .execute_unprepared(
            "CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_events \
             BEGIN SELECT RAISE(ABORT, 'audit trail unavailable'); END",
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_break_the_glass_reason_is_10_to_1000_characters_and_never_echoed() {
    let app = spawn_app().await;
    let t = app.token("doctor2").await;
    let short = break_glass(&app, &t, "PAT-001", "too short").await;
    assert_eq!(short.status(), 400);
    let body: Value = short.json().await.unwrap();
    assert_eq!(body["code"], "reason_required");
    let long = format!("Jane Q Public born 1950-01-02 {}", "x".repeat(200_000));
    let r = break_glass(&app, &t, "PAT-001", &long).await;
    assert_eq!(r.status(), 400);
    assert!(r
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let text = r.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["code"], "reason_too_long");
    assert!(!text.contains("Jane") && !text.contains("1950"), "{text}");
    let exactly = "y".repeat(1000);
    assert_eq!(
        break_glass(&app, &t, "PAT-001", &exactly).await.status(),
        200
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM break_glass_grants").await,
        1
    );
}

#[tokio::test]
async fn break_the_glass_is_capped_per_user_and_day() {
    let app = spawn(Spawn {
        env: vec![("WARD_BTG_DAILY_CAP", "2".into())],
        ..Default::default()
    })
    .await;
    let t = app.token("doctor2").await;
    let reason = "Covering the rapid response team tonight";
    for p in ["PAT-001", "PAT-002"] {
        assert_eq!(break_glass(&app, &t, p, reason).await.status(), 200);
    }
    let r = break_glass(&app, &t, "PAT-003", reason).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "break_glass_cap");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM break_glass_grants").await,
        2
    );
    let refused = &app.audit("break_glass").await[0];
    assert_eq!(refused.entry.outcome, ward_domain::audit::Outcome::Denied);
    assert_eq!(
        refused.entry.reason.as_deref(),
        Some("break_glass_daily_cap")
    );
    // Another doctor has a cap of their own.
    let d = app.token("doctor").await;
    assert_eq!(break_glass(&app, &d, "PAT-040", reason).await.status(), 200);
}

#[tokio::test]
async fn active_grants_are_listed_to_their_holder_and_auditors_and_revocable() {
    let app = spawn_app().await;
    let t = app.token("doctor2").await;
    let grant: Value = break_glass(&app, &t, "PAT-001", "Covering the rapid response team")
        .await
        .json()
        .await
        .unwrap();
    let id = grant["id"].as_i64().unwrap();
    assert!(id > 0);
    let mine: Value = app
        .get(&t, "/frontend/api/break-glass/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["grants"][0]["patient_id"], "PAT-001");
    assert_eq!(mine["grants"][0]["id"], id);
    let other = app.token("doctor").await;
    let theirs: Value = app
        .get(&other, "/frontend/api/break-glass/")
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs["grants"].as_array().unwrap().is_empty());
    let a = app.token("auditor").await;
    let all: Value = app
        .get(&a, "/frontend/api/audit/break-glass/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["grants"][0]["username"], "doctor2");
    assert_eq!(
        app.get(&t, "/frontend/api/audit/break-glass/")
            .await
            .status(),
        403
    );
    // Another clinician cannot revoke it; its holder can.
    let path = format!("/frontend/api/break-glass/{id}/");
    let r = app
        .client
        .delete(app.url(&path))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(
        proxy(
            &app,
            &t,
            "get_medications",
            json!({"patient_id": "PAT-001"})
        )
        .await
        .status(),
        200
    );
    let r = app
        .client
        .delete(app.url(&path))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = proxy(
        &app,
        &t,
        "get_medications",
        json!({"patient_id": "PAT-001"}),
    )
    .await;
    assert_eq!(r.status(), 403);
    let revoked = &app.audit("break_glass").await[0];
    assert!(revoked
        .entry
        .reason
        .as_deref()
        .unwrap()
        .starts_with(&format!("revoked break-the-glass #{id}")));
    let r = app
        .client
        .delete(app.url(&path))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "a revoked grant is gone");
}

#[tokio::test]
async fn a_change_whose_audit_record_fails_does_not_persist() {
    let app = spawn_app().await;
    let d = app.token("doctor2").await;
    let admin = app.token("admin").await;
    let users_before = count(&app, "SELECT COUNT(*) FROM users").await;
    let budgets_before = count(&app, "SELECT COUNT(*) FROM settings WHERE key LIKE 'llm_%'").await;
    break_the_audit_trail(&app).await;

    let r = break_glass(&app, &d, "PAT-001", "Covering the rapid response team").await;
    assert_eq!(r.status(), 503);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM break_glass_grants").await,
        0
    );

    let r = app
        .post(
            &admin,
            "/frontend/api/admin/users/",
            json!({"username": "newdoc", "display_name": "New Doc", "password": "long enough pw", "roles": ["doctor"]}),
        )
        .await;
    assert_eq!(r.status(), 503);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM users").await,
        users_before
    );

    let r = app
        .client
        .patch(app.url("/frontend/api/admin/users/2/"))
        .bearer_auth(&admin)
        .json(&json!({"roles": ["auditor"], "unit": "Nowhere"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM user_roles WHERE user_id = 2 AND role = 'auditor'"
        )
        .await,
        0
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM users WHERE unit = 'Nowhere'").await,
        0
    );

    let r = app
        .client
        .put(app.url("/frontend/api/admin/budgets/"))
        .bearer_auth(&admin)
        .json(&json!({"global_daily_usd": 1.0, "user_daily_usd": 0.5}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM settings WHERE key LIKE 'llm_%'").await,
        budgets_before
    );
}

#[tokio::test]
async fn an_unknown_patient_and_a_forbidden_one_look_the_same() {
    let app = spawn_app().await;
    // A doctor outside the care team, a nurse, billing (no clinical tools).
    for (user, tool) in [
        ("doctor", "get_lab_results"),
        ("nurse", "get_vital_signs"),
        ("billing", "get_clinical_notes"),
        ("doctor", "get_clinical_notes"),
    ] {
        let t = app.token(user).await;
        let known = proxy(&app, &t, tool, json!({"patient_id": "PAT-040"})).await;
        let (ks, kb) = (known.status(), known.text().await.unwrap());
        let unknown = proxy(&app, &t, tool, json!({"patient_id": "PAT-999"})).await;
        let (us, ub) = (unknown.status(), unknown.text().await.unwrap());
        assert_eq!((ks, &kb), (us, &ub), "{user} {tool}");
        assert_eq!(ks, 403, "{user} {tool}: {kb}");
    }
    // Breaking the glass: a doctor's grant for an unknown patient looks like any other
    // (and is audited as unknown); a nurse's refusal is the same either way.
    let d = app.token("doctor").await;
    let reason = "Covering the rapid response team";
    let a = break_glass(&app, &d, "PAT-041", reason).await;
    let b = break_glass(&app, &d, "PAT-998", reason).await;
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
    let keys = |v: Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(a.json().await.unwrap()), keys(b.json().await.unwrap()));
    assert!(app.audit("break_glass").await[0]
        .entry
        .reason
        .as_deref()
        .unwrap()
        .starts_with("unknown_patient"));
    let n = app.token("nurse").await;
    let a = break_glass(&app, &n, "PAT-041", reason).await;
    let b = break_glass(&app, &n, "PAT-998", reason).await;
    assert_eq!(a.status(), 403);
    assert_eq!(a.text().await.unwrap(), b.text().await.unwrap());
}

#[tokio::test]
async fn the_reviewers_list_of_archived_sessions_is_audited() {
    let app = spawn_app().await;
    let rv = app.token("reviewer").await;
    assert!(app.audit("session_read").await.is_empty());
    let r = app.get(&rv, "/frontend/api/reviews/sessions/").await;
    assert_eq!(r.status(), 200);
    let reads = app.audit("session_read").await;
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].entry.actor, "reviewer");
    assert!(reads[0]
        .entry
        .reason
        .as_deref()
        .unwrap()
        .starts_with("archived session list"));
    app.get(&rv, "/frontend/api/reviews/sessions/?q=pneumonia")
        .await;
    assert_eq!(app.audit("session_read").await.len(), 2);
}

#[tokio::test]
async fn the_tool_proxy_and_mcp_share_a_per_user_rate_limit() {
    let app = spawn(Spawn {
        env: vec![("WARD_TOOL_RATE_PER_MINUTE", "3".into())],
        ..Default::default()
    })
    .await;
    let t = app.token("doctor").await;
    for _ in 0..3 {
        let r = proxy(
            &app,
            &t,
            "get_medications",
            json!({"patient_id": "PAT-001"}),
        )
        .await;
        assert_eq!(r.status(), 200);
    }
    let r = proxy(
        &app,
        &t,
        "get_medications",
        json!({"patient_id": "PAT-001"}),
    )
    .await;
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    // Refused before the tool layer: no audit record for it.
    assert_eq!(app.audit("tool_call").await.len(), 3);
    // `/mcp` counts against the same limit.
    let r = app
        .client
        .post(app.url("/mcp"))
        .bearer_auth(&t)
        .header("accept", "application/json, text/event-stream")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "rate_limited");
    // Another user is not held back.
    let n = app.token("nurse").await;
    assert_eq!(
        proxy(
            &app,
            &n,
            "get_vital_signs",
            json!({"patient_id": "PAT-001"})
        )
        .await
        .status(),
        200
    );
}

#[tokio::test]
async fn a_chain_rewritten_and_re_hashed_without_the_key_fails_verification() {
    let app = spawn_app().await;
    let d = app.token("doctor").await;
    proxy(
        &app,
        &d,
        "get_medications",
        json!({"patient_id": "PAT-001"}),
    )
    .await;
    let a = app.token("auditor").await;
    let r = app
        .post(&a, "/frontend/api/audit/checkpoints/", json!({}))
        .await;
    assert_eq!(r.status(), 201);
    let cp: Value = r.json().await.unwrap();
    assert!(cp["seq"].as_i64().unwrap() >= 3);
    let list: Value = app
        .get(&a, "/frontend/api/audit/checkpoints/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["checkpoints"].as_array().unwrap().len(), 1);
    let ok: Value = app
        .get(&a, "/frontend/api/audit/verify/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ok["ok"], true, "{ok}");
    assert_eq!(ok["checkpoints_checked"], 1);

    // Someone with write access to the database edits record 2 and re-hashes the chain
    // from there with SHA-256 (they do not hold the key), head included.
    let db = &app.ward.db;
    for t in ["audit_events_no_update", "audit_events_no_delete"] {
        db.execute_unprepared(&format!("DROP TRIGGER {t}"))
            .await
            .unwrap();
    }
    let mut records = ward_core::audit::search(
        db,
        &ward_core::audit::AuditQuery {
            limit: Some(500),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .0;
    records.reverse();
    records[1].entry.actor = "mallory".into();
    for i in 1..records.len() {
        records[i].prev_hash = records[i - 1].hash.clone();
        records[i].hash = ward_domain::audit::chain_hash(
            records[i].seq,
            &records[i].entry,
            &records[i].prev_hash,
        );
        db.execute_unprepared(&format!(
            "UPDATE audit_events SET actor = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {}",
            records[i].entry.actor, records[i].prev_hash, records[i].hash, records[i].seq
        ))
        .await
        .unwrap();
    }
    let last = records.last().unwrap();
    db.execute_unprepared(&format!(
        "UPDATE audit_head SET last_hash = '{}' WHERE id = 1",
        last.hash
    ))
    .await
    .unwrap();
    let broken: Value = app
        .get(&a, "/frontend/api/audit/verify/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(broken["ok"], false, "{broken}");
    assert_eq!(broken["first_broken_seq"], 2, "{broken}");
    assert!(broken["problem"]
        .as_str()
        .unwrap()
        .contains("without the audit key"));
}

#[tokio::test]
async fn the_accounting_of_disclosures_reports_per_patient_provider_and_clinician() {
    let app = spawn_app().await;
    let d = app.token("doctor").await;
    let session = app.session(&d).await;
    let (s, _) = app
        .chat(&d, &session, "Show the medications for PAT-002")
        .await;
    assert_eq!(s, 200);
    let a = app.token("auditor").await;
    assert_eq!(
        app.get(&d, "/frontend/api/audit/disclosures/")
            .await
            .status(),
        403
    );
    let page: Value = app
        .get(&a, "/frontend/api/audit/disclosures/?patient=PAT-002")
        .await
        .json()
        .await
        .unwrap();
    let recs = page["records"].as_array().unwrap();
    assert!(!recs.is_empty(), "{page}");
    let r = &recs[0];
    assert_eq!(r["patient_id"], "PAT-002");
    assert_eq!(r["clinician"], "doctor");
    assert_eq!(r["phi_mode"], "pseudonymize");
    assert_eq!(r["session_id"], session.as_str());
    assert!(!r["provider"].as_str().unwrap().is_empty());
    assert!(!r["kinds"].as_array().unwrap().is_empty(), "{r}");
    assert!(r["disclosed_at"].as_str().unwrap().ends_with('Z'));
    let none: Value = app
        .get(&a, "/frontend/api/audit/disclosures/?patient=PAT-003")
        .await
        .json()
        .await
        .unwrap();
    assert!(none["records"].as_array().unwrap().is_empty());

    let csv = app
        .get(
            &a,
            "/frontend/api/audit/disclosures/export/?format=csv&patient=PAT-002",
        )
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("id,disclosed_at,patient_id"));
    let row = lines.next().expect("a row");
    assert!(
        row.contains("\"PAT-002\"") && row.contains("\"doctor\""),
        "{row}"
    );

    let fhir = app
        .get(&a, "/frontend/api/audit/disclosures/export/?format=fhir")
        .await;
    assert_eq!(fhir.status(), 200);
    let text = fhir.text().await.unwrap();
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["resourceType"], "AuditEvent");
    assert_eq!(first["agent"][0]["who"]["identifier"]["value"], "doctor");
    let bad = app
        .get(&a, "/frontend/api/audit/disclosures/export/?format=xml")
        .await;
    assert_eq!(bad.status(), 400);
    // Each read is itself audited.
    assert!(app
        .audit("audit_export")
        .await
        .iter()
        .any(|r| r.entry.reason.as_deref() == Some("accounting of disclosures, format csv")));
}

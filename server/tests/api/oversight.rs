//! The auditors' trail (search, verify, export in three formats), the reviewers' browser
//! of archived sessions, and the admins' usage, budgets and users.

use crate::helpers::*;
use serde_json::{json, Value};

async fn some_activity(app: &TestApp) -> String {
    let d = app.token("doctor").await;
    let session = app.session(&d).await;
    let (s, _) = app
        .chat(&d, &session, "Show the medications for PAT-002")
        .await;
    assert_eq!(s, 200);
    let b = app.token("billing").await;
    app.post(
        &b,
        "/frontend/mcp-proxy/",
        json!({"tool": "get_clinical_notes", "arguments": {"patient_id": "PAT-002"}}),
    )
    .await;
    session
}

#[tokio::test]
async fn only_auditors_search_the_trail_and_filters_combine() {
    let app = spawn_app().await;
    let session = some_activity(&app).await;
    let d = app.token("doctor").await;
    assert_eq!(
        app.get(&d, "/frontend/api/audit/events/").await.status(),
        403
    );
    let a = app.token("auditor").await;
    let page: Value = app
        .get(
            &a,
            "/frontend/api/audit/events/?action=tool_call&patient=PAT-002&outcome=denied",
        )
        .await
        .json()
        .await
        .unwrap();
    let recs = page["records"].as_array().unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["actor"], "billing");
    let by_session: Value = app
        .get(
            &a,
            &format!("/frontend/api/audit/events/?session={session}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(by_session["records"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["session_id"] == session.as_str()));
    assert!(!by_session["records"].as_array().unwrap().is_empty());
    // Paging.
    let p1: Value = app
        .get(&a, "/frontend/api/audit/events/?limit=2")
        .await
        .json()
        .await
        .unwrap();
    let next = p1["next_before_seq"].as_i64().unwrap();
    let p2: Value = app
        .get(
            &a,
            &format!("/frontend/api/audit/events/?limit=2&before_seq={next}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(p2["records"][0]["seq"].as_i64().unwrap() < next);
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let none: Value = app
        .get(&a, &format!("/frontend/api/audit/events/?from={tomorrow}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(none["records"].as_array().unwrap().is_empty());
    // Searching is itself audited.
    assert!(!app.audit("audit_search").await.is_empty());
}

#[tokio::test]
async fn verification_reports_an_intact_chain_and_is_audited() {
    let app = spawn_app().await;
    some_activity(&app).await;
    let a = app.token("auditor").await;
    let r: Value = app
        .get(&a, "/frontend/api/audit/verify/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["ok"], true);
    assert!(r["records_checked"].as_u64().unwrap() >= 5);
    assert!(r["first_broken_seq"].is_null());
    assert_eq!(app.audit("audit_verify").await.len(), 1);
}

#[tokio::test]
async fn exports_come_as_json_lines_csv_and_fhir_audit_events() {
    let app = spawn_app().await;
    some_activity(&app).await;
    let a = app.token("auditor").await;
    let r = app
        .get(
            &a,
            "/frontend/api/audit/export/?format=jsonl&action=tool_call",
        )
        .await;
    assert_eq!(r.headers()["content-type"], "application/x-ndjson");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("ward-audit.jsonl"));
    let lines: Vec<Value> = r
        .text()
        .await
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 2);
    assert!(
        lines
            .windows(2)
            .all(|w| w[0]["seq"].as_i64() < w[1]["seq"].as_i64()),
        "oldest first"
    );
    assert!(lines.iter().all(|l| l["action"] == "tool_call"));
    let csv = app
        .get(&a, "/frontend/api/audit/export/?format=csv")
        .await
        .text()
        .await
        .unwrap();
    let mut rows = csv.lines();
    assert!(rows.next().unwrap().starts_with("seq,occurred_at,actor"));
    assert!(rows.next().unwrap().starts_with("\"1\","));
    let fhir = app
        .get(&a, "/frontend/api/audit/export/?format=fhir&outcome=denied")
        .await
        .text()
        .await
        .unwrap();
    let ev: Value = serde_json::from_str(fhir.lines().next().unwrap()).unwrap();
    assert_eq!(ev["resourceType"], "AuditEvent");
    assert_eq!(ev["outcome"], "4");
    assert_eq!(ev["agent"][0]["who"]["identifier"]["value"], "billing");
    let bad = app.get(&a, "/frontend/api/audit/export/?format=xml").await;
    assert_eq!(bad.status(), 400);
    assert_eq!(app.audit("audit_export").await.len(), 3);
}

#[tokio::test]
async fn reviewers_find_archived_sessions_of_anyone_and_read_them_read_only() {
    let app = spawn_app().await;
    let session = some_activity(&app).await;
    let d = app.token("doctor").await;
    let r = app
        .client
        .patch(app.url(&format!("/frontend/api/chat/session/{session}/")))
        .bearer_auth(&d)
        .json(&json!({"is_archived": true, "title": "Medication review PAT-002"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let listed: Value = app
        .get(&d, "/frontend/api/chat/sessions/")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        listed["sessions"].as_array().unwrap().is_empty(),
        "archived sessions leave the list"
    );
    let archived: Value = app
        .get(&d, "/frontend/api/chat/sessions/?archived=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(archived["sessions"].as_array().unwrap().len(), 1);
    let rv = app.token("reviewer").await;
    let found: Value = app
        .get(&rv, "/frontend/api/reviews/sessions/?q=medication")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["sessions"][0]["id"], session.as_str());
    assert_eq!(found["sessions"][0]["owner"], "doctor");
    let h: Value = app
        .get(&rv, &format!("/frontend/api/chat/history/{session}/"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(h["read_only"], true);
    assert!(h["messages"].as_array().unwrap().len() >= 3);
    // Read-only: the reviewer cannot write to it.
    let (s, _) = app.chat(&rv, &session, "hello").await;
    assert_eq!(s, 404);
    let rename = app
        .client
        .patch(app.url(&format!("/frontend/api/chat/session/{session}/")))
        .bearer_auth(&rv)
        .json(&json!({"title": "mine"}))
        .send()
        .await
        .unwrap();
    assert_eq!(rename.status(), 404);
    assert_eq!(app.audit("session_read").await[0].entry.actor, "reviewer");
    // Clinicians do not browse others' sessions.
    assert_eq!(
        app.get(&d, "/frontend/api/reviews/sessions/")
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn admins_see_usage_set_budgets_and_manage_users() {
    let app = spawn_app().await;
    some_activity(&app).await;
    let admin = app.token("admin").await;
    let usage: Value = app
        .get(&admin, "/frontend/api/admin/usage/?days=7")
        .await
        .json()
        .await
        .unwrap();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(
        usage["per_day"].as_array().unwrap().last().unwrap()["key"],
        today.as_str()
    );
    // Every day of the window has a row, quiet days as zeros; today has the activity.
    let per_day = usage["per_day"].as_array().unwrap();
    assert_eq!(per_day.len(), 7);
    assert!(per_day[6]["prompt_tokens"].as_i64().unwrap() > 0);
    assert_eq!(per_day[0]["calls"], 0);
    assert_eq!(usage["per_user"][0]["key"], "doctor");
    let r = app
        .client
        .put(app.url("/frontend/api/admin/budgets/"))
        .bearer_auth(&admin)
        .json(&json!({"global_daily_usd": 12.5, "user_daily_usd": 0.75}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let b: Value = app
        .get(&admin, "/frontend/api/admin/budgets/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b, json!({"global_daily_usd": 12.5, "user_daily_usd": 0.75}));
    let bad = app
        .client
        .put(app.url("/frontend/api/admin/budgets/"))
        .bearer_auth(&admin)
        .json(&json!({"global_daily_usd": -1, "user_daily_usd": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let created = app
        .post(&admin, "/frontend/api/admin/users/", json!({"username": "pharma", "display_name": "Phil Pharmacist", "password": "correct horse battery", "roles": ["nurse"], "unit": "4 West"}))
        .await;
    assert_eq!(created.status(), 201);
    let user: Value = created.json().await.unwrap();
    let token = app.token_with("pharma", "correct horse battery").await;
    let me: Value = app
        .get(&token, "/frontend/whoami/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["care_team"]["patients"].as_array().unwrap().len(), 25);
    let session = app.session(&token).await;
    let id = user["id"].as_i64().unwrap();
    let r = app
        .client
        .patch(app.url(&format!("/frontend/api/admin/users/{id}/")))
        .bearer_auth(&admin)
        .json(&json!({"roles": ["billing"], "is_active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        app.get(&token, "/frontend/whoami/").await.status(),
        401,
        "deactivated users lose access at once"
    );
    let (status, events) = app.chat(&token, &session, "hello").await;
    assert_eq!(status, 401, "nor may they chat: {events:?}");
    assert_eq!(events[0]["code"], "token_not_valid");
    let doctor = app.token("doctor").await;
    assert_eq!(
        app.get(&doctor, "/frontend/api/admin/users/")
            .await
            .status(),
        403
    );
    assert_eq!(app.audit("user_admin").await.len(), 2);
    assert_eq!(app.audit("budget_change").await.len(), 1);
}

impl TestApp {
    async fn token_with(&self, username: &str, password: &str) -> String {
        let r = self
            .client
            .post(self.url("/api/token/"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()["access"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

//! What a user may do: `whoami` carries the capabilities the policy derives, the
//! server's guards answer as they say, and an admin cannot remove their own admin role
//! nor deactivate themselves.

use crate::helpers::*;
use serde_json::{json, Value};
use ward_domain::capability::Capabilities;
use ward_domain::policy::{Policy, Subject};
use ward_domain::role::{Role, Roles};

async fn capabilities(app: &TestApp, token: &str) -> Value {
    let r = app.get(token, "/frontend/whoami/").await;
    assert_eq!(r.status(), 200);
    let me: Value = r.json().await.unwrap();
    me["capabilities"].clone()
}

/// The derivation of the built-in policy for `roles`, as JSON.
fn derived(roles: &[Role], superuser: bool) -> Value {
    let caps: Capabilities = Policy::builtin().capabilities(&Subject {
        roles: Roles::new(roles.iter().copied()),
        superuser,
    });
    serde_json::to_value(caps).unwrap()
}

#[tokio::test]
async fn whoami_carries_what_each_role_may_do() {
    let app = spawn_app().await;
    let doctor = capabilities(&app, &app.token("doctor").await).await;
    assert_eq!(doctor["chat"], true);
    assert_eq!(doctor["break_glass"]["minutes"], 60);
    assert_eq!(doctor["break_glass"]["reason_min_chars"], 10);
    let tools = doctor["break_glass"]["tools"].as_array().unwrap();
    assert!(tools.contains(&json!("get_clinical_notes")));
    assert!(!tools.contains(&json!("get_billing_summary")));
    assert_eq!(doctor["audit"], false);
    assert_eq!(doctor["manage_users"], false);
    assert_eq!(doctor, derived(&[Role::Doctor], false));

    let nurse = capabilities(&app, &app.token("nurse").await).await;
    assert_eq!(nurse["chat"], true);
    assert_eq!(nurse["break_glass"], Value::Null);
    assert_eq!(nurse, derived(&[Role::Nurse], false));

    let reviewer = capabilities(&app, &app.token("reviewer").await).await;
    assert_eq!(reviewer["chat"], false);
    assert_eq!(reviewer["review_archives"], true);
    assert_eq!(reviewer["audit"], false);

    let auditor = capabilities(&app, &app.token("auditor").await).await;
    assert_eq!(
        (
            &auditor["audit"],
            &auditor["review_archives"],
            &auditor["revoke_any_grant"],
            &auditor["administer"]
        ),
        (&json!(true), &json!(true), &json!(true), &json!(false))
    );

    // The demo admin is a superuser: every screen and tool, and no glass to break.
    let admin = capabilities(&app, &app.token("admin").await).await;
    assert_eq!(admin["superuser"], true);
    for cap in [
        "chat",
        "review_archives",
        "audit",
        "revoke_any_grant",
        "administer",
        "manage_users",
    ] {
        assert_eq!(admin[cap], true, "{cap}");
    }
    assert_eq!(admin["break_glass"], Value::Null);
    assert_eq!(admin, derived(&[Role::Admin], true));

    // A plain admin (no superuser) administers but, with no tool, does not chat.
    let superuser = app.token("admin").await;
    let created = app
        .post(
            &superuser,
            "/frontend/api/admin/users/",
            json!({"username": "ops", "display_name": "Olive Ops",
                   "password": "correct horse battery", "roles": ["admin"]}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let ops = token_of(&app, "ops", "correct horse battery").await;
    let plain = capabilities(&app, &ops).await;
    assert_eq!(plain["chat"], false);
    assert_eq!(plain["administer"], true);
    assert_eq!(plain["audit"], false);
    assert_eq!(plain, derived(&[Role::Admin], false));
}

#[tokio::test]
async fn the_guards_answer_as_the_capabilities_say() {
    let app = spawn_app().await;
    let screens = [
        ("audit", "/frontend/api/audit/events/"),
        ("review_archives", "/frontend/api/reviews/sessions/"),
        ("administer", "/frontend/api/admin/usage/"),
        ("manage_users", "/frontend/api/admin/users/"),
    ];
    for user in ["doctor", "nurse", "billing", "reviewer", "auditor", "admin"] {
        let token = app.token(user).await;
        let caps = capabilities(&app, &token).await;
        for (cap, path) in screens {
            let status = app.get(&token, path).await.status().as_u16();
            let expected = if caps[cap] == true { 200 } else { 403 };
            assert_eq!(status, expected, "{user} {cap} {path}");
        }
        // Break the glass for a patient outside the care team (PAT-040 is on 5 East).
        let r = app
            .post(
                &token,
                "/frontend/api/break-glass/",
                json!({"patient_id": "PAT-040", "reason": "Emergency admission, unconscious."}),
            )
            .await;
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        if caps["break_glass"].is_null() {
            assert_eq!(status, 403, "{user}: {body}");
            assert_eq!(body["code"], "break_glass_not_permitted");
        } else {
            assert_eq!(status, 200, "{user}: {body}");
        }
    }
}

#[tokio::test]
async fn an_admin_cannot_remove_their_own_admin_role_nor_deactivate_themselves() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let me: Value = app
        .get(&admin, "/frontend/whoami/")
        .await
        .json()
        .await
        .unwrap();
    let id = me["id"].as_i64().unwrap();
    let patch = |body: Value| {
        app.client
            .patch(app.url(&format!("/frontend/api/admin/users/{id}/")))
            .bearer_auth(&admin)
            .json(&body)
            .send()
    };
    let r = patch(json!({"roles": ["doctor"]})).await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "cannot_remove_own_admin");
    assert!(body["error"].as_str().unwrap().contains("admin role"));
    let r = patch(json!({"roles": [], "unit": "4 West"})).await.unwrap();
    assert_eq!(r.status(), 400);
    let r = patch(json!({"is_active": false})).await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "cannot_deactivate_self"
    );
    // Nothing changed, and nothing was recorded as a change.
    let me: Value = app
        .get(&admin, "/frontend/whoami/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["roles"], json!(["admin"]));
    assert_eq!(me["care_team"]["unit"], Value::Null);
    assert!(app.audit("user_admin").await.is_empty());
    // Keeping the admin role while adding another is allowed.
    let r = patch(json!({"roles": ["admin", "reviewer"]}))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Another admin's admin role may go.
    let created = app
        .post(
            &admin,
            "/frontend/api/admin/users/",
            json!({"username": "ops", "display_name": "Olive Ops",
                   "password": "correct horse battery", "roles": ["admin"]}),
        )
        .await;
    let other = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app
        .client
        .patch(app.url(&format!("/frontend/api/admin/users/{other}/")))
        .bearer_auth(&admin)
        .json(&json!({"roles": ["reviewer"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

async fn token_of(app: &TestApp, username: &str, password: &str) -> String {
    let r = app
        .client
        .post(app.url("/api/token/"))
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

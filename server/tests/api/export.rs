//! The export of a conversation (`GET /frontend/api/chat/session/<id>/export/`): the
//! owner's own session as they read it, in Markdown or JSON, never the protected form a
//! provider was sent; audited before it is sent; another user's session not found.

use crate::helpers::*;
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use ward_core::entity::chat_messages;

fn export_path(id: &str, format: &str) -> String {
    format!("/frontend/api/chat/session/{id}/export/?format={format}")
}

/// What the provider was sent in place of the clinician's words, where it differs.
async fn protected_forms(app: &TestApp, session: &str) -> Vec<String> {
    chat_messages::Entity::find()
        .filter(chat_messages::Column::SessionId.eq(session))
        .all(&app.ward.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| m.provider_content.filter(|p| *p != m.content))
        .collect()
}

#[tokio::test]
async fn the_owner_exports_their_conversation_as_they_read_it_and_the_export_is_audited() {
    let app = spawn_app().await;
    let token = app.token("doctor").await;
    let id = app.session(&token).await;
    let question = "What medications is John Doe taking?";
    let (status, _) = app.chat(&token, &id, question).await;
    assert_eq!(status, 200);
    // The provider was sent a protected form of the question (the name replaced).
    let protected = protected_forms(&app, &id).await;
    assert!(!protected.is_empty(), "nothing was protected");

    let r = app.get(&token, &export_path(&id, "markdown")).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    assert_eq!(
        r.headers()[CONTENT_DISPOSITION],
        format!("attachment; filename=\"ward-conversation-{id}.md\"").as_str()
    );
    assert_eq!(r.headers()[CACHE_CONTROL], "no-store");
    let md = r.text().await.unwrap();
    assert!(md.starts_with("# "), "{md}");
    assert!(md.contains("**Clinician** · "), "{md}");
    assert!(md.contains(question), "{md}");
    assert!(md.contains("- Exported by doctor at "), "{md}");
    assert!(md.contains("**Ward**"), "{md}");
    for p in &protected {
        assert!(
            !md.contains(p.as_str()),
            "the export holds the provider's form: {p}"
        );
    }

    // The JSON export: the same session as the history endpoint gives its owner.
    let r = app.get(&token, &export_path(&id, "json")).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let export: Value = r.json().await.unwrap();
    let history: Value = app
        .get(&token, &format!("/frontend/api/chat/history/{id}/"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export["session"], history);
    assert_eq!(export["exported_by"], "doctor");
    let text = export.to_string();
    for p in &protected {
        assert!(
            !text.contains(p.as_str()),
            "the export holds the provider's form: {p}"
        );
    }

    // Each export is one audit record, naming the session, its patient and the format.
    let records = app.audit("session_export").await;
    assert_eq!(records.len(), 2);
    let newest = &records[0].entry;
    assert_eq!(newest.session_id.as_deref(), Some(id.as_str()));
    assert_eq!(newest.actor, "doctor");
    assert!(
        newest.reason.as_deref().unwrap().contains("json"),
        "{:?}",
        newest.reason
    );
    assert_eq!(
        newest.patient_id.as_deref(),
        history["patient_id"].as_str(),
        "the session's patient"
    );
}

#[tokio::test]
async fn another_users_session_is_not_exported_nor_revealed() {
    let app = spawn_app().await;
    let owner = app.token("doctor").await;
    let id = app.session(&owner).await;
    let (status, _) = app
        .chat(&owner, &id, "Show the latest labs for PAT-001")
        .await;
    assert_eq!(status, 200);
    let other = app.token("doctor2").await;
    let theirs = app.get(&other, &export_path(&id, "markdown")).await;
    assert_eq!(theirs.status(), 404);
    let theirs: Value = theirs.json().await.unwrap();
    let missing = app
        .get(
            &other,
            &export_path("6f1c2a8e-0000-4000-8000-000000000000", "markdown"),
        )
        .await;
    assert_eq!(missing.status(), 404);
    assert_eq!(theirs, missing.json::<Value>().await.unwrap());
    // A reviewer reads an archived session, but does not export it.
    let r = app
        .client
        .patch(app.url(&format!("/frontend/api/chat/session/{id}/")))
        .bearer_auth(&owner)
        .json(&json!({"is_archived": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let reviewer = app.token("reviewer").await;
    let r = app.get(&reviewer, &export_path(&id, "json")).await;
    assert_eq!(r.status(), 404);
    // Nobody signed in.
    let r = app
        .client
        .get(app.url(&export_path(&id, "json")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(app.audit("session_export").await.is_empty());
}

#[tokio::test]
async fn an_unknown_format_is_a_400_that_quotes_nothing() {
    let app = spawn_app().await;
    let token = app.token("doctor").await;
    let id = app.session(&token).await;
    let r = app
        .get(&token, &export_path(&id, "Zebulon%20Quillfeather%201911"))
        .await;
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "invalid_format");
    assert!(!body.to_string().contains("Zebulon"), "{body}");
    assert!(app.audit("session_export").await.is_empty());
}

#[tokio::test]
async fn the_browser_downloads_with_its_session_cookie() {
    let app = spawn_app().await;
    let browser = app.browser("doctor").await;
    let token = app.token("doctor").await;
    let id = app.session(&token).await;
    // A link in the page: a GET with the cookies and no CSRF header (it changes nothing).
    let r = app
        .client
        .get(app.url(&export_path(&id, "markdown")))
        .header(COOKIE, browser.cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("- Patient: none"));
}

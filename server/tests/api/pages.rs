//! Page loads of the browser app: the redirects a load gets (sign-in, home screen, the
//! session a first visit opens) and the data a page starts with, written into the page.

use crate::helpers::{spawn_app, Browser, TestApp};
use reqwest::header::{CACHE_CONTROL, COOKIE, LOCATION};
use reqwest::redirect::Policy;
use serde_json::{json, Value};

/// A client that shows redirects instead of following them.
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// `GET path` as the browser with `cookies` (none if empty): status, `Location`, body.
async fn load(app: &TestApp, cookies: &str, path: &str) -> (u16, Option<String>, String) {
    let mut req = no_redirects().get(app.url(path));
    if !cookies.is_empty() {
        req = req.header(COOKIE, cookies);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get(LOCATION)
        .map(|l| l.to_str().unwrap().to_string());
    (status, location, r.text().await.unwrap())
}

/// The page data a page carries (its `<script id="ward-page-data">`), if any.
fn page_data(html: &str) -> Option<Value> {
    let start = html.find(r#"id="ward-page-data""#)?;
    let text = &html[start..];
    let text = &text[text.find('>')? + 1..];
    serde_json::from_str(&text[..text.find("</script>")?]).ok()
}

#[tokio::test]
async fn signed_out_page_loads_go_to_sign_in_and_sign_in_is_served() {
    let app = spawn_app().await;
    for path in ["/frontend/", "/frontend/chat/abc", "/frontend/audit"] {
        let (status, location, _) = load(&app, "", path).await;
        assert_eq!(status, 303, "{path}");
        assert_eq!(location.as_deref(), Some("/frontend/login"), "{path}");
    }
    let (status, _, html) = load(&app, "", "/frontend/login").await;
    assert_eq!(status, 200);
    assert!(page_data(&html).is_none(), "nobody is signed in");
}

#[tokio::test]
async fn a_first_visit_opens_the_newest_empty_session_and_the_page_carries_the_chat_screen() {
    let app = spawn_app().await;
    let cookies = app.browser("doctor").await.cookies;
    let (status, location, _) = load(&app, &cookies, "/frontend/").await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    let id = location
        .strip_prefix("/frontend/chat/")
        .unwrap()
        .to_string();
    assert_eq!(id.len(), 36, "{location}");
    // Still empty: a second visit opens the same session instead of another.
    let (_, again, _) = load(&app, &cookies, "/frontend/").await;
    assert_eq!(again.as_deref(), Some(location.as_str()));

    let r = no_redirects()
        .get(app.url(&location))
        .header(COOKIE, &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()[CACHE_CONTROL], "no-store");
    let html = r.text().await.unwrap();
    let data = page_data(&html).expect("the page carries its data");
    assert_eq!(data["me"]["username"], "doctor");
    assert_eq!(data["me"]["care_team"]["unit"], "4 West");
    let chat = &data["chat"];
    assert_eq!(chat["session_id"], id.as_str());
    assert_eq!(chat["history"]["messages"], json!([]));
    assert_eq!(chat["config"]["offline"], true);
    assert!(chat["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == id.as_str()));
    // The server rendered the signed-in screen itself, not a loading placeholder.
    assert!(html.contains("data-testid=\"chat-panel\""), "{html}");
    assert!(html.contains("Dr. Gregory House"));
}

#[tokio::test]
async fn a_conversation_is_rendered_into_its_page_and_its_text_cannot_break_out() {
    let app = spawn_app().await;
    let Browser { cookies, csrf } = app.browser("doctor").await;
    let token = app.token("doctor").await;
    let session = app.session(&token).await;
    let (status, _) = app
        .chat(&token, &session, "Show the latest labs for PAT-001")
        .await;
    assert_eq!(status, 200);
    let hostile = "</script><script>alert(1)</script>";
    let renamed = app
        .client
        .patch(app.url(&format!("/frontend/api/chat/session/{session}/")))
        .header(COOKIE, &cookies)
        .header("X-CSRF-Token", &csrf)
        .json(&json!({"title": hostile}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);

    let (status, _, html) = load(&app, &cookies, &format!("/frontend/chat/{session}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains(hostile), "the title is escaped everywhere");
    let data = page_data(&html).unwrap();
    let history = &data["chat"]["history"];
    assert_eq!(history["title"], hostile);
    assert_eq!(history["messages"][0]["role"], "user");
    assert!(history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["role"] == "tool" && m["tool_name"] == "get_lab_results"));
    assert!(html.contains("data-testid=\"tool-card\""));
    assert!(html.contains("Show the latest labs for PAT-001"));
}

#[tokio::test]
async fn someone_elses_session_is_not_found_in_the_page() {
    let app = spawn_app().await;
    let theirs = app.session(&app.token("doctor2").await).await;
    let cookies = app.browser("doctor").await.cookies;
    let (status, _, html) = load(&app, &cookies, &format!("/frontend/chat/{theirs}")).await;
    assert_eq!(status, 200);
    let data = page_data(&html).unwrap();
    assert_eq!(data["chat"]["session_id"], theirs.as_str());
    assert!(data["chat"]["history"].is_null());
    assert!(html.contains("This session does not exist or is not yours."));
}

#[tokio::test]
async fn page_loads_go_to_the_screen_the_users_roles_open() {
    let app = spawn_app().await;
    let auditor = app.browser("auditor").await.cookies;
    let (status, location, _) = load(&app, &auditor, "/frontend/").await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/frontend/audit"))
    );
    let (status, location, _) = load(&app, &auditor, "/frontend/login").await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/frontend/audit"))
    );
    let (status, _, html) = load(&app, &auditor, "/frontend/audit").await;
    assert_eq!(status, 200);
    let data = page_data(&html).unwrap();
    assert_eq!(data["me"]["username"], "auditor");
    assert!(data["chat"].is_null());
}

#[tokio::test]
async fn the_api_opens_the_same_empty_session_a_first_visit_does() {
    let app = spawn_app().await;
    let token = app.token("nurse").await;
    let open = |body: Value| {
        let app = &app;
        let token = token.clone();
        async move {
            let r = app.post(&token, "/frontend/api/chat/session/", body).await;
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap()["session_id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let first = open(json!({"reuse_empty": true})).await;
    assert_eq!(open(json!({"reuse_empty": true})).await, first);
    let other = open(json!({})).await;
    assert_ne!(other, first, "without reuse_empty a new session is made");
    // The newest empty session is the one reused.
    assert_eq!(open(json!({"reuse_empty": true})).await, other);
}

//! The app's server functions (`app::server_fns`, `POST /frontend/api/fn/…`): what they
//! do for the signed-in browser, and that they are guarded as the REST endpoints are —
//! the session cookie and its CSRF token (or a Bearer token), "not yours" answered as
//! "missing", bad arguments a 4xx JSON error that quotes nothing.

use crate::helpers::{spawn_app, Browser, TestApp};
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE};
use serde_json::{json, Value};

/// How a call authenticates.
#[derive(Clone, Copy)]
enum As<'a> {
    /// The browser's cookies and its CSRF token, as the app sends them.
    App(&'a Browser),
    /// The cookies without the CSRF token.
    NoCsrf(&'a Browser),
    /// Nothing.
    Nobody,
}

/// `POST /frontend/api/fn/<endpoint>` with `body` (JSON text): status and JSON body.
async fn call_raw(app: &TestApp, who: As<'_>, endpoint: &str, body: String) -> (u16, Value) {
    let mut req = app
        .client
        .post(app.url(&format!("/frontend/api/fn/{endpoint}")))
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "application/json")
        .body(body);
    match who {
        As::App(b) => {
            req = req
                .header(COOKIE, &b.cookies)
                .header("X-CSRF-Token", &b.csrf)
        }
        As::NoCsrf(b) => req = req.header(COOKIE, &b.cookies),
        As::Nobody => {}
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    assert!(
        r.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{endpoint}: {:?}",
        r.headers()[CONTENT_TYPE]
    );
    (status, r.json().await.unwrap())
}

async fn call(app: &TestApp, who: As<'_>, endpoint: &str, args: Value) -> (u16, Value) {
    call_raw(app, who, endpoint, args.to_string()).await
}

/// Asserts Ward's error body with `code`: exactly `{"error", "code"}`.
fn is_error(body: &Value, code: &str) {
    assert_eq!(body["code"], code, "{body}");
    assert!(body["error"].is_string(), "{body}");
    assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
}

fn ids(list: &Value) -> Vec<String> {
    list["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_app_lists_creates_renames_archives_and_reads_its_sessions() {
    let app = spawn_app().await;
    let doctor = app.browser("doctor").await;
    let me = As::App(&doctor);

    let (status, created) = call(&app, me, "sessions/create", json!({"title": "Ward round"})).await;
    assert_eq!(status, 200, "{created}");
    let id = created["session_id"].as_str().unwrap().to_string();
    assert_eq!(created["title"], "Ward round");
    // An empty session is reused when asked to; otherwise a new one is made.
    let (_, reused) = call(&app, me, "sessions/create", json!({"reuse_empty": true})).await;
    assert_eq!(reused["session_id"], id.as_str());
    let (_, other) = call(&app, me, "sessions/create", json!({})).await;
    assert_ne!(other["session_id"], id.as_str());
    assert_eq!(other["title"], "New conversation");

    let (status, list) = call(&app, me, "sessions/list", json!({})).await;
    assert_eq!(status, 200);
    assert!(ids(&list).contains(&id), "{list}");

    let (status, renamed) = call(
        &app,
        me,
        "sessions/rename",
        json!({"id": id, "title": "PAT-001 follow-up"}),
    )
    .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["title"], "PAT-001 follow-up");

    // A question, so the history has something to show (the stream stays NDJSON).
    let token = app.token("doctor").await;
    let (status, _) = app
        .chat(&token, &id, "Show the latest labs for PAT-001")
        .await;
    assert_eq!(status, 200);
    let (status, history) = call(&app, me, "sessions/history", json!({"id": id})).await;
    assert_eq!(status, 200, "{history}");
    assert_eq!(history["session_id"], id.as_str());
    assert_eq!(history["title"], "PAT-001 follow-up");
    assert_eq!(history["read_only"], false);
    let messages = history["messages"].as_array().unwrap();
    assert_eq!(messages[0]["role"], "user");
    assert_eq!(messages[0]["content"], "Show the latest labs for PAT-001");
    // The same history as the REST endpoint's.
    let rest: Value = app
        .get(&token, &format!("/frontend/api/chat/history/{id}/"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history, rest);

    let (status, archived) = call(&app, me, "sessions/archive", json!({"id": id})).await;
    assert_eq!(status, 200);
    assert_eq!(archived["is_archived"], true);
    let (_, list) = call(&app, me, "sessions/list", json!({"archived": false})).await;
    assert!(!ids(&list).contains(&id));
    let (_, list) = call(&app, me, "sessions/list", json!({"archived": true})).await;
    assert_eq!(ids(&list), vec![id.clone()]);

    let (status, restored) = call(&app, me, "sessions/unarchive", json!({"id": id})).await;
    assert_eq!(status, 200);
    assert_eq!(restored["is_archived"], false);
    let (_, list) = call(&app, me, "sessions/list", json!({})).await;
    assert!(ids(&list).contains(&id));

    // A Bearer token is a credential too (no CSRF: it is not a cookie).
    let r = app
        .client
        .post(app.url("/frontend/api/fn/sessions/list"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_call_without_the_csrf_token_or_a_session_is_refused() {
    let app = spawn_app().await;
    let doctor = app.browser("doctor").await;
    let (_, created) = call(&app, As::App(&doctor), "sessions/create", json!({})).await;
    let id = created["session_id"].as_str().unwrap();

    let calls = [
        ("sessions/list", json!({})),
        ("sessions/create", json!({"title": "forged"})),
        ("sessions/rename", json!({"id": id, "title": "forged"})),
        ("sessions/archive", json!({"id": id})),
        ("sessions/unarchive", json!({"id": id})),
        ("sessions/history", json!({"id": id})),
        ("reviews/archived", json!({})),
    ];
    for (endpoint, args) in &calls {
        // The cookies alone (what a cross-site form would carry): refused before the
        // function runs.
        let (status, body) = call(&app, As::NoCsrf(&doctor), endpoint, args.clone()).await;
        assert_eq!(status, 403, "{endpoint}: {body}");
        is_error(&body, "csrf_failed");
        // Another session's token is not this one's.
        let other = app.browser("doctor").await;
        let forged = Browser {
            cookies: doctor.cookies.clone(),
            csrf: other.csrf,
        };
        let (status, body) = call(&app, As::App(&forged), endpoint, args.clone()).await;
        assert_eq!(status, 403, "{endpoint}: {body}");
        is_error(&body, "csrf_failed");
        // No session at all.
        let (status, body) = call(&app, As::Nobody, endpoint, args.clone()).await;
        assert_eq!(status, 401, "{endpoint}: {body}");
        is_error(&body, "not_authenticated");
    }
    // Nothing changed.
    let token = app.token("doctor").await;
    let list: Value = app
        .get(&token, "/frontend/api/chat/sessions/")
        .await
        .json()
        .await
        .unwrap();
    let sessions = list["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1, "{list}");
    assert_eq!(sessions[0]["title"], "New conversation");
    assert_eq!(sessions[0]["is_archived"], false);
}

#[tokio::test]
async fn another_users_session_answers_as_a_missing_one() {
    let app = spawn_app().await;
    let owner = app.browser("doctor").await;
    let other = app.browser("doctor2").await;
    let (_, created) = call(&app, As::App(&owner), "sessions/create", json!({})).await;
    let id = created["session_id"].as_str().unwrap();
    let missing = "6f1c2a8e-0000-4000-8000-000000000000";

    for (endpoint, args) in [
        ("sessions/history", json!({"id": id})),
        ("sessions/rename", json!({"id": id, "title": "mine now"})),
        ("sessions/archive", json!({"id": id})),
        ("sessions/unarchive", json!({"id": id})),
    ] {
        let (status, theirs) = call(&app, As::App(&other), endpoint, args.clone()).await;
        assert_eq!(status, 404, "{endpoint}: {theirs}");
        is_error(&theirs, "not_found");
        let mut args = args;
        args["id"] = json!(missing);
        let (status, absent) = call(&app, As::App(&other), endpoint, args).await;
        assert_eq!(status, 404);
        // The same answer, word for word: nothing tells that the session exists.
        assert_eq!(theirs, absent, "{endpoint}");
    }
    let (_, history) = call(&app, As::App(&owner), "sessions/history", json!({"id": id})).await;
    assert_eq!(history["title"], "New conversation");
    assert_eq!(history["is_archived"], false);
    // Not in the other's list either.
    let (_, list) = call(&app, As::App(&other), "sessions/list", json!({})).await;
    assert!(!ids(&list).contains(&id.to_string()));
}

const NAME_AND_BIRTH_DATE: &str = "Zebulon Quillfeather DOB 1911-07-23";

fn quotes_nothing(body: &Value) {
    let text = body.to_string();
    for part in ["Zebulon", "Quillfeather", "1911"] {
        assert!(!text.contains(part), "the error quotes the input: {text}");
    }
}

#[tokio::test]
async fn bad_arguments_are_a_4xx_json_error_that_quotes_nothing() {
    let app = spawn_app().await;
    let doctor = app.browser("doctor").await;
    let me = As::App(&doctor);
    let (_, created) = call(&app, me, "sessions/create", json!({})).await;
    let id = created["session_id"].as_str().unwrap();

    // Arguments of the wrong type, holding a name and a birth date.
    for (endpoint, args) in [
        ("sessions/list", json!({"archived": NAME_AND_BIRTH_DATE})),
        ("sessions/create", json!({"title": [NAME_AND_BIRTH_DATE]})),
        (
            "sessions/create",
            json!({"reuse_empty": NAME_AND_BIRTH_DATE}),
        ),
        (
            "sessions/rename",
            json!({"id": id, "title": {NAME_AND_BIRTH_DATE: 1}}),
        ),
        ("sessions/history", json!({"id": [NAME_AND_BIRTH_DATE]})),
        ("reviews/archived", json!({"query": 1911})),
        // A missing argument.
        ("sessions/rename", json!({"id": id})),
    ] {
        let (status, body) = call(&app, me, endpoint, args).await;
        assert_eq!(status, 400, "{endpoint}: {body}");
        is_error(&body, "invalid_request");
        quotes_nothing(&body);
    }
    // Not JSON at all.
    let (status, body) = call_raw(
        &app,
        me,
        "sessions/rename",
        format!("{{\"id\": {NAME_AND_BIRTH_DATE}}}"),
    )
    .await;
    assert_eq!(status, 400);
    is_error(&body, "invalid_request");
    quotes_nothing(&body);
    // A value Ward refuses: its own code, still without the value.
    let long = format!("{NAME_AND_BIRTH_DATE} {}", "x".repeat(300));
    let (status, body) = call(
        &app,
        me,
        "sessions/rename",
        json!({"id": id, "title": long}),
    )
    .await;
    assert_eq!(status, 400);
    is_error(&body, "title_too_long");
    quotes_nothing(&body);
    // An id that is not a session id is simply not found.
    let (status, body) = call(
        &app,
        me,
        "sessions/history",
        json!({"id": NAME_AND_BIRTH_DATE}),
    )
    .await;
    assert_eq!(status, 404);
    is_error(&body, "not_found");
    quotes_nothing(&body);
    // Over the body limit.
    let big = json!({"id": id, "title": "x".repeat(3 * 1024 * 1024)}).to_string();
    let (status, body) = call_raw(&app, me, "sessions/rename", big).await;
    assert!(matches!(status, 400 | 413), "{status}: {body}");
    assert!(body["code"].is_string(), "{body}");

    // A form-style request (HTML accepted) gets the JSON error too, not a redirect.
    let r = app
        .client
        .post(app.url("/frontend/api/fn/sessions/list"))
        .header(COOKIE, &doctor.cookies)
        .header("X-CSRF-Token", &doctor.csrf)
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "text/html")
        .header("Referer", app.url("/frontend/"))
        .body(json!({"archived": NAME_AND_BIRTH_DATE}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    is_error(&body, "invalid_request");
    // Only POST.
    let r = app
        .client
        .get(app.url("/frontend/api/fn/sessions/list"))
        .header(COOKIE, &doctor.cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
}

#[tokio::test]
async fn reviewers_browse_the_archive_and_each_listing_is_audited() {
    let app = spawn_app().await;
    let doctor = app.browser("doctor").await;
    let (_, created) = call(
        &app,
        As::App(&doctor),
        "sessions/create",
        json!({"title": "Night shift"}),
    )
    .await;
    let id = created["session_id"].as_str().unwrap().to_string();
    call(
        &app,
        As::App(&doctor),
        "sessions/archive",
        json!({"id": id}),
    )
    .await;

    let reviewer = app.browser("reviewer").await;
    let before = app.audit("session_read").await.len();
    let (status, list) = call(
        &app,
        As::App(&reviewer),
        "reviews/archived",
        json!({"query": "night"}),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(ids(&list), vec![id.clone()]);
    assert_eq!(list["sessions"][0]["owner"], "doctor");
    assert_eq!(app.audit("session_read").await.len(), before + 1);
    // The session itself, read only, audited too.
    let (status, history) = call(
        &app,
        As::App(&reviewer),
        "sessions/history",
        json!({"id": id}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(history["read_only"], true);
    assert_eq!(app.audit("session_read").await.len(), before + 2);

    // A doctor does not browse the archive.
    let (status, body) = call(&app, As::App(&doctor), "reviews/archived", json!({})).await;
    assert_eq!(status, 403, "{body}");
    is_error(&body, "not_a_reviewer");
}

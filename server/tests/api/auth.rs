//! Identity: the prototype's Step 7.1 token flow, refresh, revocation, throttling, the
//! browser's cookies and CSRF, and every bad-input case answered with a clear 4xx JSON
//! error.

use crate::helpers::*;
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use serde_json::{json, Value};

#[tokio::test]
async fn step_7_1_token_then_whoami_then_wrong_password() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(app.url("/api/token/"))
        .json(&json!({"username": "admin", "password": "admin123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let pair: Value = r.json().await.unwrap();
    let access = pair["access"].as_str().expect("access");
    assert!(pair["refresh"]
        .as_str()
        .is_some_and(|t| t.split('.').count() == 3));

    let me: Value = app
        .get(access, "/frontend/whoami/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "admin");
    assert_eq!(me["roles"], json!(["admin"]));

    let bad = app
        .client
        .post(app.url("/api/token/"))
        .json(&json!({"username": "admin", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["code"], "invalid_credentials");
    assert_eq!(
        body["error"],
        "No active account found with the given credentials"
    );
    let failed = app.audit("login_failed").await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].entry.actor, "admin");
    assert_eq!(failed[0].entry.reason.as_deref(), Some("bad_password"));
    assert_eq!(failed[0].entry.client_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(app.audit("login").await.len(), 1);
}

#[tokio::test]
async fn whoami_shows_the_care_team_and_rbac_the_tools_and_masks() {
    let app = spawn_app().await;
    let t = app.token("doctor").await;
    let me: Value = app.get(&t, "/frontend/whoami/").await.json().await.unwrap();
    assert_eq!(me["care_team"]["unit"], "4 West");
    assert_eq!(me["care_team"]["patients"].as_array().unwrap().len(), 25);
    let rbac: Value = app
        .get(&t, "/frontend/rbac/effective/")
        .await
        .json()
        .await
        .unwrap();
    let tools: Vec<&str> = rbac["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(tools.contains(&"get_clinical_notes") && !tools.contains(&"get_billing_summary"));
    assert_eq!(rbac["masking"]["ssn"], "hidden");
    assert_eq!(rbac["break_glass"], true);
    let b = app.token("billing").await;
    let rbac: Value = app
        .get(&b, "/frontend/rbac/effective/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rbac["masking"]["ssn"], "last4");
    assert_eq!(rbac["tools"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_refresh_token_buys_an_access_token_and_is_never_one_itself() {
    let app = spawn_app().await;
    let pair: Value = app
        .client
        .post(app.url("/api/token/"))
        .json(&json!({"username": "nurse", "password": "nurse123"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let refresh = pair["refresh"].as_str().unwrap();
    let as_access = app.get(refresh, "/frontend/whoami/").await;
    assert_eq!(as_access.status(), 401);
    let r = app
        .client
        .post(app.url("/api/token/refresh/"))
        .json(&json!({"refresh": refresh}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let fresh: Value = r.json().await.unwrap();
    let me = app
        .get(fresh["access"].as_str().unwrap(), "/frontend/whoami/")
        .await;
    assert_eq!(me.status(), 200);
    // An access token is not a refresh token either.
    let r = app
        .client
        .post(app.url("/api/token/refresh/"))
        .json(&json!({"refresh": pair["access"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn logout_revokes_the_refresh_token() {
    let app = spawn_app().await;
    let pair: Value = app
        .client
        .post(app.url("/api/token/"))
        .json(&json!({"username": "doctor", "password": "doctor123"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let body = json!({"refresh": pair["refresh"]});
    let r = app
        .client
        .post(app.url("/api/token/revoke/"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let again = app
        .client
        .post(app.url("/api/token/refresh/"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 401);
    let e: Value = again.json().await.unwrap();
    assert_eq!(e["code"], "token_not_valid");
    assert_eq!(app.audit("logout").await.len(), 1);
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let r = app
            .client
            .post(app.url("/api/token/"))
            .json(&json!({"username": "doctor", "password": "guess"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    // Even the right password is refused while the account is throttled.
    let r = app
        .client
        .post(app.url("/api/token/"))
        .json(&json!({"username": "doctor", "password": "doctor123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait));
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "login_throttled");
    // Other accounts are not affected.
    assert!(!app.token("nurse").await.is_empty());
    // Refused attempts are audited in aggregate once their window has passed.
    let throttled = || async {
        app.audit("login_failed")
            .await
            .into_iter()
            .filter(|r| r.entry.reason.as_deref() == Some("throttled"))
            .count()
    };
    assert_eq!(throttled().await, 0);
    let later = chrono::Utc::now() + chrono::Duration::minutes(16);
    ward_core::identity::throttle::flush(&app.ward.db, later)
        .await
        .unwrap();
    assert_eq!(throttled().await, 1);
}

#[tokio::test]
async fn failed_logins_are_throttled_per_ip_address() {
    let app = spawn_app().await;
    for i in 0..20 {
        let r = app
            .client
            .post(app.url("/api/token/"))
            .json(&json!({"username": format!("nobody{i}"), "password": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = app
        .client
        .post(app.url("/api/token/"))
        .json(&json!({"username": "nurse", "password": "nurse123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
}

fn cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

#[tokio::test]
async fn the_browser_sign_in_sets_strict_http_only_cookies_and_csrf_guards_writes() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(app.url("/frontend/login/"))
        .json(&json!({"username": "doctor", "password": "doctor123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let access = cookie_value(&r, "ward_access").unwrap();
    let refresh = cookie_value(&r, "ward_refresh").unwrap();
    let csrf_cookie = cookie_value(&r, "ward_csrf").unwrap();
    assert!(
        access.contains("HttpOnly") && access.contains("SameSite=Strict"),
        "{access}"
    );
    assert!(
        refresh.contains("HttpOnly") && refresh.contains("SameSite=Strict"),
        "{refresh}"
    );
    assert!(
        !csrf_cookie.contains("HttpOnly"),
        "the app must read the CSRF cookie"
    );
    let me: Value = r.json().await.unwrap();
    let csrf = me["csrf_token"].as_str().unwrap().to_string();
    let pair = |c: &str| c.split(';').next().unwrap().to_string();
    let cookies = format!(
        "{}; {}; {}",
        pair(&access),
        pair(&refresh),
        pair(&csrf_cookie)
    );

    // Reads work with the cookie alone.
    let r = app
        .client
        .get(app.url("/frontend/whoami/"))
        .header(COOKIE, &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Writes need the CSRF token.
    let no_csrf = app
        .client
        .post(app.url("/frontend/api/chat/session/"))
        .header(COOKIE, &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), 403);
    assert_eq!(
        no_csrf.json::<Value>().await.unwrap()["code"],
        "csrf_failed"
    );
    let wrong = app
        .client
        .post(app.url("/frontend/api/chat/session/"))
        .header(COOKIE, &cookies)
        .header("X-CSRF-Token", "forged")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    let ok = app
        .client
        .post(app.url("/frontend/api/chat/session/"))
        .header(COOKIE, &cookies)
        .header("X-CSRF-Token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    // An expired access cookie is renewed from the refresh cookie.
    let stale = format!(
        "ward_access=expired; {}; {}",
        pair(&refresh),
        pair(&csrf_cookie)
    );
    let r = app
        .client
        .get(app.url("/frontend/whoami/"))
        .header(COOKIE, &stale)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        cookie_value(&r, "ward_access").is_some(),
        "a fresh access cookie is set"
    );
    // Sign-out revokes the refresh token and clears the cookies.
    let out = app
        .client
        .post(app.url("/frontend/logout/"))
        .header(COOKIE, &cookies)
        .header("X-CSRF-Token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert!(cookie_value(&out, "ward_access")
        .unwrap()
        .contains("Max-Age=0"));
    let r = app
        .client
        .get(app.url("/frontend/whoami/"))
        .header(COOKIE, &stale)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "the revoked refresh cookie renews nothing");
}

/// Sends a raw request and returns the status and JSON body.
async fn raw(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut req = app.client.request(method, app.url(path)).body(body);
    if let Some(ct) = content_type {
        req = req.header(CONTENT_TYPE, ct);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(
        ct.starts_with("application/json"),
        "{path}: {status} came as {ct:?}"
    );
    (status, r.json().await.unwrap())
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_json_error_and_never_a_500() {
    let app = spawn_app().await;
    let json_ct = Some("application/json");
    use reqwest::Method as M;
    /// Method, path, content type, body, expected status and code.
    type Case<'a> = (M, &'a str, Option<&'a str>, Vec<u8>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            M::POST,
            "/api/token/",
            json_ct,
            b"{\"username\": \"a\"".to_vec(),
            400,
            "malformed_json",
        ),
        (
            M::POST,
            "/api/token/",
            json_ct,
            b"{\"username\": \"admin\"}".to_vec(),
            400,
            "invalid_request",
        ),
        (
            M::POST,
            "/api/token/",
            json_ct,
            b"{\"username\": 5, \"password\": \"x\"}".to_vec(),
            400,
            "invalid_request",
        ),
        (
            M::POST,
            "/api/token/",
            json_ct,
            b"[]".to_vec(),
            400,
            "invalid_request",
        ),
        (
            M::POST,
            "/api/token/",
            Some("text/plain"),
            b"{}".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            M::POST,
            "/api/token/",
            None,
            b"{}".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            M::POST,
            "/api/token/",
            json_ct,
            vec![b' '; 2 * 1024 * 1024],
            413,
            "payload_too_large",
        ),
        (
            M::GET,
            "/api/nothing-here/",
            None,
            vec![],
            404,
            "no_such_endpoint",
        ),
        (
            M::GET,
            "/frontend/api/unknown/",
            None,
            vec![],
            404,
            "no_such_endpoint",
        ),
        (
            M::DELETE,
            "/api/token/",
            None,
            vec![],
            405,
            "method_not_allowed",
        ),
        (
            M::GET,
            "/frontend/whoami/",
            None,
            vec![],
            401,
            "not_authenticated",
        ),
    ];
    for (method, path, ct, body, status, code) in cases {
        let (got, err) = raw(&app, method.clone(), path, ct, body).await;
        assert_eq!(
            (got, err["code"].as_str().unwrap()),
            (status, code),
            "{method} {path}: {err}"
        );
        assert!(err["error"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // Authenticated endpoints too.
    let t = app.token("doctor").await;
    let r = app
        .client
        .post(app.url("/frontend/mcp-proxy/"))
        .bearer_auth(&t)
        .header(CONTENT_TYPE, "application/json")
        .body("{\"tool\": 3}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = app
        .client
        .get(app.url("/frontend/whoami/"))
        .header("Authorization", "Bearer not.a.jwt")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "token_not_valid");
    let r = app
        .client
        .get(app.url("/frontend/whoami/"))
        .header("Authorization", "Basic YWRtaW46YWRtaW4xMjM=")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = app
        .client
        .patch(app.url("/frontend/api/chat/session/nope/"))
        .bearer_auth(&t)
        .json(&json!({"title": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = app
        .client
        .get(app.url("/frontend/api/audit/events/?from=yesterday"))
        .bearer_auth(app.token("auditor").await)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Nothing was lost: the server still answers and the data is intact.
    assert_eq!(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(ward_core::audit::verify(&app.ward.db).await.unwrap().ok);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_security_headers() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "trace-me-123");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.headers()["x-request-id"].len(), 32);
    let page = app
        .client
        .get(app.url("/frontend/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'nonce-") && csp.contains("'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = page.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = spawn(Spawn {
        env: vec![("WARD_METRICS_TOKEN", "metrics-token-for-tests".into())],
        ..Default::default()
    })
    .await;
    let h: Value = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["status"], "ok");
    let r: Value = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["database"], "ok");
    let t = app.token("doctor").await;
    app.post(
        &t,
        "/frontend/mcp-proxy/",
        json!({"tool": "get_vital_signs", "arguments": {"patient_id": "PAT-002"}}),
    )
    .await;
    let m = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("metrics-token-for-tests")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("ward_tool_calls_total{outcome=\"ok\"} 1"), "{m}");
    assert!(m.contains("ward_http_responses_total{class=\"2xx\"}"));
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.ward.db.clone().close().await.unwrap();
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "not_ready");
}

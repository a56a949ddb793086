//! Issue 26's findings, each reproduced against a spawned Ward: the sign-in race, the
//! self-renewing access token, slow headers and the connection cap, forged forwarding
//! headers, open metrics, refresh-token replay, cookie prefixes and session-bound CSRF,
//! and demo mode's flag.

use crate::helpers::*;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use ward_core::identity::throttle;

async fn sign_in(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/token/"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
}

/// Signs in through the browser's door: the `Cookie` header, the CSRF token and the raw
/// `Set-Cookie` values.
async fn browser(app: &TestApp, username: &str) -> (String, String, Vec<String>) {
    let r = app
        .client
        .post(app.url("/frontend/login/"))
        .json(&json!({"username": username, "password": format!("{username}123")}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let set: Vec<String> = r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|c| c.to_str().unwrap().to_string())
        .collect();
    let cookies = set
        .iter()
        .map(|c| c.split(';').next().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("; ");
    let me: Value = r.json().await.unwrap();
    (cookies, me["csrf_token"].as_str().unwrap().to_string(), set)
}

#[tokio::test]
async fn forty_concurrent_wrong_passwords_check_at_most_the_limit_and_a_colleague_still_signs_in() {
    let app = spawn_app().await;
    let attempts = (0..40).map(|_| sign_in(&app, "doctor", "wrong-guess"));
    let answers = futures::future::join_all(attempts).await;
    let (mut checked, mut refused, mut busy) = (0, 0, 0);
    for r in answers {
        match r.status().as_u16() {
            401 => checked += 1,
            429 => {
                assert!(r.headers().contains_key("retry-after"));
                let e: Value = r.json().await.unwrap();
                match e["code"].as_str().unwrap() {
                    "login_throttled" => refused += 1,
                    // The password pool stayed full longer than a sign-in waits (a slow
                    // machine): refused before any check too.
                    "sign_in_busy" => busy += 1,
                    other => panic!("unexpected {other}"),
                }
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        checked <= throttle::PAIR_LIMIT,
        "{checked} passwords checked"
    );
    assert_eq!(checked + refused + busy, 40);
    assert!(
        app.ward.metrics.password_checks() <= throttle::PAIR_LIMIT as u64,
        "argon2 ran {} times",
        app.ward.metrics.password_checks()
    );
    // The account is locked from this address, even for its right password …
    assert_eq!(sign_in(&app, "doctor", "doctor123").await.status(), 429);
    // … but a colleague behind the same address signs in at once.
    assert_eq!(sign_in(&app, "nurse", "nurse123").await.status(), 200);

    // Only the checked attempts have a record each; the refused ones are one aggregate,
    // written when their window has passed.
    let failed = app.audit("login_failed").await;
    assert_eq!(failed.len(), checked as usize, "{failed:#?}");
    let later = chrono::Utc::now() + chrono::Duration::minutes(throttle::WINDOW_MINUTES + 1);
    assert_eq!(throttle::flush(&app.ward.db, later).await.unwrap(), 1);
    assert_eq!(throttle::flush(&app.ward.db, later).await.unwrap(), 0);
    let aggregate: Vec<_> = app
        .audit("login_failed")
        .await
        .into_iter()
        .filter(|r| r.entry.reason.as_deref() == Some("throttled"))
        .collect();
    assert_eq!(aggregate.len(), 1);
    let counted: Value =
        serde_json::from_str(aggregate[0].entry.arguments.as_deref().unwrap()).unwrap();
    // The 35 or so refused in the burst, and the right password refused after it.
    assert_eq!(counted["attempts"], refused + 1);
    assert_eq!(aggregate[0].entry.actor, "doctor");
    assert_eq!(aggregate[0].entry.client_ip.as_deref(), Some("127.0.0.1"));
    assert!(ward_core::audit::verify(&app.ward.db).await.unwrap().ok);
}

#[tokio::test]
async fn an_address_spraying_many_accounts_is_slowed_not_locked() {
    let app = spawn_app().await;
    for i in 0..throttle::ADDRESS_FREE {
        let r = sign_in(&app, &format!("nobody{i}"), "x").await;
        assert_eq!(r.status(), 401);
    }
    let r = sign_in(&app, "nurse", "nurse123").await;
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait <= throttle::ADDRESS_SPACING_SECS as u64, "{wait}");
    // The colleague waits what Retry-After says, and is in.
    tokio::time::sleep(Duration::from_secs(wait)).await;
    assert_eq!(sign_in(&app, "nurse", "nurse123").await.status(), 200);
}

#[tokio::test]
async fn mint_token_is_only_for_the_cookie_session_never_a_bearer_token() {
    let app = spawn_app().await;
    let bearer = app.token("auditor").await;
    let r = app.post(&bearer, "/frontend/mint-token/", json!({})).await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "cookie_session_required"
    );
    let (cookies, csrf, _) = browser(&app, "auditor").await;
    let r = app
        .client
        .post(app.url("/frontend/mint-token/"))
        .header(COOKIE, &cookies)
        .header("X-CSRF-Token", &csrf)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let minted: Value = r.json().await.unwrap();
    let me: Value = app
        .get(minted["access"].as_str().unwrap(), "/frontend/whoami/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "auditor");
    // The minted token cannot mint another.
    let again = app
        .post(
            minted["access"].as_str().unwrap(),
            "/frontend/mint-token/",
            json!({}),
        )
        .await;
    assert_eq!(again.status(), 403);
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    let app = spawn(Spawn {
        env: vec![("WARD_HEADER_TIMEOUT", "0.5".into())],
        ..Default::default()
    })
    .await;
    let mut tcp = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: ward\r\nX-Slow: ")
        .await
        .unwrap();
    let mut buf = [0u8; 512];
    // Closed by the server (end of file, or a reset), long before this limit.
    let read = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match tcp.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "the half-sent request's connection is still open"
    );
}

/// Sends `GET /healthz` on a new connection and returns what came back.
async fn raw_get(app: &TestApp) -> String {
    let mut tcp = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: ward\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut out = vec![];
    let _ = tokio::time::timeout(Duration::from_secs(10), tcp.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn connections_over_the_cap_get_503_and_a_freed_place_is_served() {
    let app = spawn(Spawn {
        env: vec![("WARD_MAX_CONNECTIONS", "2".into())],
        ..Default::default()
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let first = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let _second = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // Let the server accept both.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = raw_get(&app).await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(
        refused.contains("\"code\":\"too_many_connections\""),
        "{refused}"
    );
    drop(first);
    let mut served = String::new();
    for _ in 0..50 {
        served = raw_get(&app).await;
        if served.starts_with("HTTP/1.1 200") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served.starts_with("HTTP/1.1 200"), "{served}");
}

#[tokio::test]
async fn a_user_cannot_hold_more_chat_streams_than_the_cap() {
    use ward_core::testing::mock_llm::{MockLlm, Plan};
    let mock = MockLlm::scripted(vec![
        Plan::Slow(vec!["tick ".to_string(); 300], 50),
        Plan::Slow(vec!["tick ".to_string(); 300], 50),
    ])
    .await;
    let mut env = mock.env();
    env.push(("WARD_MAX_STREAMS_PER_USER", "1".into()));
    let app = spawn(Spawn {
        env,
        ..Default::default()
    })
    .await;
    let t = app.token("doctor").await;
    let (a, b) = (app.session(&t).await, app.session(&t).await);
    let open = app
        .post(
            &t,
            "/frontend/api/chat/message/",
            json!({"session_id": a, "message": "hello"}),
        )
        .await;
    assert_eq!(open.status(), 200);
    let r = app
        .post(
            &t,
            "/frontend/api/chat/message/",
            json!({"session_id": b, "message": "hello"}),
        )
        .await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "too_many_streams");
    // Another user is not affected.
    let n = app.token("nurse").await;
    let s = app.session(&n).await;
    let other = app
        .post(
            &n,
            "/frontend/api/chat/message/",
            json!({"session_id": s, "message": "hello"}),
        )
        .await;
    assert_ne!(other.status(), 429);
}

#[tokio::test]
async fn a_forged_forwarding_header_never_reaches_the_audit_trail() {
    // Behind a trusted proxy (here: loopback), the client is the rightmost hop that is not
    // a proxy; garbage is never recorded.
    let app = spawn(Spawn {
        env: vec![("WARD_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8".into())],
        ..Default::default()
    })
    .await;
    for (forwarded, recorded) in [
        ("not-an-ip, 203.0.113.9", "203.0.113.9"),
        ("6.6.6.6, 198.51.100.7, 10.1.2.3", "198.51.100.7"),
        ("not-an-ip", "127.0.0.1"),
    ] {
        let r = app
            .client
            .post(app.url("/api/token/"))
            .header("x-forwarded-for", forwarded)
            .json(&json!({"username": format!("probe-{recorded}"), "password": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let failed = app.audit("login_failed").await;
        assert_eq!(
            failed[0].entry.client_ip.as_deref(),
            Some(recorded),
            "{forwarded}"
        );
    }
    // Without trusted proxies the header is ignored; `WARD_TRUST_PROXY=true` (the old
    // switch) trusts loopback only, and takes the rightmost hop, not the leftmost.
    for (env, recorded) in [
        (vec![], "127.0.0.1"),
        (
            vec![("WARD_TRUST_PROXY", "true".to_string())],
            "203.0.113.9",
        ),
    ] {
        let app = spawn(Spawn {
            env,
            ..Default::default()
        })
        .await;
        app.client
            .post(app.url("/api/token/"))
            .header("x-forwarded-for", "not-an-ip, 203.0.113.9")
            .json(&json!({"username": "x", "password": "x"}))
            .send()
            .await
            .unwrap();
        let failed = app.audit("login_failed").await;
        assert_eq!(failed[0].entry.client_ip.as_deref(), Some(recorded));
    }
}

#[tokio::test]
async fn metrics_need_their_token_or_their_own_address() {
    // No token: not served on Ward's address.
    let app = spawn_app().await;
    let r = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "metrics_disabled");

    // A token: required.
    let app = spawn(Spawn {
        env: vec![("WARD_METRICS_TOKEN", "scrape-me-0123456789".into())],
        ..Default::default()
    })
    .await;
    for auth in [None, Some("Bearer wrong"), Some("Basic c2NyYXBlOm1l")] {
        let mut req = app.client.get(app.url("/metrics"));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 401, "{auth:?}");
        assert_eq!(
            r.json::<Value>().await.unwrap()["code"],
            "metrics_unauthorized"
        );
    }
    let r = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("scrape-me-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("ward_password_checks_total"));

    // Its own address: open there, and still not on Ward's.
    let app = spawn(Spawn {
        env: vec![("WARD_METRICS_ADDR", "127.0.0.1:0".into())],
        ..Default::default()
    })
    .await;
    let metrics = app.metrics_base.clone().expect("a metrics listener");
    let r = app
        .client
        .get(format!("{metrics}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .get(format!("{metrics}/frontend/whoami/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "only /metrics lives there");
    assert_eq!(
        app.client
            .get(app.url("/metrics"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/token/refresh/"))
        .json(&json!({"refresh": token}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_replayed_one_revokes_its_family() {
    let app = spawn_app().await;
    let pair: Value = sign_in(&app, "doctor", "doctor123")
        .await
        .json()
        .await
        .unwrap();
    let first = pair["refresh"].as_str().unwrap().to_string();
    let r = refresh(&app, &first).await;
    assert_eq!(r.status(), 200);
    let rotated: Value = r.json().await.unwrap();
    let second = rotated["refresh"]
        .as_str()
        .expect("a new refresh token")
        .to_string();
    assert_ne!(second, first);
    // Within seconds of its rotation (concurrent requests of one browser) the old token
    // still buys an access token, without a new refresh token.
    let r = refresh(&app, &first).await;
    assert_eq!(r.status(), 200);
    assert!(r.json::<Value>().await.unwrap().get("refresh").is_none());
    let third: Value = refresh(&app, &second).await.json().await.unwrap();
    let third = third["refresh"].as_str().unwrap().to_string();
    // Later, the replayed first token is refused and takes the whole family with it.
    use sea_orm::ConnectionTrait;
    let db = &app.ward.db;
    db.execute_raw(ward_core::db::statement(
        db.get_database_backend(),
        "UPDATE refresh_tokens SET replaced_at = $1 WHERE replaced_at IS NOT NULL",
        [(chrono::Utc::now() - chrono::Duration::minutes(5)).into()],
    ))
    .await
    .unwrap();
    let r = refresh(&app, &first).await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "token_reused");
    let r = refresh(&app, &third).await;
    assert_eq!(
        r.status(),
        401,
        "the newest token of the family is revoked too"
    );
    let reuse: Vec<_> = app
        .audit("token_issued")
        .await
        .into_iter()
        .filter(|r| r.entry.reason.as_deref() == Some("refresh_reuse"))
        .collect();
    assert_eq!(reuse.len(), 1);
    // Another sign-in of the same user is a family of its own, unaffected.
    let other: Value = sign_in(&app, "doctor", "doctor123")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        refresh(&app, other["refresh"].as_str().unwrap())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn the_csrf_token_is_bound_to_its_session() {
    let app = spawn_app().await;
    let (cookies_a, csrf_a, _) = browser(&app, "doctor").await;
    let (cookies_b, csrf_b, _) = browser(&app, "doctor").await;
    assert_ne!(csrf_a, csrf_b);
    let create = |cookies: String, csrf: String| {
        app.client
            .post(app.url("/frontend/api/chat/session/"))
            .header(COOKIE, cookies)
            .header("X-CSRF-Token", csrf)
            .send()
    };
    assert_eq!(
        create(cookies_a.clone(), csrf_a.clone())
            .await
            .unwrap()
            .status(),
        200,
        "a new session is 200, as in the prototype"
    );
    // Session B's cookies with A's token — even with A's token in the CSRF cookie too.
    let b_with_a_cookie = cookies_b
        .split("; ")
        .map(|c| {
            if c.starts_with("ward_csrf=") {
                format!("ward_csrf={csrf_a}")
            } else {
                c.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let r = create(b_with_a_cookie, csrf_a).await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "csrf_failed");
    assert_eq!(create(cookies_b, csrf_b).await.unwrap().status(), 200);
}

#[tokio::test]
async fn secure_cookies_carry_the_host_prefix_and_plain_names_are_ignored() {
    let app = spawn(Spawn {
        env: vec![("WARD_SECURE_COOKIES", "true".into())],
        ..Default::default()
    })
    .await;
    let (cookies, csrf, set) = browser(&app, "nurse").await;
    for name in [
        "__Host-ward_access=",
        "__Host-ward_refresh=",
        "__Host-ward_csrf=",
    ] {
        let c = set
            .iter()
            .find(|c| c.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {set:?}"));
        assert!(c.contains("; Path=/;") && c.contains("; Secure"), "{c}");
        assert!(!c.contains("Domain="), "{c}");
    }
    let r = app
        .client
        .get(app.url("/frontend/whoami/"))
        .header(COOKIE, &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let me: Value = r.json().await.unwrap();
    assert_eq!(me["csrf_token"], csrf.as_str());
    // The same token under the plain name (which a subdomain could plant) is not read.
    let plain = cookies.replace("__Host-", "");
    let r = app
        .client
        .get(app.url("/frontend/whoami/"))
        .header(COOKIE, plain)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn whoami_says_demo_mode_so_the_app_can_show_its_banner() {
    let app = spawn_app().await;
    let t = app.token("doctor").await;
    let me: Value = app.get(&t, "/frontend/whoami/").await.json().await.unwrap();
    assert_eq!(me["demo"], true);
    let (cookies, _, _) = browser(&app, "doctor").await;
    let page = app
        .client
        .get(app.url("/frontend/"))
        .header(COOKIE, cookies)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"demo-banner\""), "{page}");
    let production = spawn(Spawn {
        env: vec![("WARD_ENV", "production".into())],
        ..Default::default()
    })
    .await;
    let t = production.token("doctor").await;
    let me: Value = production
        .get(&t, "/frontend/whoami/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["demo"], false);
}

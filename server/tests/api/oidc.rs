//! Single sign-on against an OpenID Provider served by the test: discovery, a JWKS it can
//! rotate, an authorization endpoint that answers at once, and a token endpoint that
//! checks PKCE and signs ID tokens (ES256) as each test tampers with them. The browser
//! flow against a real provider (`oidc-provider`) is `end2end/tests/sso.spec.ts`.

use crate::helpers::{spawn, Spawn, TestApp};
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::{json, Value};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const KEY_A: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgJ3tmhAN5sR/2uLvj
x2SU+ehw+uk4Tr6GO4YUrU8SKUKhRANCAARlBkLcoh1rggg9/K1dVP1XulMuErd2
xemlhF/EBtNn8Z9De+auVzIikoAJPqBq/zAb0fRq7JyzAIdI8dKBrcJZ
-----END PRIVATE KEY-----
";
const KEY_A_XY: (&str, &str) = (
    "ZQZC3KIda4IIPfytXVT9V7pTLhK3dsXppYRfxAbTZ_E",
    "n0N75q5XMiKSgAk-oGr_MBvR9GrsnLMAh0jx0oGtwlk",
);
const KEY_B: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgUj2rix42Tpy+fjcW
81eN3gdLKTIOPjdb2cIBihn55dChRANCAATIA/2DGbsHKbOYaCabNpqv9tDPbmeS
k9XaLaMftIJ5SrY0GCzOSQGKxF1azepqH4xLhF16DQePWYxnthSYG38X
-----END PRIVATE KEY-----
";
const KEY_B_XY: (&str, &str) = (
    "yAP9gxm7BymzmGgmmzaar_bQz25nkpPV2i2jH7SCeUo",
    "tjQYLM5JAYrEXVrN6mofjEuEXXoNB49ZjGe2FJgbfxc",
);
const CLIENT_ID: &str = "ward-test";
const CLIENT_SECRET: &str = "test-client-secret";

/// What the provider puts in (or does to) the next ID tokens.
#[derive(Clone)]
struct Scenario {
    subject: String,
    username: String,
    name: String,
    groups: Vec<String>,
    unit: Option<String>,
    /// Keys in the JWKS (`a`, `b`).
    published: Vec<&'static str>,
    /// The key that signs, and the `kid` named in the header.
    sign_with: &'static str,
    kid: &'static str,
    issuer: Option<String>,
    audience: Option<String>,
    nonce: Option<String>,
    expires_in: i64,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            subject: "idp-user-1".into(),
            username: "dr.sso".into(),
            name: "Dr. Single Sign-On".into(),
            groups: vec!["staff".into(), "ward-doctors".into()],
            unit: Some("4 West".into()),
            published: vec!["a"],
            sign_with: "a",
            kid: "a",
            issuer: None,
            audience: None,
            nonce: None,
            expires_in: 300,
        }
    }
}

#[derive(Default)]
struct IdpState {
    base: String,
    scenario: Scenario,
    /// code → (nonce, code_challenge)
    codes: HashMap<String, (String, String)>,
    jwks_reads: usize,
}

type Idp = Arc<Mutex<IdpState>>;

fn jwk(kid: &str) -> Value {
    let (x, y) = if kid == "a" { KEY_A_XY } else { KEY_B_XY };
    json!({"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": kid, "use": "sig", "alg": "ES256"})
}

async fn discovery(State(idp): State<Idp>) -> Json<Value> {
    let base = idp.lock().unwrap().base.clone();
    Json(json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "jwks_uri": format!("{base}/jwks"),
        "end_session_endpoint": format!("{base}/logout"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks(State(idp): State<Idp>) -> Json<Value> {
    let mut s = idp.lock().unwrap();
    s.jwks_reads += 1;
    Json(json!({"keys": s.scenario.published.iter().map(|k| jwk(k)).collect::<Vec<_>>()}))
}

/// Authorizes at once (the person "signed in"), remembering the nonce and the PKCE
/// challenge for the code.
async fn authorize(State(idp): State<Idp>, Query(q): Query<HashMap<String, String>>) -> Response {
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["code_challenge_method"], "S256", "PKCE is used");
    assert!(q["scope"].split(' ').any(|s| s == "openid"));
    let code = uuid::Uuid::new_v4().simple().to_string();
    idp.lock().unwrap().codes.insert(
        code.clone(),
        (q["nonce"].clone(), q["code_challenge"].clone()),
    );
    Redirect::to(&format!(
        "{}?code={code}&state={}",
        q["redirect_uri"], q["state"]
    ))
    .into_response()
}

async fn token(State(idp): State<Idp>, Form(f): Form<HashMap<String, String>>) -> Response {
    let mut s = idp.lock().unwrap();
    let Some((nonce, challenge)) = s.codes.remove(&f["code"]) else {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    };
    let verifier = f.get("code_verifier").expect("a PKCE verifier");
    let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    if computed != challenge {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    }
    let sc = s.scenario.clone();
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "iss": sc.issuer.clone().unwrap_or_else(|| s.base.clone()),
        "aud": sc.audience.clone().unwrap_or_else(|| CLIENT_ID.into()),
        "sub": sc.subject,
        "nonce": sc.nonce.clone().unwrap_or(nonce),
        "iat": now,
        "exp": now + sc.expires_in,
        "preferred_username": sc.username,
        "name": sc.name,
        "groups": sc.groups,
    });
    if let Some(unit) = sc.unit {
        claims["ward_unit"] = json!(unit);
    }
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    header.kid = Some(sc.kid.into());
    let key = jsonwebtoken::EncodingKey::from_ec_pem(
        if sc.sign_with == "a" { KEY_A } else { KEY_B }.as_bytes(),
    )
    .unwrap();
    let id_token = jsonwebtoken::encode(&header, &claims, &key).unwrap();
    Json(json!({
        "access_token": "opaque-access-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
    .into_response()
}

/// Starts the provider on a free port.
async fn start_idp() -> (Idp, String) {
    let idp: Idp = Arc::default();
    let router = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/authorize", get(authorize))
        .route("/token", post(token))
        .with_state(idp.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    idp.lock().unwrap().base = base.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (idp, base)
}

async fn spawn_with_sso(issuer: &str, extra: &[(&'static str, &str)]) -> TestApp {
    let mut env = vec![
        ("OIDC_ISSUER_URL", issuer.to_string()),
        ("OIDC_CLIENT_ID", CLIENT_ID.to_string()),
        ("OIDC_CLIENT_SECRET", CLIENT_SECRET.to_string()),
        ("OIDC_UNIT_CLAIM", "ward_unit".to_string()),
        ("WARD_PUBLIC_URL", "http://ward.test".to_string()),
    ];
    env.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    spawn(Spawn {
        env,
        ..Default::default()
    })
    .await
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn set_cookies(r: &reqwest::Response) -> HashMap<String, String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// What the browser ends with after the provider's redirect back to Ward.
struct Callback {
    status: u16,
    location: Option<String>,
    cookies: HashMap<String, String>,
    /// The callback's path and query (to replay it).
    url: String,
    state_cookie: String,
}

/// Ward's sign-in → the provider → Ward's callback, as a browser would (with the state
/// cookie unless `without_cookie`).
async fn sign_in_via_idp(app: &TestApp, without_cookie: bool) -> Callback {
    sign_in_via(app, without_cookie, "").await
}

/// As [`sign_in_via_idp`], with `extra` added to the callback's query.
async fn sign_in_via_idp_with(app: &TestApp, extra: &str) -> Callback {
    sign_in_via(app, false, extra).await
}

async fn sign_in_via(app: &TestApp, without_cookie: bool, extra: &str) -> Callback {
    let http = no_redirects();
    let start = http
        .get(app.url("/frontend/oidc/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 303, "sign-in goes to the provider");
    let state_cookie = set_cookies(&start)["ward_oidc_state"].clone();
    let to_idp = start.headers()["location"].to_str().unwrap().to_string();
    let back = http.get(&to_idp).send().await.unwrap();
    assert_eq!(back.status(), 303);
    let back = back.headers()["location"].to_str().unwrap().to_string();
    let path = back
        .strip_prefix("http://ward.test")
        .expect("the provider returns to the configured redirect URL")
        .to_string();
    assert!(path.starts_with("/frontend/oidc/callback?"), "{path}");
    let path = format!("{path}{extra}");
    callback(
        app,
        &path,
        (!without_cookie).then_some(state_cookie.as_str()),
        &state_cookie,
    )
    .await
}

async fn callback(app: &TestApp, path: &str, cookie: Option<&str>, state_cookie: &str) -> Callback {
    let mut req = no_redirects().get(app.url(path));
    if let Some(c) = cookie {
        req = req.header("cookie", format!("ward_oidc_state={c}"));
    }
    let r = req.send().await.unwrap();
    Callback {
        status: r.status().as_u16(),
        location: r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string()),
        cookies: set_cookies(&r),
        url: path.to_string(),
        state_cookie: state_cookie.to_string(),
    }
}

async fn whoami(app: &TestApp, access: &str) -> Value {
    let r = app.get(access, "/frontend/whoami/").await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn refused_with(cb: &Callback, code: &str) {
    assert_eq!(cb.status, 303, "a refusal goes back to the sign-in page");
    assert_eq!(
        cb.location.as_deref(),
        Some(format!("/frontend/login?sso_error={code}").as_str())
    );
    assert!(
        !cb.cookies.contains_key("ward_access") && !cb.cookies.contains_key("ward_refresh"),
        "no session on a refusal"
    );
}

#[tokio::test]
async fn a_user_whose_groups_map_to_a_role_is_created_signed_in_and_updated_at_the_next_sign_in() {
    let (idp, issuer) = start_idp().await;
    let app = spawn_with_sso(&issuer, &[]).await;
    let cb = sign_in_via_idp(&app, false).await;
    assert_eq!(cb.status, 200, "signed in: a page that moves on to the app");
    let access = cb.cookies["ward_access"].clone();
    assert!(cb.cookies.contains_key("ward_refresh") && cb.cookies.contains_key("ward_csrf"));
    assert_eq!(
        cb.cookies["ward_oidc_state"], "",
        "the state cookie is cleared"
    );
    let me = whoami(&app, &access).await;
    assert_eq!(me["username"], "dr.sso");
    assert_eq!(me["display_name"], "Dr. Single Sign-On");
    assert_eq!(me["roles"], json!(["doctor"]));
    assert_eq!(me["care_team"]["unit"], "4 West");
    assert!(
        me["care_team"]["patients"].as_array().unwrap().len() > 5,
        "the unit's patients are the care team"
    );
    let id = me["id"].as_i64().unwrap();
    let logins = app.audit("login").await;
    assert!(logins
        .iter()
        .any(|r| r.entry.actor == "dr.sso" && r.entry.reason.as_deref() == Some("sso")));

    // The provider now says nurse, on another unit, with a new name: Ward follows.
    {
        let mut s = idp.lock().unwrap();
        s.scenario.groups = vec!["ward-nurses".into()];
        s.scenario.unit = Some("5 East".into());
        s.scenario.name = "Nurse Single Sign-On".into();
    }
    let cb = sign_in_via_idp(&app, false).await;
    assert_eq!(cb.status, 200);
    let me = whoami(&app, &cb.cookies["ward_access"]).await;
    assert_eq!(me["id"].as_i64().unwrap(), id, "the same user");
    assert_eq!(me["roles"], json!(["nurse"]));
    assert_eq!(me["care_team"]["unit"], "5 East");
    assert_eq!(me["display_name"], "Nurse Single Sign-On");
    // A user created by single sign-on has no password that signs in.
    let r = app
        .client
        .post(app.url("/api/token/"))
        .json(&json!({"username": "dr.sso", "password": "!sso"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn a_user_whose_groups_map_to_no_role_is_refused_with_an_explanation_and_audited() {
    let (idp, issuer) = start_idp().await;
    idp.lock().unwrap().scenario.groups = vec!["visitors".into(), "Ward-Doctors".into()];
    let app = spawn_with_sso(&issuer, &[]).await;
    let cb = sign_in_via_idp(&app, false).await;
    refused_with(&cb, "sso_no_role");
    assert!(
        ward_core::identity::users::find_by_username(&app.ward.db, "dr.sso")
            .await
            .unwrap()
            .is_none(),
        "no user is created"
    );
    let failed = app.audit("login_failed").await;
    assert!(failed
        .iter()
        .any(|r| r.entry.actor == "dr.sso" && r.entry.reason.as_deref() == Some("sso_no_role")));
    // The sign-in page explains it.
    let page = app
        .client
        .get(app.url("/frontend/login?sso_error=sso_no_role"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("has no role in Ward"), "{page}");
}

#[tokio::test]
async fn a_user_who_loses_every_mapped_group_loses_their_roles_and_is_refused() {
    let (idp, issuer) = start_idp().await;
    let app = spawn_with_sso(&issuer, &[]).await;
    let first = sign_in_via_idp(&app, false).await;
    assert_eq!(first.status, 200);
    idp.lock().unwrap().scenario.groups = vec!["staff".into()];
    refused_with(&sign_in_via_idp(&app, false).await, "sso_no_role");
    let me = whoami(&app, &first.cookies["ward_access"]).await;
    assert_eq!(me["roles"], json!([]), "the earlier session keeps no role");
}

#[tokio::test]
async fn id_tokens_with_a_wrong_issuer_audience_nonce_expiry_or_signature_are_refused() {
    let (idp, issuer) = start_idp().await;
    let app = spawn_with_sso(&issuer, &[]).await;
    type Tamper = fn(&mut Scenario);
    let tampers: [(&str, Tamper); 6] = [
        ("issuer", |s| {
            s.issuer = Some("http://127.0.0.1:1/evil".into())
        }),
        ("audience", |s| s.audience = Some("another-client".into())),
        ("nonce", |s| s.nonce = Some("replayed-nonce".into())),
        ("expiry", |s| s.expires_in = -600),
        // Signed with key b, claiming to be key a: the signature does not verify.
        ("signature", |s| s.sign_with = "b"),
        // Signed with a key the provider never published.
        ("unknown key", |s| {
            s.sign_with = "b";
            s.kid = "b";
        }),
    ];
    for (what, tamper) in tampers {
        {
            let mut s = idp.lock().unwrap();
            s.scenario = Scenario::default();
            tamper(&mut s.scenario);
        }
        let cb = sign_in_via_idp(&app, false).await;
        assert_eq!(cb.status, 303, "{what}");
        assert_eq!(
            cb.location.as_deref(),
            Some("/frontend/login?sso_error=sso_token_invalid"),
            "an ID token with a wrong {what} is refused"
        );
        assert!(!cb.cookies.contains_key("ward_access"), "{what}");
    }
    assert!(
        ward_core::identity::users::find_by_username(&app.ward.db, "dr.sso")
            .await
            .unwrap()
            .is_none(),
        "no tampered token made a user"
    );
    // The same provider, untampered, signs in.
    idp.lock().unwrap().scenario = Scenario::default();
    assert_eq!(sign_in_via_idp(&app, false).await.status, 200);
}

#[tokio::test]
async fn a_rotated_signing_key_is_fetched_again_and_accepted() {
    let (idp, issuer) = start_idp().await;
    let app = spawn_with_sso(&issuer, &[]).await;
    assert_eq!(sign_in_via_idp(&app, false).await.status, 200);
    let reads = idp.lock().unwrap().jwks_reads;
    // The provider rotates: key a is retired, key b signs.
    {
        let mut s = idp.lock().unwrap();
        s.scenario.published = vec!["b"];
        s.scenario.sign_with = "b";
        s.scenario.kid = "b";
    }
    let cb = sign_in_via_idp(&app, false).await;
    assert_eq!(cb.status, 200, "signed in with the new key");
    assert_eq!(
        idp.lock().unwrap().jwks_reads,
        reads + 1,
        "the keys were read again once"
    );
}

#[tokio::test]
async fn the_state_must_come_back_to_the_browser_that_started_and_only_once() {
    let (_idp, issuer) = start_idp().await;
    let app = spawn_with_sso(&issuer, &[]).await;
    // A callback in a browser that did not start the sign-in (no state cookie).
    refused_with(&sign_in_via_idp(&app, true).await, "sso_state_invalid");
    // A replayed callback.
    let ok = sign_in_via_idp(&app, false).await;
    assert_eq!(ok.status, 200);
    let again = callback(&app, &ok.url, Some(&ok.state_cookie), &ok.state_cookie).await;
    refused_with(&again, "sso_state_invalid");
    // The provider's own refusal.
    let denied = callback(
        &app,
        "/frontend/oidc/callback?error=access_denied&state=x",
        None,
        "",
    )
    .await;
    refused_with(&denied, "sso_cancelled");
    // An answer that names another issuer (RFC 9207: a mix-up).
    let mixed = sign_in_via_idp_with(&app, "&iss=http%3A%2F%2F127.0.0.1%3A1%2Fevil").await;
    refused_with(&mixed, "sso_failed");
}

#[tokio::test]
async fn the_sign_in_page_offers_single_sign_on_and_sign_out_leads_to_the_providers() {
    let (_idp, issuer) = start_idp().await;
    let app = spawn_with_sso(&issuer, &[]).await;
    let page = app
        .client
        .get(app.url("/frontend/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Sign in with single sign-on"), "{page}");
    assert!(page.contains(r#""sso":true"#), "{page}");
    let r = no_redirects()
        .get(app.url("/frontend/oidc/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap();
    assert!(to.starts_with(&format!("{issuer}/logout?")), "{to}");
    assert!(to.contains("client_id=ward-test"), "{to}");
    assert!(
        to.contains("post_logout_redirect_uri=http%3A%2F%2Fward.test%2Ffrontend%2Flogin"),
        "{to}"
    );

    // Without single sign-on there is no button and no such route.
    let plain = crate::helpers::spawn_app().await;
    let page = plain
        .client
        .get(plain.url("/frontend/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("single sign-on"), "{page}");
    let r = no_redirects()
        .get(plain.url("/frontend/oidc/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn passwords_can_be_switched_off_when_single_sign_on_is_on() {
    let (_idp, issuer) = start_idp().await;
    let app = spawn_with_sso(&issuer, &[("WARD_PASSWORD_SIGN_IN", "false")]).await;
    for path in ["/api/token/", "/frontend/login/"] {
        let r = app
            .client
            .post(app.url(path))
            .json(&json!({"username": "doctor", "password": "doctor123"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "password_sign_in_disabled");
    }
    let page = app
        .client
        .get(app.url("/frontend/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains(r#"type="password""#),
        "no password field: {page}"
    );
    assert!(page.contains("Sign in with single sign-on"));
}

#[tokio::test]
async fn with_secure_cookies_the_state_cookie_carries_the_host_prefix() {
    let (_idp, issuer) = start_idp().await;
    let app = spawn_with_sso(&issuer, &[("WARD_SECURE_COOKIES", "true")]).await;
    let start = no_redirects()
        .get(app.url("/frontend/oidc/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 303);
    let state = start
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-ward_oidc_state="))
        .expect("the __Host- state cookie")
        .to_string();
    assert!(
        state.contains("; Path=/;") && state.contains("; Secure") && state.contains("HttpOnly"),
        "{state}"
    );
}

//! Who is calling: the extractors that state a handler's needs in its signature.
//!
//! A caller authenticates with `Authorization: Bearer <access JWT>`, or (the browser
//! app) with the HttpOnly, SameSite=Strict cookies set at sign-in — named
//! `__Host-ward_access` etc. when cookies are Secure (`WARD_SECURE_COOKIES`), so no
//! other site or subdomain can plant them. A cookie-authenticated request that changes
//! state must also send the CSRF token (`X-CSRF-Token`): the HMAC of the sign-in
//! session's id that its access token names ([`ward_core::identity::token::TokenKeys::csrf_token`]),
//! so another session's token is refused. When the access cookie has expired but the
//! refresh cookie is still valid, [`cookie_session`] renews both transparently (the
//! refresh token rotates).

use crate::http::error::ApiError;
use crate::http::AppState;
use axum::extract::{FromRef, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use ward_core::identity::token::TokenType;
use ward_core::identity::{login, users};
use ward_core::proxies::IpRange;
use ward_core::{Caller, Error, Origin, TokenCaller};

pub use ward_domain::api::{ACCESS_COOKIE, CSRF_COOKIE, HOST_PREFIX, REFRESH_COOKIE};
/// The CSRF header.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| ward_domain::api::cookie_value(v, name))
}

/// The name of one of the session's cookies (`ward_access`, `ward_refresh`, `ward_csrf`):
/// `__Host-` in front when cookies are Secure.
pub fn cookie_name(base: &str, secure: bool) -> String {
    if secure {
        format!("{HOST_PREFIX}{base}")
    } else {
        base.to_string()
    }
}

/// The path of a session cookie: `/`, except the refresh cookie without `__Host-`
/// (which demands `/`), which only `/frontend` sees.
fn cookie_path(base: &str, secure: bool) -> &'static str {
    if !secure && base == REFRESH_COOKIE {
        "/frontend"
    } else {
        "/"
    }
}

/// A session cookie's value from the request, under the name [`cookie_name`] gives.
pub fn session_cookie<'a>(headers: &'a HeaderMap, base: &str, secure: bool) -> Option<&'a str> {
    cookie(headers, &cookie_name(base, secure))
}

/// The `Set-Cookie` value of a session cookie (HttpOnly but for the CSRF cookie, which the
/// app reads).
pub fn set_session_cookie(base: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    set_cookie(
        &cookie_name(base, secure),
        value,
        cookie_path(base, secure),
        max_age,
        base != CSRF_COOKIE,
        secure,
    )
}

/// A `Set-Cookie` value. `http_only` hides it from scripts; every cookie is
/// `SameSite=Strict`.
pub fn set_cookie(
    name: &str,
    value: &str,
    path: &str,
    max_age: i64,
    http_only: bool,
    secure: bool,
) -> HeaderValue {
    let mut c = format!("{name}={value}; Path={path}; Max-Age={max_age}; SameSite=Strict");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("cookie values are ASCII tokens")
}

/// How the request authenticated (recorded by the auth middleware).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A Bearer token.
    Bearer(String),
    /// The browser's access cookie.
    Cookie(String),
}

/// The origin of a request: the client's address (the socket's peer, or behind the
/// trusted proxies of `WARD_TRUSTED_PROXIES` the rightmost `X-Forwarded-For` hop that is
/// not one of them: [`ward_core::proxies::client_address`]; always a valid address) and
/// the request id.
pub fn origin_of(parts: &Parts, trusted: &[IpRange]) -> Origin {
    let client_ip = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| {
            if trusted.is_empty() {
                return c.0.ip();
            }
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok());
            ward_core::proxies::client_address(c.0.ip(), forwarded, trusted)
        })
        .map(|ip| ip.to_string());
    Origin {
        client_ip,
        request_id: parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(64).collect()),
    }
}

fn credential(parts: &Parts, secure: bool) -> Option<Credential> {
    if let Some(v) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let mut it = v.splitn(2, ' ');
        if let (Some(scheme), Some(token)) = (it.next(), it.next()) {
            if scheme.eq_ignore_ascii_case("bearer") {
                return Some(Credential::Bearer(token.trim().to_string()));
            }
        }
        return Some(Credential::Bearer(String::new()));
    }
    if let Some(fresh) = parts.extensions.get::<FreshAccess>() {
        return Some(Credential::Cookie(fresh.0.clone()));
    }
    session_cookie(&parts.headers, ACCESS_COOKIE, secure).map(|t| Credential::Cookie(t.to_string()))
}

fn state_changing(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Checks the CSRF token of a cookie-authenticated, state-changing request: it must be
/// the token of the session `sid` (the one the access cookie names).
pub fn check_csrf(parts: &Parts, app: &AppState, sid: Option<&str>) -> Result<(), Error> {
    let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    match (sent, sid) {
        (Some(s), Some(sid))
            if constant_time_eq(s.as_bytes(), app.ward.keys.csrf_token(sid).as_bytes()) =>
        {
            Ok(())
        }
        _ => Err(Error::forbidden(
            "csrf_failed",
            "This request needs the CSRF token (X-CSRF-Token) of your session.",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The user a request's access token names: 401 without a valid one, 403 for a cookie
/// request that changes state without the CSRF token. The user is not read yet.
fn verified_user(parts: &Parts, app: &AppState) -> Result<i64, ApiError> {
    let cred = credential(parts, app.ward.config.secure_cookies).ok_or_else(|| {
        Error::unauthorized(
            "not_authenticated",
            "Authentication credentials were not provided.",
        )
    })?;
    let token = match &cred {
        Credential::Bearer(t) | Credential::Cookie(t) => t,
    };
    let claims = login::verify_access(&app.ward, token)?;
    if matches!(cred, Credential::Cookie(_)) && state_changing(&parts.method) {
        check_csrf(parts, app, claims.sid.as_deref())?;
    }
    Ok(claims.user_id)
}

/// An authenticated caller: an active user. Rejects with 401 (no or bad credentials, an
/// inactive user) or 403 (a cookie request that changes state without the CSRF token).
#[derive(Clone, Debug)]
pub struct Authenticated(pub Caller);

impl<S> FromRequestParts<S> for Authenticated
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(a) = parts.extensions.get::<Authenticated>() {
            return Ok(a.clone());
        }
        let app = AppState::from_ref(state);
        let user_id = verified_user(parts, &app)?;
        let principal = users::load_principal(&app.ward.db, user_id)
            .await?
            .ok_or_else(login::inactive_user)?;
        let caller = Caller {
            principal,
            origin: origin_of(parts, &app.ward.config.trusted_proxies),
        };
        let a = Authenticated(caller);
        parts.extensions.insert(a.clone());
        Ok(a)
    }
}

/// A request with a valid access token (and CSRF token, as for [`Authenticated`]) whose
/// user the handler reads itself, with its other reads: the chat stream, which then
/// refuses a missing or inactive user with the same 401.
#[derive(Clone, Debug)]
pub struct TokenAuthenticated(pub TokenCaller);

impl<S> FromRequestParts<S> for TokenAuthenticated
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(Authenticated(caller)) = parts.extensions.get::<Authenticated>() {
            return Ok(TokenAuthenticated(caller.into()));
        }
        let app = AppState::from_ref(state);
        Ok(TokenAuthenticated(TokenCaller {
            user_id: ward_core::ids::UserId::new(verified_user(parts, &app)?),
            origin: origin_of(parts, &app.ward.config.trusted_proxies),
        }))
    }
}

/// A caller signed in through the browser's cookie session (with the CSRF token when the
/// request changes state), never through a Bearer token: for what only the browser
/// session may do, such as minting a token (an access token must not renew itself).
/// A Bearer request gets `403 cookie_session_required`.
#[derive(Clone, Debug)]
pub struct CookieSession(pub Caller);

impl<S> FromRequestParts<S> for CookieSession
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Authenticated(caller) = Authenticated::from_request_parts(parts, state).await?;
        let secure = AppState::from_ref(state).ward.config.secure_cookies;
        match credential(parts, secure) {
            Some(Credential::Cookie(_)) => Ok(CookieSession(caller)),
            _ => Err(Error::forbidden(
                "cookie_session_required",
                "Only the browser's signed-in session may do this, not a Bearer token.",
            )
            .into()),
        }
    }
}

/// A caller whose capabilities ([`ward_domain::capability::Capabilities`], derived from
/// the policy, as `whoami` sends them) include `$cap`; 403 otherwise.
macro_rules! capability_guard {
    ($(#[$doc:meta])* $name:ident, $cap:ident, $message:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name(pub Caller);

        impl<S> FromRequestParts<S> for $name
        where
            AppState: FromRef<S>,
            S: Send + Sync,
        {
            type Rejection = ApiError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
                let Authenticated(caller) = Authenticated::from_request_parts(parts, state).await?;
                let app = AppState::from_ref(state);
                if caller.principal.capabilities(&app.ward.policy).$cap {
                    Ok($name(caller))
                } else {
                    Err(Error::forbidden("role_required", $message).into())
                }
            }
        }
    };
}

capability_guard!(
    /// A caller who may use the audit trail (auditors, superusers).
    Auditor,
    audit,
    "Only auditors may use the audit trail."
);
capability_guard!(
    /// A caller who may use the admin screens (admins, superusers).
    Admin,
    administer,
    "Only admins may do this."
);
capability_guard!(
    /// A caller who may manage users (admins, superusers).
    UserManager,
    manage_users,
    "Only admins may do this."
);
capability_guard!(
    /// A caller who may browse everyone's archived sessions (reviewers, auditors,
    /// superusers).
    Reviewer,
    review_archives,
    "Only reviewers and auditors browse archived sessions."
);

/// A freshly minted access token for this request (set by [`cookie_session`]).
#[derive(Clone, Debug)]
pub struct FreshAccess(pub String);

/// Renews an expired access cookie from a valid refresh cookie, transparently, so the
/// browser app stays signed in for the refresh token's life. The refresh token rotates:
/// the response sets the next one.
pub async fn cookie_session(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let secure = app.ward.config.secure_cookies;
    let needs_refresh = req.headers().get(header::AUTHORIZATION).is_none()
        && session_cookie(req.headers(), REFRESH_COOKIE, secure).is_some()
        && session_cookie(req.headers(), ACCESS_COOKIE, secure)
            .map(|t| app.ward.keys.verify(t, TokenType::Access).is_err())
            .unwrap_or(true);
    let mut fresh = None;
    if needs_refresh {
        let refresh = session_cookie(req.headers(), REFRESH_COOKIE, secure)
            .unwrap_or_default()
            .to_string();
        let (parts, body) = req.into_parts();
        let origin = origin_of(&parts, &app.ward.config.trusted_proxies);
        req = Request::from_parts(parts, body);
        if let Ok(renewed) = login::refresh(&app.ward, &refresh, &origin).await {
            req.extensions_mut()
                .insert(FreshAccess(renewed.access.clone()));
            fresh = Some(renewed);
        }
    }
    let mut res = next.run(req).await;
    if let Some(renewed) = fresh {
        let h = res.headers_mut();
        let ttl = app.ward.keys.access_ttl().as_secs() as i64;
        h.append(
            header::SET_COOKIE,
            set_session_cookie(ACCESS_COOKIE, &renewed.access, ttl, secure),
        );
        if let Some(next_refresh) = renewed.refresh {
            let ttl = app.ward.config.refresh_token_ttl.as_secs() as i64;
            h.append(
                header::SET_COOKIE,
                set_session_cookie(REFRESH_COOKIE, &next_refresh, ttl, secure),
            );
            // The session's CSRF token again (a session from before CSRF tokens were
            // bound to it gets its bound token here).
            if let Some(sid) = app
                .ward
                .keys
                .verify(&renewed.access, TokenType::Access)
                .ok()
                .and_then(|c| c.sid)
            {
                h.append(
                    header::SET_COOKIE,
                    set_session_cookie(CSRF_COOKIE, &app.ward.keys.csrf_token(&sid), ttl, secure),
                );
            }
        }
    }
    res
}

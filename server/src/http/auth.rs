//! Who is calling: the extractors that state a handler's needs in its signature.
//!
//! A caller authenticates with `Authorization: Bearer <access JWT>`, or (the browser
//! app) with the HttpOnly, SameSite=Strict cookies set at sign-in. A cookie-authenticated
//! request that changes state must also send the CSRF token (`X-CSRF-Token`, equal to the
//! `ward_csrf` cookie). When the access cookie has expired but the refresh cookie is still
//! valid, [`cookie_session`] mints a fresh access cookie transparently.

use crate::http::error::ApiError;
use crate::http::AppState;
use axum::extract::{FromRef, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use ward_core::identity::token::TokenType;
use ward_core::identity::{login, users};
use ward_core::{Caller, Error, Origin, TokenCaller};
use ward_domain::role::Role;

pub use ward_domain::api::{ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE};
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

/// The origin of a request: the client IP (from the socket, or `X-Forwarded-For` behind a
/// trusted proxy) and the request id.
pub fn origin_of(parts: &Parts, trust_proxy: bool) -> Origin {
    let forwarded = trust_proxy
        .then(|| parts.headers.get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().chars().take(64).collect::<String>());
    let socket = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    Origin {
        client_ip: forwarded.or(socket),
        request_id: parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(64).collect()),
    }
}

fn credential(parts: &Parts) -> Option<Credential> {
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
    cookie(&parts.headers, ACCESS_COOKIE).map(|t| Credential::Cookie(t.to_string()))
}

fn state_changing(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Checks the CSRF token of a cookie-authenticated, state-changing request.
pub fn check_csrf(parts: &Parts) -> Result<(), Error> {
    let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    let expected = cookie(&parts.headers, CSRF_COOKIE);
    match (sent, expected) {
        (Some(s), Some(e)) if !e.is_empty() && constant_time_eq(s.as_bytes(), e.as_bytes()) => {
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
    let cred = credential(parts).ok_or_else(|| {
        Error::unauthorized(
            "not_authenticated",
            "Authentication credentials were not provided.",
        )
    })?;
    let token = match &cred {
        Credential::Bearer(t) | Credential::Cookie(t) => t,
    };
    let user_id = login::verify_access(&app.ward, token)?;
    if matches!(cred, Credential::Cookie(_)) && state_changing(&parts.method) {
        check_csrf(parts)?;
    }
    Ok(user_id)
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
            origin: origin_of(parts, app.ward.config.trust_proxy),
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
            user_id: verified_user(parts, &app)?,
            origin: origin_of(parts, app.ward.config.trust_proxy),
        }))
    }
}

/// A caller holding one of the roles `R` names; 403 otherwise.
macro_rules! role_guard {
    ($(#[$doc:meta])* $name:ident, [$($role:expr),+], $message:literal) => {
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
                if [$($role),+].iter().any(|r| caller.principal.has_role(*r)) {
                    Ok($name(caller))
                } else {
                    Err(Error::forbidden("role_required", $message).into())
                }
            }
        }
    };
}

role_guard!(
    /// An auditor (or superuser).
    Auditor,
    [Role::Auditor],
    "Only auditors may use the audit trail."
);
role_guard!(
    /// An admin (or superuser).
    Admin,
    [Role::Admin],
    "Only admins may do this."
);
role_guard!(
    /// A reviewer or auditor (or superuser).
    Reviewer,
    [Role::Reviewer, Role::Auditor],
    "Only reviewers and auditors browse archived sessions."
);

/// A freshly minted access token for this request (set by [`cookie_session`]).
#[derive(Clone, Debug)]
pub struct FreshAccess(pub String);

/// Renews an expired access cookie from a valid refresh cookie, transparently, so the
/// browser app stays signed in for the refresh token's life.
pub async fn cookie_session(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let needs_refresh = req.headers().get(header::AUTHORIZATION).is_none()
        && cookie(req.headers(), REFRESH_COOKIE).is_some()
        && cookie(req.headers(), ACCESS_COOKIE)
            .map(|t| app.ward.keys.verify(t, TokenType::Access).is_err())
            .unwrap_or(true);
    let mut fresh = None;
    if needs_refresh {
        let refresh = cookie(req.headers(), REFRESH_COOKIE)
            .unwrap_or_default()
            .to_string();
        let (parts, body) = req.into_parts();
        let origin = origin_of(&parts, app.ward.config.trust_proxy);
        req = Request::from_parts(parts, body);
        if let Ok(access) = login::refresh(&app.ward, &refresh, &origin).await {
            req.extensions_mut().insert(FreshAccess(access.clone()));
            fresh = Some(access);
        }
    }
    let mut res = next.run(req).await;
    if let Some(access) = fresh {
        let ttl = app.ward.keys.access_ttl().as_secs() as i64;
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(
                ACCESS_COOKIE,
                &access,
                "/",
                ttl,
                true,
                app.ward.config.secure_cookies,
            ),
        );
    }
    res
}

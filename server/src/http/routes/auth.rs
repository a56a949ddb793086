//! Tokens (compat), the browser app's sign-in and sign-out, `whoami` and
//! `rbac/effective`.

use crate::http::auth::{
    origin_of, session_cookie, set_session_cookie, Authenticated, CookieSession, ACCESS_COOKIE,
    CSRF_COOKIE, REFRESH_COOKIE,
};
use crate::http::error::{ApiResult, JsonBody};
use crate::http::openapi::{JsonBodyErrors, SignedIn, TooMany, Unavailable};
use crate::http::AppState;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ward_core::identity::{login, users};
use ward_core::Origin;
use ward_domain::api::{
    AccessToken, EffectiveRbac, EffectiveTool, ErrorBody, LoginRequest, RefreshRequest, TokenPair,
    TokenRequest, WhoAmI,
};

/// The request's origin, as an extractor.
pub struct RequestOrigin(pub Origin);

impl axum::extract::FromRequestParts<AppState> for RequestOrigin {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(RequestOrigin(origin_of(
            parts,
            &state.ward.config.trusted_proxies,
        )))
    }
}

/// Refuses a password sign-in when `WARD_PASSWORD_SIGN_IN` is off (single sign-on only).
fn password_sign_in_allowed(app: &AppState) -> Result<(), ward_core::Error> {
    if app.ward.config.password_sign_in {
        Ok(())
    } else {
        Err(ward_core::Error::forbidden(
            "password_sign_in_disabled",
            "Passwords do not sign in here: use single sign-on.",
        ))
    }
}

/// `POST /api/token/` (compat): username and password → access and refresh tokens.
#[utoipa::path(post, path = "/api/token/", tag = "auth", security(()),
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Signed in.", body = TokenPair),
        JsonBodyErrors,
        (status = 401, description = "Wrong username or password, or an inactive user (`invalid_credentials`).", body = ErrorBody),
        (status = 403, description = "Passwords do not sign in here (`password_sign_in_disabled`).", body = ErrorBody),
        TooMany, Unavailable,
    ))]
pub async fn obtain_token(
    State(app): State<AppState>,
    RequestOrigin(origin): RequestOrigin,
    JsonBody(req): JsonBody<TokenRequest>,
) -> ApiResult<Json<TokenPair>> {
    password_sign_in_allowed(&app)?;
    let (_, pair) = login::login(&app.ward, &req.username, &req.password, &origin).await?;
    Ok(Json(pair))
}

/// `POST /api/token/refresh/` (compat): a refresh token → a new access token and the
/// refresh token that replaces it (rotation; reusing a replaced one revokes its family).
#[utoipa::path(post, path = "/api/token/refresh/", tag = "auth", security(()),
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new access token.", body = AccessToken),
        JsonBodyErrors,
        (status = 401, description = "The refresh token is invalid, expired or revoked.", body = ErrorBody),
        TooMany, Unavailable,
    ))]
pub async fn refresh_token(
    State(app): State<AppState>,
    RequestOrigin(origin): RequestOrigin,
    JsonBody(req): JsonBody<RefreshRequest>,
) -> ApiResult<Json<AccessToken>> {
    let renewed = login::refresh(&app.ward, &req.refresh, &origin).await?;
    Ok(Json(AccessToken {
        access: renewed.access,
        refresh: renewed.refresh,
    }))
}

/// `POST /api/token/revoke/`: revokes a refresh token (sign-out for API clients).
#[utoipa::path(post, path = "/api/token/revoke/", tag = "auth", security(()),
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Revoked."),
        JsonBodyErrors,
        (status = 401, description = "The refresh token is invalid or expired.", body = ErrorBody),
        TooMany, Unavailable,
    ))]
pub async fn revoke_token(
    State(app): State<AppState>,
    RequestOrigin(origin): RequestOrigin,
    JsonBody(req): JsonBody<RefreshRequest>,
) -> ApiResult<StatusCode> {
    login::logout(&app.ward, &req.refresh, &origin).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /frontend/login/`: the browser app's sign-in. Sets the HttpOnly, SameSite=Strict
/// session cookies and a CSRF cookie, and returns `whoami` with the CSRF token.
#[utoipa::path(post, path = "/frontend/login/", tag = "auth", security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the session cookies are set.", body = WhoAmI),
        JsonBodyErrors,
        (status = 401, description = "Wrong username or password, or an inactive user (`invalid_credentials`).", body = ErrorBody),
        (status = 403, description = "Passwords do not sign in here (`password_sign_in_disabled`).", body = ErrorBody),
        TooMany, Unavailable,
    ))]
pub async fn browser_login(
    State(app): State<AppState>,
    RequestOrigin(origin): RequestOrigin,
    JsonBody(req): JsonBody<LoginRequest>,
) -> ApiResult<Response> {
    password_sign_in_allowed(&app)?;
    let (principal, pair) = login::login(&app.ward, &req.username, &req.password, &origin).await?;
    let csrf = session_csrf(&app, &pair);
    let mut me = users::whoami(&app.ward.db, &app.ward.policy, &principal, csrf.clone()).await?;
    me.demo = !app.ward.config.is_production();
    let mut res = Json(me).into_response();
    set_session_cookies(
        &app,
        res.headers_mut(),
        &pair,
        csrf.as_deref().unwrap_or_default(),
    );
    Ok(res)
}

/// The CSRF token of the session a token pair opens (bound to its session id).
pub fn session_csrf(app: &AppState, pair: &TokenPair) -> Option<String> {
    app.ward
        .keys
        .verify(&pair.access, ward_core::identity::token::TokenType::Access)
        .ok()
        .and_then(|c| c.sid)
        .map(|sid| app.ward.keys.csrf_token(&sid))
}

/// Sets a browser session's cookies (access, refresh, CSRF) for a signed-in user: the
/// password sign-in and single sign-on end here alike.
pub fn set_session_cookies(app: &AppState, h: &mut HeaderMap, pair: &TokenPair, csrf: &str) {
    let secure = app.ward.config.secure_cookies;
    let access_ttl = app.ward.config.access_token_ttl.as_secs() as i64;
    let refresh_ttl = app.ward.config.refresh_token_ttl.as_secs() as i64;
    for (name, value, ttl) in [
        (ACCESS_COOKIE, pair.access.as_str(), access_ttl),
        (REFRESH_COOKIE, pair.refresh.as_str(), refresh_ttl),
        (CSRF_COOKIE, csrf, refresh_ttl),
    ] {
        h.append(
            header::SET_COOKIE,
            set_session_cookie(name, value, ttl, secure),
        );
    }
}

/// `POST /frontend/logout/`: revokes the session's refresh token and clears the cookies.
#[utoipa::path(post, path = "/frontend/logout/", tag = "auth",
    responses(
        (status = 204, description = "Signed out; the cookies are cleared."),
        SignedIn, Unavailable,
    ))]
pub async fn browser_logout(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let secure = app.ward.config.secure_cookies;
    if let Some(refresh) = session_cookie(&headers, REFRESH_COOKIE, secure) {
        // A refresh token that is already invalid needs no revoking.
        let _ = login::logout(&app.ward, refresh, &caller.origin).await;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    let h = res.headers_mut();
    for name in [ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE] {
        h.append(header::SET_COOKIE, set_session_cookie(name, "", 0, secure));
    }
    Ok(res)
}

/// `GET /frontend/whoami/` (compat).
#[utoipa::path(get, path = "/frontend/whoami/", tag = "auth",
    responses(
        (status = 200, description = "The caller.", body = WhoAmI),
        SignedIn, Unavailable,
    ))]
pub async fn whoami(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
) -> ApiResult<Json<WhoAmI>> {
    let csrf =
        session_cookie(&headers, CSRF_COOKIE, app.ward.config.secure_cookies).map(str::to_string);
    let mut me = users::whoami(&app.ward.db, &app.ward.policy, &caller.principal, csrf).await?;
    me.demo = !app.ward.config.is_production();
    Ok(Json(me))
}

/// `GET /frontend/rbac/effective/` (compat): the caller's tools and masking rules.
#[utoipa::path(get, path = "/frontend/rbac/effective/", tag = "auth",
    responses(
        (status = 200, description = "The caller's tools and masking rules.", body = EffectiveRbac),
        SignedIn, Unavailable,
    ))]
pub async fn rbac_effective(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
) -> ApiResult<Json<EffectiveRbac>> {
    let p = &caller.principal;
    let subject = p.subject();
    let policy = &app.ward.policy;
    let tools = policy
        .tools_for(&subject)
        .into_iter()
        .map(|t| {
            let scope =
                match policy.decide(&subject, t, ward_domain::policy::PatientRelation::NoPatient) {
                    ward_domain::policy::Decision::Allow(g) => g.scope,
                    ward_domain::policy::Decision::Deny(_) => {
                        ward_domain::policy::PatientScope::CareTeam
                    }
                };
            let spec = t.spec();
            EffectiveTool {
                name: t.as_str().into(),
                description: spec.description.into(),
                permission: spec.category.permission().into(),
                patients: scope,
            }
        })
        .collect();
    Ok(Json(EffectiveRbac {
        username: p.username.clone(),
        roles: p.roles.iter().collect(),
        is_superuser: p.is_superuser,
        tools,
        masking: policy.masks_for(&subject).0,
        break_glass: p.capabilities(policy).break_glass.is_some(),
        break_glass_minutes: policy.break_glass_minutes,
    }))
}

/// `POST /frontend/mint-token/` (compat): a short-lived access token for the signed-in
/// browser user (to call the API or `/mcp` from a script). Only from the browser's
/// cookie session (with its CSRF token): a Bearer access token cannot renew itself, so a
/// stolen one dies with its expiry.
#[utoipa::path(post, path = "/frontend/mint-token/", tag = "auth",
    responses(
        (status = 200, description = "A short-lived access token.", body = AccessToken),
        SignedIn, TooMany, Unavailable,
    ))]
pub async fn mint_token(
    State(app): State<AppState>,
    CookieSession(caller): CookieSession,
) -> ApiResult<Json<AccessToken>> {
    let access = login::mint_access(&app.ward, &caller.principal, &caller.origin).await?;
    Ok(Json(AccessToken {
        access,
        refresh: None,
    }))
}

//! Single sign-on (OpenID Connect, Authorization Code with PKCE): the browser's way to
//! the identity provider and back. The protocol and the user's roles are
//! `ward_core::identity::oidc`'s; this module handles redirects and cookies.
//!
//! - `GET /frontend/oidc/login`: a new authorization request; its state is bound to the
//!   browser by a cookie, then `303` to the provider.
//! - `GET /frontend/oidc/callback`: the provider's answer. Signed in: the same session
//!   cookies as a password sign-in, and a page that moves on to `/frontend/` (a redirect
//!   would not do: the browser sends no `SameSite=Strict` cookie on a navigation that
//!   began at the provider's site). Refused: `303` to the sign-in page with
//!   `?sso_error=<code>`, which the page explains.
//! - `GET /frontend/oidc/logout`: `303` to the provider's end-session endpoint (after
//!   Ward's own sign-out), which returns to the sign-in page.

use crate::http::auth::{cookie_name, session_cookie};
use crate::http::error::ApiResult;
use crate::http::extract::Query;
use crate::http::openapi::{BadRequest, Unavailable};
use crate::http::routes::auth::{session_csrf, set_session_cookies, RequestOrigin};
use crate::http::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use ward_core::identity::oidc::{self, Oidc, SIGN_IN_MINUTES};
use ward_core::identity::users;
use ward_core::Error;
use ward_domain::api::ErrorBody;
use ward_domain::paths::screen;

/// The cookie that binds an authorization request's state to the browser that started
/// it (`__Host-ward_oidc_state` when cookies are Secure). `SameSite=Lax`: the provider's
/// redirect back is a cross-site navigation, on which a `Strict` cookie is not sent.
pub const STATE_COOKIE: &str = "ward_oidc_state";
const STATE_COOKIE_PATH: &str = "/frontend/oidc";

fn state_cookie(app: &AppState, value: &str, max_age: i64) -> HeaderValue {
    let secure = app.ward.config.secure_cookies;
    // `__Host-` cookies must have `Path=/`.
    let path = if secure { "/" } else { STATE_COOKIE_PATH };
    let mut c = format!(
        "{}={value}; Path={path}; Max-Age={max_age}; SameSite=Lax; HttpOnly",
        cookie_name(STATE_COOKIE, secure)
    );
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("the state is URL-safe base64")
}

fn configured(app: &AppState) -> Result<&Oidc, Error> {
    app.ward
        .oidc
        .as_ref()
        .ok_or_else(|| Error::not_found("single sign-on"))
}

/// `GET /frontend/oidc/login`: starts single sign-on.
#[utoipa::path(get, path = "/frontend/oidc/login", tag = "auth", security(()),
    responses(
        (status = 303, description = "To the identity provider (or back to the sign-in page with `?sso_error=`)."),
        (status = 404, description = "Single sign-on is not configured (`not_found`).", body = ErrorBody),
    ))]
pub async fn start(State(app): State<AppState>) -> ApiResult<Response> {
    let oidc = configured(&app)?;
    let authorization = match oidc.begin(&app.ward).await {
        Ok(a) => a,
        Err(e) => return Ok(back_to_sign_in(&app, &e.code)),
    };
    let mut res = Redirect::to(&authorization.url).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        state_cookie(&app, &authorization.state, SIGN_IN_MINUTES * 60),
    );
    Ok(res)
}

/// The provider's answer to an authorization request.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    /// The issuer of the answer (RFC 9207), when the provider names it.
    iss: Option<String>,
}

/// The sign-in page with a refusal's code (which the page explains), and the state
/// cookie cleared.
fn back_to_sign_in(app: &AppState, code: &str) -> Response {
    let code = if code.starts_with("sso_") {
        code
    } else {
        "sso_failed"
    };
    let mut res = Redirect::to(&format!("{}?sso_error={code}", screen::SIGN_IN)).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, state_cookie(app, "", 0));
    res
}

/// `GET /frontend/oidc/callback`: finishes single sign-on.
#[utoipa::path(get, path = "/frontend/oidc/callback", tag = "auth", security(()),
    params(CallbackParams),
    responses(
        (status = 200, description = "Signed in: the session cookies, and a page that moves on to `/frontend/`.", body = String, content_type = "text/html"),
        (status = 303, description = "Refused: to the sign-in page with `?sso_error=<code>`."),
        BadRequest,
        (status = 404, description = "Single sign-on is not configured (`not_found`).", body = ErrorBody),
        Unavailable,
    ))]
pub async fn callback(
    State(app): State<AppState>,
    RequestOrigin(origin): RequestOrigin,
    headers: HeaderMap,
    Query(params): Query<CallbackParams>,
) -> ApiResult<Response> {
    let oidc = configured(&app)?;
    let (code, state) = match (params.code, params.state, params.error) {
        (Some(code), Some(state), None) => (code, state),
        (_, _, Some(_)) => return Ok(back_to_sign_in(&app, "sso_cancelled")),
        _ => return Ok(back_to_sign_in(&app, "sso_state_invalid")),
    };
    if params
        .iss
        .is_some_and(|iss| iss != oidc.settings().issuer_url)
    {
        // An answer from another provider than Ward's (a mix-up attack).
        return Ok(back_to_sign_in(&app, "sso_failed"));
    }
    let browser_state = session_cookie(&headers, STATE_COOKIE, app.ward.config.secure_cookies);
    let signed_in = async {
        let who = oidc
            .identify(&app.ward, &code, &state, browser_state)
            .await?;
        oidc::sign_in(&app.ward, &who, &origin).await
    }
    .await;
    let (principal, pair) = match signed_in {
        Ok(p) => p,
        Err(e) if e.status() >= 500 && e.code != "sso_unavailable" => return Err(e.into()),
        Err(e) => return Ok(back_to_sign_in(&app, &e.code)),
    };
    let csrf = session_csrf(&app, &pair).unwrap_or_default();
    // The whoami read checks the new session can be used (it is what the app reads next).
    users::whoami(&app.ward.db, &app.ward.policy, &principal, None).await?;
    let mut res = (
        StatusCode::OK,
        Html(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"refresh\" content=\"0;url=/frontend/\"><title>Ward</title></head>\
             <body><p>Signed in. <a href=\"/frontend/\">Continue to Ward</a></p></body></html>",
        ),
    )
        .into_response();
    let h = res.headers_mut();
    set_session_cookies(&app, h, &pair, &csrf);
    h.append(header::SET_COOKIE, state_cookie(&app, "", 0));
    Ok(res)
}

/// `GET /frontend/oidc/logout`: the identity provider's sign-out, which comes back to the
/// sign-in page (or the sign-in page itself if the provider offers none).
#[utoipa::path(get, path = "/frontend/oidc/logout", tag = "auth", security(()),
    responses(
        (status = 303, description = "To the identity provider's sign-out, or the sign-in page."),
        (status = 404, description = "Single sign-on is not configured (`not_found`).", body = ErrorBody),
    ))]
pub async fn logout(State(app): State<AppState>) -> ApiResult<Response> {
    let oidc = configured(&app)?;
    let to = oidc
        .end_session_url()
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| screen::SIGN_IN.into());
    Ok(Redirect::to(&to).into_response())
}

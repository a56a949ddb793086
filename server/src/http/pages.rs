//! Page loads of the browser app: who is signed in (the session cookies), where the load
//! is sent instead, and the data the page starts with ([`app::page_data`] decides both).
//! The data goes into the request's extensions, where the app renders with it and writes
//! it into the page.

use crate::http::auth::{session_cookie, Authenticated, CSRF_COOKIE};
use crate::http::error::ApiError;
use crate::http::AppState;
use app::page_data::{start, Page, Start};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// For a `GET` of one of the app's pages: redirects (`303`) or loads the page's data, then
/// lets the app render. Everything else passes through.
pub async fn page_start(State(app): State<AppState>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let Some(page) = Page::of(req.uri().path()) else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    // No valid credentials: nobody is signed in (the page decides what that means).
    let caller = Authenticated::from_request_parts(&mut parts, &app)
        .await
        .ok()
        .map(|Authenticated(caller)| caller);
    let csrf_token = session_cookie(&parts.headers, CSRF_COOKIE, app.ward.config.secure_cookies)
        .map(str::to_string);
    if page == Page::SignIn {
        parts.extensions.insert(ward_domain::api::SignInOptions {
            sso: app.ward.oidc.is_some(),
            passwords: app.ward.config.password_sign_in,
        });
    }
    match start(&app.ward, caller.as_ref(), csrf_token, page).await {
        Ok(Start::Redirect(to)) => Redirect::to(&to).into_response(),
        Ok(Start::Render(data)) => {
            if let Some(data) = data {
                parts.extensions.insert(*data);
            }
            next.run(Request::from_parts(parts, body)).await
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

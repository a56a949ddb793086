//! The HTTP layer: the router, shared state, and the layers every request passes.
//!
//! - [`error`]: Ward's error as JSON, and the JSON body extractor.
//! - [`auth`]: Bearer and cookie authentication, CSRF, role guards.
//! - [`middleware`]: request id, tracing, metrics, security headers.
//! - [`routes`]: the endpoints.
//! - [`pages`]: page loads of the browser app (redirects, the data a page starts with).
//! - [`openapi`]: the OpenAPI document.

pub mod auth;
pub mod error;
pub mod middleware;
pub mod openapi;
pub mod pages;
pub mod routes;

use axum::extract::{DefaultBodyLimit, FromRef, Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{delete, get, patch, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use routes::{admin, audit, auth as auth_routes, chat, import, oidc, ops, tools};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use ward_core::Ward;

/// The prefix of the app's server functions.
pub const SERVER_FN_PREFIX: &str = "/frontend/api/fn/";

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The service handle.
    pub ward: Ward,
    /// Leptos' options (site root, package name).
    pub leptos: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos.clone()
    }
}

/// Resolves the caller of a server-function request (Bearer or cookie with CSRF) and puts
/// it in the request's extensions, where the server functions find it. Requests without
/// credentials pass through; the function then refuses them.
async fn server_fn_auth(State(app): State<AppState>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with(SERVER_FN_PREFIX) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    match <auth::Authenticated as axum::extract::FromRequestParts<AppState>>::from_request_parts(
        &mut parts, &app,
    )
    .await
    {
        Ok(auth::Authenticated(caller)) => {
            parts.extensions.insert(caller);
        }
        Err(e) if e.0.status() == 403 => return e.into_response(),
        Err(_) => {}
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/token/", post(auth_routes::obtain_token))
        .route("/api/token/refresh/", post(auth_routes::refresh_token))
        .route("/api/token/revoke/", post(auth_routes::revoke_token))
        .route("/frontend/login/", post(auth_routes::browser_login))
        .route("/frontend/logout/", post(auth_routes::browser_logout))
        .route("/frontend/oidc/login", get(oidc::start))
        .route("/frontend/oidc/callback", get(oidc::callback))
        .route("/frontend/oidc/logout", get(oidc::logout))
        .route("/frontend/whoami/", get(auth_routes::whoami))
        .route(
            "/frontend/rbac/effective/",
            get(auth_routes::rbac_effective),
        )
        .route("/frontend/mint-token/", post(auth_routes::mint_token))
        .route("/frontend/mcp-proxy/", post(tools::mcp_proxy))
        .route("/frontend/audit-latest/", get(tools::audit_latest))
        .route(
            "/frontend/api/break-glass/",
            get(tools::my_grants).post(tools::break_glass),
        )
        .route(
            "/frontend/api/break-glass/{id}/",
            delete(tools::revoke_grant),
        )
        .route("/frontend/api/chat/session/", post(chat::create_session))
        .route(
            "/frontend/api/chat/session/{id}/",
            patch(chat::update_session),
        )
        .route("/frontend/api/chat/sessions/", get(chat::list_sessions))
        .route("/frontend/api/chat/history/{id}/", get(chat::history))
        .route("/frontend/api/chat/message/", post(chat::send_message))
        .route("/frontend/api/chat/config/", get(chat::chat_config))
        .route(
            "/frontend/api/reviews/sessions/",
            get(chat::archived_sessions),
        )
        .route("/frontend/api/audit/events/", get(audit::search))
        .route("/frontend/api/audit/verify/", get(audit::verify))
        .route("/frontend/api/audit/export/", get(audit::export))
        .route(
            "/frontend/api/audit/checkpoints/",
            get(audit::checkpoints).post(audit::create_checkpoint),
        )
        .route("/frontend/api/audit/break-glass/", get(audit::grants))
        .route("/frontend/api/audit/disclosures/", get(audit::disclosures))
        .route(
            "/frontend/api/audit/disclosures/export/",
            get(audit::export_disclosures),
        )
        .route("/frontend/api/admin/usage/", get(admin::usage_report))
        .route(
            "/frontend/api/admin/budgets/",
            get(admin::get_budgets).put(admin::put_budgets),
        )
        .route(
            "/frontend/api/admin/users/",
            get(admin::list_users).post(admin::create_user),
        )
        .route("/frontend/api/admin/users/{id}/", patch(admin::update_user))
        // The upload streams to a file under its own limit (`WARD_MAX_IMPORT_BYTES`).
        .route(
            "/frontend/api/admin/import/",
            post(import::import_fhir).layer(DefaultBodyLimit::disable()),
        )
        .route("/mcp", crate::mcp::route(&state))
        .route("/frontend/api/openapi.json", get(ops::openapi))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/", get(|| async { Redirect::temporary("/frontend/") }));

    let leptos = state.leptos.clone();
    let pages = generate_route_list(app::App);
    let ward = state.ward.clone();
    // Static files (the WASM, JS, CSS): the brotli or gzip file a release build made
    // beside each (`cargo leptos build --release --precompress`) when the browser accepts
    // it, else gzipped on the fly. API responses and the NDJSON stream are never
    // compressed (compression would buffer the stream).
    let static_files = tower::ServiceBuilder::new()
        .layer(CompressionLayer::new().gzip(true))
        .service(
            ServeDir::new(leptos.site_root.as_ref())
                .precompressed_br()
                .precompressed_gzip()
                .not_found_service(axum::handler::HandlerWithoutStateExt::into_service(
                    error::not_found,
                )),
        );
    let body_limit = state.ward.config.max_body_bytes;

    api.leptos_routes_with_context(
        &state,
        pages,
        move || leptos::context::provide_context(ward.clone()),
        {
            let leptos = leptos.clone();
            move || app::shell(leptos.clone())
        },
    )
    .fallback_service(static_files)
    .method_not_allowed_fallback(error::method_not_allowed)
    .layer(from_fn_with_state(state.clone(), server_fn_auth))
    .layer(from_fn_with_state(state.clone(), pages::page_start))
    .layer(from_fn_with_state(state.clone(), auth::cookie_session))
    .layer(DefaultBodyLimit::max(body_limit))
    .layer(CatchPanicLayer::custom(error::panic_response))
    .layer(from_fn_with_state(state.clone(), middleware::observe))
    .with_state(state)
}

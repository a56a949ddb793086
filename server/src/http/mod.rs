//! The HTTP layer: the router, shared state, and the layers every request passes.
//!
//! - [`error`]: Ward's error as JSON (and the router's own 404, 405, 500).
//! - [`extract`]: the body, query and path extractors; every rejection is Ward's JSON error.
//! - [`auth`]: Bearer and cookie authentication, CSRF, role guards.
//! - [`middleware`]: request id, tracing, metrics, security headers.
//! - [`routes`]: the endpoints.
//! - [`pages`]: page loads of the browser app (redirects, the data a page starts with).
//! - [`openapi`]: the OpenAPI document, generated from [`api_routes`].
//! - [`streams`]: the cap on open chat streams per user.

pub mod auth;
pub mod error;
pub mod extract;
pub mod middleware;
pub mod openapi;
pub mod pages;
pub mod routes;
pub mod streams;

use axum::extract::{DefaultBodyLimit, FromRef, Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use routes::{admin, audit, auth as auth_routes, chat, import, oidc, ops, tools};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;
use ward_core::Ward;
use ward_domain::paths;

/// The prefix of the app's server functions.
pub const SERVER_FN_PREFIX: &str = paths::api::SERVER_FN_PREFIX;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The service handle.
    pub ward: Ward,
    /// Leptos' options (site root, package name).
    pub leptos: LeptosOptions,
    /// Open chat streams per user (`WARD_MAX_STREAMS_PER_USER`).
    pub streams: std::sync::Arc<streams::StreamSlots>,
}

impl AppState {
    /// The state of a router over `ward`.
    pub fn new(ward: Ward, leptos: LeptosOptions) -> AppState {
        let streams = streams::StreamSlots::new(ward.config.max_streams_per_user);
        AppState {
            ward,
            leptos,
            streams,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos.clone()
    }
}

/// Resolves the caller of a server-function request (`app::server_fns`: Bearer, or the
/// cookie session with its CSRF token, as for the REST endpoints) and puts it in the
/// request's extensions, where the server functions find it (with `Ward`, which the
/// router provides as their context). A request that fails for any reason but missing
/// or invalid credentials is refused here as the REST endpoints refuse it (`403
/// csrf_failed` for a cookie request without its token, `503` …); one without valid
/// credentials passes, and the function answers `401`. The functions answer JSON only:
/// `Accept` is set to JSON, so a form-style request is never redirected (Leptos'
/// progressive-enhancement redirect), whatever happens.
async fn server_fn_auth(State(app): State<AppState>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with(SERVER_FN_PREFIX) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    parts.headers.insert(
        axum::http::header::ACCEPT,
        axum::http::HeaderValue::from_static("application/json"),
    );
    match <auth::Authenticated as axum::extract::FromRequestParts<AppState>>::from_request_parts(
        &mut parts, &app,
    )
    .await
    {
        Ok(auth::Authenticated(caller)) => {
            parts.extensions.insert(caller);
        }
        Err(e) if e.0.status() != 401 => return e.into_response(),
        Err(_) => {}
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Every documented route: the handlers and, from their `#[utoipa::path]` annotations,
/// the OpenAPI document ([`openapi`]). A new endpoint is one `.routes(routes!(handler))`
/// line here (and its annotation).
pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(auth_routes::obtain_token))
        .routes(routes!(auth_routes::refresh_token))
        .routes(routes!(auth_routes::revoke_token))
        .routes(routes!(auth_routes::browser_login))
        .routes(routes!(auth_routes::browser_logout))
        .routes(routes!(oidc::start))
        .routes(routes!(oidc::callback))
        .routes(routes!(oidc::logout))
        .routes(routes!(auth_routes::whoami))
        .routes(routes!(auth_routes::rbac_effective))
        .routes(routes!(auth_routes::mint_token))
        .routes(routes!(tools::mcp_proxy))
        .routes(routes!(tools::audit_latest))
        .routes(routes!(tools::break_glass, tools::my_grants))
        .routes(routes!(tools::revoke_grant))
        .routes(routes!(chat::create_session))
        .routes(routes!(chat::update_session))
        .routes(routes!(chat::list_sessions))
        .routes(routes!(chat::history))
        .routes(routes!(chat::export_session))
        .routes(routes!(chat::send_message))
        .routes(routes!(chat::chat_config))
        .routes(routes!(chat::archived_sessions))
        .routes(routes!(audit::search))
        .routes(routes!(audit::verify))
        .routes(routes!(audit::export))
        .routes(routes!(audit::checkpoints, audit::create_checkpoint))
        .routes(routes!(audit::grants))
        .routes(routes!(audit::disclosures))
        .routes(routes!(audit::export_disclosures))
        .routes(routes!(admin::usage_report))
        .routes(routes!(admin::get_budgets, admin::put_budgets))
        .routes(routes!(admin::list_users, admin::create_user))
        .routes(routes!(admin::update_user))
        // The upload streams to a file under its own limit (`WARD_MAX_IMPORT_BYTES`).
        .routes(with_layer(
            routes!(import::import_fhir),
            DefaultBodyLimit::disable(),
        ))
        .routes(routes!(ops::openapi))
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(ops::metrics))
}

/// `routes` with `layer` on its handlers.
fn with_layer<L>(routes: UtoipaMethodRouter<AppState>, layer: L) -> UtoipaMethodRouter<AppState>
where
    L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
    L::Service:
        tower::Service<Request, Error = std::convert::Infallible> + Clone + Send + Sync + 'static,
    <L::Service as tower::Service<Request>>::Response: IntoResponse + 'static,
    <L::Service as tower::Service<Request>>::Future: Send + 'static,
{
    let (schemas, paths, methods) = routes;
    (schemas, paths, methods.layer(layer))
}

/// The router of the metrics listener (`WARD_METRICS_ADDR`): `GET /metrics` only.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(ops::metrics_dedicated))
        .fallback(error::not_found)
        .with_state(state)
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let (api, _) = api_routes().split_for_parts();
    // Not axum handlers: documented in `ApiDoc` (`/mcp`), or not part of the API (`/`).
    let api = api.route("/mcp", crate::mcp::route(&state)).route(
        "/",
        get(|| async { Redirect::temporary(paths::screen::HOME) }),
    );

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

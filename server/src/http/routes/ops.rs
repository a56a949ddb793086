//! Liveness, readiness, metrics and the OpenAPI document.

use crate::http::error::ApiError;
use crate::http::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use ward_core::Error;
use ward_domain::api::ErrorBody;

/// `GET /healthz` and `GET /readyz`: how Ward is.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` (alive) or `ready` (the database answers).
    pub status: String,
    /// `ok` when the database answered (readiness only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
}

/// `GET /healthz`: the process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", security(()),
    responses((status = 200, description = "Alive.", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        database: None,
    })
}

/// `GET /readyz`: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations", security(()),
    responses(
        (status = 200, description = "Ready.", body = Health),
        (status = 503, description = "The database is not reachable (`not_ready`).", body = ErrorBody),
    ))]
pub async fn readyz(State(app): State<AppState>) -> Response {
    if ward_core::db::ping(&app.ward.db).await {
        Json(Health {
            status: "ready".into(),
            database: Some("ok".into()),
        })
        .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(ErrorBody {
                error: "The database is not reachable.".into(),
                code: "not_ready".into(),
            }),
        )
            .into_response()
    }
}

/// Whether `headers` carry `Authorization: Bearer <WARD_METRICS_TOKEN>` (compared in
/// constant time).
fn has_metrics_token(headers: &HeaderMap, token: &str) -> bool {
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().as_bytes())
        .unwrap_or_default();
    let want = token.as_bytes();
    sent.len() == want.len() && sent.iter().zip(want).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// `GET /metrics` on Ward's own address: only with `Authorization: Bearer
/// <WARD_METRICS_TOKEN>` (`401 metrics_unauthorized` without it). Without a configured
/// token it is not served here at all (`404 metrics_disabled`): use `WARD_METRICS_ADDR`.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Prometheus text format.", body = String, content_type = "text/plain"),
        (status = 401, description = "Without the bearer token of `WARD_METRICS_TOKEN`.", body = ErrorBody),
        (status = 404, description = "No token is configured: metrics are served only on `WARD_METRICS_ADDR`.", body = ErrorBody),
    ))]
pub async fn metrics(State(app): State<AppState>, headers: HeaderMap) -> Response {
    match &app.ward.config.metrics_token {
        Some(token) if has_metrics_token(&headers, token) => render_metrics(&app),
        Some(_) => ApiError::from(Error::unauthorized(
            "metrics_unauthorized",
            "The metrics need the bearer token of WARD_METRICS_TOKEN.",
        ))
        .into_response(),
        None => ApiError::from(Error::new(
            ward_core::ErrorKind::NotFound,
            "metrics_disabled",
            "Metrics are not served on this address (see WARD_METRICS_ADDR and WARD_METRICS_TOKEN).",
        ))
        .into_response(),
    }
}

/// `GET /metrics` on `WARD_METRICS_ADDR`, the scraper's own address: open there, unless a
/// token is configured, which is then required as on the main address.
pub async fn metrics_dedicated(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if app.ward.config.metrics_token.is_some() {
        return metrics(State(app), headers).await;
    }
    render_metrics(&app)
}

fn render_metrics(app: &AppState) -> Response {
    let mut res = app.ward.metrics.render().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    res
}

/// `GET /frontend/api/openapi.json`: this document (OpenAPI 3.1), generated from the
/// handlers.
#[utoipa::path(get, path = "/frontend/api/openapi.json", tag = "operations", security(()),
    responses((status = 200, description = "The OpenAPI document.", body = Object)))]
pub async fn openapi() -> Response {
    let mut res = crate::http::openapi::document().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

//! Liveness, readiness, metrics and the OpenAPI document.

use crate::http::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
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

/// `GET /metrics`: Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "operations", security(()),
    responses((status = 200, description = "Prometheus text format.", body = String,
        content_type = "text/plain")))]
pub async fn metrics(State(app): State<AppState>) -> Response {
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

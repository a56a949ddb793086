//! The HTTP face of [`ward_core::Error`]: every error response is
//! `{"error": "<human message>", "code": "<machine_code>"}` with the error's status (and
//! `Retry-After` for 429), and the JSON answers of the router itself (unknown path, wrong
//! method, a caught panic). The extractors whose rejections take that shape are in
//! [`crate::http::extract`].

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ward_core::{Error, ErrorKind};
use ward_domain::api::ErrorBody;

pub use crate::http::extract::JsonBody;

/// An error on its way out as a response.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody {
            error: e.message,
            code: e.code.to_string(),
        };
        let mut res = (status, axum::Json(body)).into_response();
        if let Some(secs) = e.retry_after_secs {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

/// A handler result.
pub type ApiResult<T> = Result<T, ApiError>;

/// The JSON 404 for unknown routes.
pub async fn not_found() -> ApiError {
    ApiError(Error::new(
        ErrorKind::NotFound,
        "no_such_endpoint",
        "There is no such endpoint.",
    ))
}

/// The JSON 405 for a known path with the wrong method.
pub async fn method_not_allowed() -> Response {
    let mut r = ApiError(Error::bad_request(
        "method_not_allowed",
        "This endpoint does not take that HTTP method.",
    ))
    .into_response();
    *r.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    r
}

/// The JSON 500 after a caught panic (a bug; the panic message is logged, not shown).
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    ApiError(Error::new(
        ErrorKind::Internal,
        "internal_error",
        "Something went wrong on Ward's side.",
    ))
    .into_response()
}

//! The HTTP face of [`ward_core::Error`]: every error response is
//! `{"error": "<human message>", "code": "<machine_code>"}` with the error's status (and
//! `Retry-After` for 429). Also the JSON body extractor whose rejections use that shape.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use ward_core::{Error, ErrorKind};
use ward_domain::api::ErrorBody;

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

/// Turns an axum JSON rejection into Ward's error shape.
pub fn json_rejection(r: JsonRejection) -> Error {
    match r {
        JsonRejection::MissingJsonContentType(_) => Error::new(
            ErrorKind::UnsupportedMediaType,
            "unsupported_media_type",
            "Send the body as JSON with Content-Type: application/json.",
        ),
        JsonRejection::JsonSyntaxError(e) => Error::bad_request(
            "malformed_json",
            format!(
                "The body is not valid JSON: {}",
                e.body_text().rsplit(": ").next().unwrap_or_default()
            ),
        ),
        JsonRejection::JsonDataError(e) => {
            // serde names the field and the expected type; it does not echo values of
            // strings beyond their type, so no PHI is reflected.
            let detail = e.body_text();
            let detail = detail
                .split_once(": ")
                .map(|(_, d)| d.to_string())
                .unwrap_or(detail);
            Error::bad_request(
                "invalid_request",
                format!("The request body is not what this endpoint takes: {detail}"),
            )
        }
        JsonRejection::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Error::new(
                ErrorKind::PayloadTooLarge,
                "payload_too_large",
                "The request body is too large.",
            )
        }
        other => Error::bad_request(
            "unreadable_body",
            format!("The request body could not be read ({}).", other.status()),
        ),
    }
}

/// `axum::Json`, but rejections are Ward's JSON errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(JsonBody(v)),
            Err(r) => Err(ApiError(json_rejection(r))),
        }
    }
}

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

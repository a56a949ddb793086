//! What a request carries — a JSON body, a query string, path parameters — read by
//! extractors whose every rejection is Ward's JSON error (`{"error", "code"}`), never
//! axum's `text/plain`, and never quotes what was sent: a title holding a name and a birth
//! date must not come back in a 400. Handlers take [`JsonBody`], [`OptionalJsonBody`],
//! [`Query`] and [`Path`] from here, never axum's own (a test in `openapi.rs` checks).
//!
//! | rejection | status | code |
//! |---|---|---|
//! | body is not JSON (`Content-Type`) | 415 | `unsupported_media_type` |
//! | body over the limit (`WARD_MAX_BODY_BYTES`) | 413 | `payload_too_large` |
//! | body is not valid JSON | 400 | `malformed_json` |
//! | body is JSON of the wrong shape | 400 | `invalid_request` |
//! | body could not be read | 400 | `unreadable_body` |
//! | query string of the wrong shape | 400 | `invalid_query` |
//! | path parameter of the wrong type | 400 | `invalid_path` |
//!
//! A message names the field at fault (`title`, `roles[2]`) when it is one of the names
//! Ward's OpenAPI document defines, and what the field takes (serde's "expected …" part,
//! which comes from Ward's types); never the value, nor a key Ward does not define.

use crate::http::error::ApiError;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use ward_core::{Error, ErrorKind};

/// A JSON request body (`Content-Type: application/json` or `application/*+json`).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonBody<T>(pub T);

/// A JSON body that may be absent: no body (or only whitespace, or `null`) is
/// `T::default()`. A body with a content type other than JSON is refused; a body without
/// one is read as JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct OptionalJsonBody<T>(pub T);

/// The query string, read as `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

/// The route's path parameters, read as `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

/// 415: the body is not declared as JSON.
fn not_json() -> Error {
    Error::new(
        ErrorKind::UnsupportedMediaType,
        "unsupported_media_type",
        "Send the body as JSON with Content-Type: application/json.",
    )
}

/// Whether the request declares a JSON body.
fn is_json(headers: &HeaderMap) -> Option<bool> {
    let value = headers.get(header::CONTENT_TYPE)?;
    let mime = value
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    Some(
        mime == "application/json"
            || mime
                .strip_prefix("application/")
                .is_some_and(|sub| sub.ends_with("+json")),
    )
}

/// The body's bytes under the router's limit: 413 over it, 400 if it cannot be read.
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Error> {
    Bytes::from_request(req, state).await.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::new(
                ErrorKind::PayloadTooLarge,
                "payload_too_large",
                "The request body is too large.",
            )
        } else {
            Error::bad_request("unreadable_body", "The request body could not be read.")
        }
    })
}

/// `bytes` read as JSON `T`, or Ward's 400 saying where and why (without the value).
pub fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        match inner.classify() {
            serde_json::error::Category::Data => Error::bad_request(
                "invalid_request",
                format!(
                    "The request body is not what this endpoint takes: {}.",
                    describe(e.path(), &inner.to_string())
                ),
            ),
            serde_json::error::Category::Eof => Error::bad_request(
                "malformed_json",
                "The body is not valid JSON: it ends too early.",
            ),
            _ => Error::bad_request(
                "malformed_json",
                format!(
                    "The body is not valid JSON (line {}, column {}).",
                    inner.line(),
                    inner.column()
                ),
            ),
        }
    })?;
    Ok(value)
}

/// A query string read as `T`, or Ward's 400 saying where and why.
pub fn from_query<T: DeserializeOwned>(query: &str) -> Result<T, Error> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        Error::bad_request(
            "invalid_query",
            format!(
                "The query string is not what this endpoint takes: {}.",
                describe(e.path(), &e.inner().to_string())
            ),
        )
    })
}

/// "`where`: what it takes", from serde's path and message, keeping only what Ward's own
/// types wrote: the names of fields Ward defines and the "expected …" part.
fn describe(path: &serde_path_to_error::Path, message: &str) -> String {
    use serde_path_to_error::Segment;
    let mut at = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => at.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !at.is_empty() {
                    at.push('.');
                }
                if crate::http::openapi::is_known_name(key) {
                    at.push_str(key);
                } else {
                    at.push('…');
                }
            }
            Segment::Unknown => {}
        }
    }
    // serde_json appends " at line L column C"; the rest is serde's sentence.
    let message = message.rsplit_once(" at line ").map_or(message, |(m, _)| m);
    let what = if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|f| f.split('`').next())
        .filter(|f| crate::http::openapi::is_known_name(f))
    {
        format!("`{field}` is missing")
    } else if let Some((_, expected)) = message.rsplit_once(", expected ") {
        // "invalid type: <what was sent>, expected <what the type takes>": the sent
        // part is dropped.
        format!("expected {expected}")
    } else {
        "the value is not one it takes".to_string()
    };
    if at.is_empty() {
        what
    } else {
        format!("`{at}`: {what}")
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if is_json(req.headers()) != Some(true) {
            return Err(not_json().into());
        }
        let bytes = body_bytes(req, state).await?;
        Ok(JsonBody(from_json(&bytes)?))
    }
}

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let declared = is_json(req.headers());
        let bytes = body_bytes(req, state).await?;
        // No body, or JSON `null`, is the default.
        if bytes.iter().all(u8::is_ascii_whitespace) || bytes.trim_ascii() == b"null" {
            return Ok(OptionalJsonBody(T::default()));
        }
        if declared == Some(false) {
            return Err(not_json().into());
        }
        Ok(OptionalJsonBody(from_json(&bytes)?))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Query(from_query(parts.uri.query().unwrap_or_default())?))
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::path::ErrorKind as PathError;
        // The route's parameter names (its own, from the template), to name the one at
        // fault when there is only one.
        let names: Vec<String> = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .map(|raw| raw.iter().map(|(k, _)| k.to_string()).collect())
            .unwrap_or_default();
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                let message = match e.into_kind() {
                    PathError::ParseErrorAtKey {
                        key, expected_type, ..
                    } if crate::http::openapi::is_known_name(&key) => {
                        format!("The path parameter `{key}` must be {expected_type}.")
                    }
                    PathError::ParseError { expected_type, .. }
                        if names.len() == 1 && crate::http::openapi::is_known_name(&names[0]) =>
                    {
                        format!("The path parameter `{}` must be {expected_type}.", names[0])
                    }
                    PathError::ParseError { expected_type, .. }
                    | PathError::ParseErrorAtKey { expected_type, .. }
                    | PathError::ParseErrorAtIndex { expected_type, .. } => {
                        format!("A path parameter must be {expected_type}.")
                    }
                    _ => "A path parameter is not what this endpoint takes.".to_string(),
                };
                Err(Error::bad_request("invalid_path", message).into())
            }
            Err(_) => Err(Error::internal("a route's path parameters are missing").into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        title: Option<String>,
        reuse_empty: Option<bool>,
        limit: Option<u64>,
    }

    const SECRET: &str = "Jane Roe born 1961-04-12";

    #[test]
    fn a_wrong_value_is_described_without_being_quoted() {
        for body in [
            format!(r#"{{"reuse_empty": "{SECRET}"}}"#),
            format!(r#"{{"title": ["{SECRET}"]}}"#),
            format!(r#"{{"limit": "{SECRET}"}}"#),
            format!(r#"{{"title": "{SECRET}", "reuse_empty": 1}}"#),
            format!(r#"{{"title": "{SECRET}"#),
            format!(r#"{{"title": {SECRET}}}"#),
        ] {
            let e = from_json::<Body>(body.as_bytes()).unwrap_err();
            assert_eq!(e.status(), 400, "{body}");
            for part in ["Jane", "Roe", "1961"] {
                assert!(!e.message.contains(part), "{body} → {}", e.message);
            }
        }
        let e = from_json::<Body>(br#"{"reuse_empty": "x"}"#).unwrap_err();
        assert_eq!(e.code, "invalid_request");
        assert!(
            e.message.contains("`reuse_empty`: expected a boolean"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_query_string_error_names_the_parameter_not_the_value() {
        let e = from_query::<Body>("limit=Jane%20Roe").unwrap_err();
        assert_eq!(e.code, "invalid_query");
        assert!(e.message.contains("`limit`"), "{}", e.message);
        assert!(!e.message.contains("Jane"), "{}", e.message);
    }
}

//! Cross-cutting HTTP layers: the request id, one tracing span per request (method, path
//! without its query, request id, status, latency — never a body, a query string, a token
//! or a header value), response metrics, and security headers.

use crate::http::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;
use tracing::Instrument;
use ward_core::spans::WardSpan;

/// The route template the router matched (`/frontend/api/chat/history/{id}/`), never the
/// path requested: a label for the exported span. Templates are Ward's own, and few, so
/// each is kept once for the life of the process. Static files and unknown paths (no
/// matched route) are `fallback`.
fn route_label(matched: Option<&MatchedPath>) -> &'static str {
    static TEMPLATES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let Some(matched) = matched else {
        return "fallback";
    };
    let mut templates = TEMPLATES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(t) = templates.get(matched.as_str()) {
        return t;
    }
    let t: &'static str = Box::leak(matched.as_str().to_owned().into_boxed_str());
    templates.insert(t);
    t
}

/// The request-id header.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The Content-Security-Policy of everything that is not an app page (pages set their own,
/// with the nonce of their inline hydration script: see `app::security`).
pub const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Gives every request an id (keeping a sane one the client sent), runs it in a span,
/// logs its end, counts it, and adds the security headers.
pub async fn observe(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    req.headers_mut().insert(
        REQUEST_ID.clone(),
        HeaderValue::from_str(&id).expect("checked ASCII"),
    );
    let span = tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = %id,
    );
    // The exported (OpenTelemetry) span: method and route template, then the status.
    let exported = WardSpan::request(
        req.method(),
        route_label(req.extensions().get::<MatchedPath>()),
    );
    let started = Instant::now();
    let mut res = next
        .run(req)
        .instrument(exported.span().clone())
        .instrument(span.clone())
        .await;
    let status = res.status().as_u16();
    exported.set("http.response.status_code", status);
    app.ward.metrics.http_response(status);
    span.in_scope(|| {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::error!(status, latency_ms = ms, "request failed");
        } else {
            tracing::info!(status, latency_ms = ms, "request finished");
        }
    });
    let h = res.headers_mut();
    h.insert(
        REQUEST_ID.clone(),
        HeaderValue::from_str(&id).expect("checked ASCII"),
    );
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(API_CSP));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    let is_asset = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("application/wasm")
                || t.starts_with("text/css")
                || t.contains("javascript")
                || t.starts_with("image/")
        });
    if !is_asset {
        // Responses carry PHI: never cache them.
        h.entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    res
}

//! Calls to Ward's JSON API from the browser. Every state-changing call carries the CSRF
//! token from the `ward_csrf` cookie (`__Host-ward_csrf` when Secure); errors come back as [`ApiError`] with Ward's
//! `{error, code}` body. On the server (SSR) these calls are never made (a page's first
//! data comes with the page, [`crate::page_data`]; the rest is loaded after hydration), so
//! the functions only exist as stubs there.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// `GET`: what the chat screen shows about the model and its limits.
pub const CHAT_CONFIG: &str = ward_domain::paths::api::CHAT_CONFIG;

/// Runs `f` once in the browser, after the screen is mounted: where a screen starts its
/// first API reads (never while it renders on the server, which has no browser to call
/// from, nor during hydration, whose first render must match the server's).
pub fn on_mount(f: impl FnOnce() + 'static) {
    let mut f = Some(f);
    leptos::prelude::Effect::new(move |_| {
        if let Some(f) = f.take() {
            leptos::prelude::untrack(f);
        }
    });
}

/// The CSRF header of a state-changing call.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// A failed call: the status and Ward's error body. It is also the error of the app's
/// server functions ([`crate::server_fns`]), where it crosses the wire as Ward's
/// `{"error", "code"}`: the status and `Retry-After` travel in the response's status
/// line and header, not in the body.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ApiError {
    /// HTTP status (0 when the network failed or the call was stopped).
    #[serde(default, skip_serializing)]
    pub status: u16,
    /// A sentence for people.
    #[serde(rename = "error")]
    pub message: String,
    /// The machine code (`network` and `aborted` are the app's own).
    pub code: String,
    /// Seconds to wait, for 429 (from `Retry-After`).
    #[serde(default, skip_serializing)]
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// The network failed (Ward unreachable, connection dropped).
    pub fn network(e: impl std::fmt::Display) -> Self {
        ApiError {
            status: 0,
            message: format!("Ward cannot be reached ({e})."),
            code: "network".into(),
            retry_after: None,
        }
    }

    /// The person stopped the call.
    pub fn aborted() -> Self {
        ApiError {
            status: 0,
            message: "Stopped.".into(),
            code: "aborted".into(),
            retry_after: None,
        }
    }

    /// Whether the caller is not signed in (or their session ended).
    pub fn is_unauthenticated(&self) -> bool {
        self.status == 401
    }
}

/// The CSRF token of this browser session.
#[cfg(feature = "hydrate")]
pub fn csrf_token() -> Option<String> {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()?
        .document()?
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()?;
    let cookies = doc.cookie().ok()?;
    ward_domain::api::csrf_cookie_value(&cookies).map(str::to_string)
}

/// A non-2xx answer as an [`ApiError`]: Ward's `{"error", "code"}` body with the
/// response's status and `Retry-After` (seconds); a body that is not Ward's (a proxy's
/// page) becomes one that says the status.
pub fn error_from(status: u16, retry_after: Option<u64>, body: &str) -> ApiError {
    let body = serde_json::from_str::<ward_domain::api::ErrorBody>(body).ok();
    ApiError {
        status,
        message: body
            .as_ref()
            .map(|b| b.error.clone())
            .unwrap_or_else(|| format!("Ward answered {status}.")),
        code: body.map(|b| b.code).unwrap_or_default(),
        retry_after,
    }
}

/// Turns a non-2xx response into an [`ApiError`] (Ward's body and `Retry-After`).
#[cfg(feature = "hydrate")]
pub async fn error_of(res: gloo_net::http::Response) -> ApiError {
    let status = res.status();
    let retry_after = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    let body = res.text().await.unwrap_or_default();
    error_from(status, retry_after, &body)
}

/// `method path`, with `body` (JSON text) and the CSRF header if there is a body: the
/// answer's text (`null` for 204 No Content), or the error. Every call to Ward's JSON API
/// goes through this one function (the typed ones only encode and decode), so the
/// browser's code for it is there once.
#[cfg(feature = "hydrate")]
pub(crate) async fn exchange(
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<String, ApiError> {
    use gloo_net::http::Request;
    let builder = match method {
        "GET" => Request::get(path),
        "PATCH" => Request::patch(path),
        "PUT" => Request::put(path),
        "DELETE" => Request::delete(path),
        _ => Request::post(path),
    };
    let sent = match body {
        None => builder.send().await,
        Some(body) => {
            let builder = builder.header("Content-Type", "application/json");
            let builder = match csrf_token() {
                Some(t) => builder.header(CSRF_HEADER, &t),
                None => builder,
            };
            builder.body(body).map_err(ApiError::network)?.send().await
        }
    };
    let res = sent.map_err(ApiError::network)?;
    if !res.ok() {
        return Err(error_of(res).await);
    }
    if res.status() == 204 {
        return Ok("null".into());
    }
    res.text().await.map_err(ApiError::network)
}

/// JSON text as `T`.
#[cfg(feature = "hydrate")]
fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(ApiError::network)
}

/// `GET path` → JSON.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    #[cfg(feature = "hydrate")]
    {
        decode(&exchange("GET", path, None).await?)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = path;
        Err(ApiError::network("not in a browser"))
    }
}

/// `method path` with a JSON body → JSON, with the CSRF header.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    #[cfg(feature = "hydrate")]
    {
        let body = serde_json::to_string(body).map_err(ApiError::network)?;
        decode(&exchange(method, path, Some(body)).await?)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (method, path, serde_json::to_string(body));
        Err(ApiError::network("not in a browser"))
    }
}

/// `POST path` with a JSON body → JSON.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send("POST", path, body).await
}

/// `PATCH path` with a JSON body → JSON.
pub async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send("PATCH", path, body).await
}

/// `PUT path` with a JSON body → JSON.
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send("PUT", path, body).await
}

/// `POST path` with a file as the body (its content type given), with the CSRF header.
/// Returns the status and the JSON body, whatever the status; only a network failure is
/// an error.
#[cfg(feature = "hydrate")]
pub async fn upload_file(
    path: &str,
    content_type: &str,
    file: web_sys::File,
) -> Result<(u16, serde_json::Value), ApiError> {
    let builder = gloo_net::http::Request::post(path).header("Content-Type", content_type);
    let builder = match csrf_token() {
        Some(t) => builder.header(CSRF_HEADER, &t),
        None => builder,
    };
    let req = builder
        .body(wasm_bindgen::JsValue::from(file))
        .map_err(ApiError::network)?;
    let res = req.send().await.map_err(ApiError::network)?;
    let status = res.status();
    let body = res.json::<serde_json::Value>().await.unwrap_or_default();
    Ok((status, body))
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters stay).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query string (`?a=1&b=2`) from the pairs whose value is not blank; empty if none.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", encode_query_value(v.trim())))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_answer_keeps_its_status_and_a_foreign_body_says_it() {
        let body = r#"{"error": "Too many messages.", "code": "rate_limited"}"#;
        let e = error_from(429, Some(30), body);
        assert_eq!(
            (e.status, e.code.as_str(), e.message.as_str(), e.retry_after),
            (429, "rate_limited", "Too many messages.", Some(30))
        );
        let proxy = error_from(502, None, "<html>Bad gateway</html>");
        assert_eq!(
            (proxy.status, proxy.code.as_str(), proxy.message.as_str()),
            (502, "", "Ward answered 502.")
        );
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query_value("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn blank_filters_are_left_out_of_the_query() {
        let q = query_string(&[("user", "doctor".into()), ("patient", " ".into())]);
        assert_eq!(q, "?user=doctor");
        assert_eq!(query_string(&[("user", String::new())]), "");
    }
}

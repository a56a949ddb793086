//! Calls to Ward's JSON API from the browser. Every state-changing call carries the CSRF
//! token from the `ward_csrf` cookie; errors come back as [`ApiError`] with Ward's
//! `{error, code}` body.

use serde::de::DeserializeOwned;
use serde::Serialize;
#[cfg(feature = "hydrate")]
use ward_domain::api::ErrorBody;

/// A failed call: the status and Ward's error body.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// HTTP status (0 when the network failed).
    pub status: u16,
    /// A sentence for people.
    pub message: String,
    /// The machine code.
    pub code: String,
    /// Seconds to wait, for 429.
    pub retry_after: Option<u64>,
}

impl ApiError {
    fn network(e: impl std::fmt::Display) -> Self {
        ApiError {
            status: 0,
            message: format!("Ward cannot be reached ({e})."),
            code: "network".into(),
            retry_after: None,
        }
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
    cookies
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == "ward_csrf")
        .map(|(_, v)| v.to_string())
}

#[cfg(feature = "hydrate")]
async fn finish<T: DeserializeOwned>(
    res: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let res = res.map_err(ApiError::network)?;
    if res.ok() {
        return res.json::<T>().await.map_err(ApiError::network);
    }
    let status = res.status();
    let retry_after = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.parse().ok());
    let body: Option<ErrorBody> = res.json().await.ok();
    Err(ApiError {
        status,
        message: body
            .as_ref()
            .map(|b| b.error.clone())
            .unwrap_or_else(|| format!("Ward answered {status}.")),
        code: body.map(|b| b.code).unwrap_or_default(),
        retry_after,
    })
}

/// `GET path` → JSON.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    #[cfg(feature = "hydrate")]
    {
        finish(gloo_net::http::Request::get(path).send().await).await
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
        let builder = match method {
            "PATCH" => gloo_net::http::Request::patch(path),
            "PUT" => gloo_net::http::Request::put(path),
            "DELETE" => gloo_net::http::Request::delete(path),
            _ => gloo_net::http::Request::post(path),
        };
        let builder = match csrf_token() {
            Some(t) => builder.header("X-CSRF-Token", &t),
            None => builder,
        };
        let req = builder.json(body).map_err(ApiError::network)?;
        finish(req.send().await).await
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

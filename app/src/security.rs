//! The page's security headers, set while it renders on the server: a
//! Content-Security-Policy that allows only Ward's own scripts (and the inline hydration
//! script by its per-response nonce) and the WASM, and forbids framing.

use leptos::prelude::*;

/// The Content-Security-Policy of a page whose inline scripts carry `nonce`.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets the page's CSP on the response being rendered.
pub fn set_page_headers() {
    let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(v) = http::HeaderValue::from_str(&page_csp(&nonce)) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
}

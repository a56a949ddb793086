//! Ward's WASM entry point: hydrates the server-rendered app.

/// Called by the hydration script Leptos puts in the page. Marks `<body>` with
/// `data-hydrated="true"` once the app is live (tests and timing wait for it).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

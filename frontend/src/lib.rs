//! Ward's WASM entry point: hydrates the server-rendered app.

/// Called by the hydration script Leptos puts in the page. Hydration waits for the WASM
/// chunk of a lazy route when the page opens on one (`app`'s routes say which), and for
/// the chunk that draws replies and tool results when the page shows any (the server
/// rendered them; the browser must draw the same to hydrate them), so it is
/// asynchronous. Once the app is live, `<body>` gets `data-hydrated="true"` (tests and
/// timing wait for it).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        else {
            return;
        };
        if app::pages::transcript::rich_content_shown() {
            app::pages::transcript::load_rich_views().await;
        }
        let app = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        app.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}

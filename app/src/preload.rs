//! What a page's head names for the browser to fetch at once: the split build's loader
//! script, as `<link rel="modulepreload">`. (The data a page starts with is in the page
//! itself: [`crate::page_data`].)

/// The loader that `cargo leptos … --split` writes beside the main module. The main
/// module's JS imports it, so without a hint the browser would ask for it only once that
/// JS has arrived, and the WASM could not start before a second round trip.
pub const SPLIT_LOADER: &str = "__wasm_split.______________________.js";

/// The `modulepreload` of the split loader, when the build has one (SSR only; whether the
/// file exists is checked once per process).
#[cfg(feature = "ssr")]
pub fn links(options: &leptos::config::LeptosOptions) -> impl leptos::IntoView {
    use leptos::prelude::*;
    use std::sync::OnceLock;
    static SPLIT: OnceLock<Option<String>> = OnceLock::new();
    SPLIT
        .get_or_init(|| {
            let pkg = format!("{}/{}", options.site_root, options.site_pkg_dir);
            std::path::Path::new(&pkg)
                .join(SPLIT_LOADER)
                .exists()
                .then(|| format!("/{}/{SPLIT_LOADER}", options.site_pkg_dir))
        })
        .clone()
        .map(|href| view! { <link rel="modulepreload" href=href/> })
}

/// In the browser the document head is never rendered: nothing to add.
#[cfg(not(feature = "ssr"))]
pub fn links(_options: &leptos::config::LeptosOptions) -> impl leptos::IntoView {}

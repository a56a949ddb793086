//! Ward's browser app: the Leptos components, rendered on the server and hydrated in the
//! browser, and the server functions that sit next to the components using them.
//!
//! - [`shell`]: the HTML document (with the page's Content-Security-Policy nonce).
//! - [`App`]: the router.
//! - [`client`]: calls to Ward's JSON API from the browser (gloo-net), with the CSRF
//!   header.
//! - [`pages`]: one module per screen.

pub mod client;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod security;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::set_page_headers();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The app: routes under `/frontend/` (the prototype's path).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="ward" href="/pkg/ward.css"/>
        <Title text="Ward"/>
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/frontend/login") view=pages::login::LoginPage/>
                <Route path=path!("/frontend") view=pages::home::HomePage/>
                <Route path=path!("/frontend/") view=pages::home::HomePage/>
            </Routes>
        </Router>
    }
}

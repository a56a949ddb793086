//! Ward's browser app: the Leptos components, rendered on the server and hydrated in the
//! browser. A page arrives with what its screen shows first ([`page_data`]); anything
//! later comes from Ward's JSON API.
//!
//! - [`shell`]: the HTML document (with the page's Content-Security-Policy nonce).
//! - [`App`]: the router.
//! - [`client`]: calls to Ward's JSON API from the browser (gloo-net), with the CSRF
//!   header.
//! - [`server_fns`]: the server functions of sessions and history (list, create, rename,
//!   archive, unarchive, history, the reviewers' archive), called from the browser with
//!   their arguments' struct (`server_fns::call`).
//! - [`chat_stream`]: the NDJSON chat stream, read from the response body as it arrives.
//! - [`signed_in`]: the signed-in user, the header and navigation.
//! - [`display`]: times, names and errors in plain words.
//! - [`charts`]: inline SVG bar charts.
//! - [`clinical`]: tool results as tables, trend charts, lists and timelines.
//! - [`markdown`]: safe markdown for assistant text, as a typed tree.
//! - [`page_data`]: what a page starts with (the user, the chat screen's first reads),
//!   loaded by the server and written into the page.
//! - [`preload`]: the split build's loader, named in the page's head.
//! - [`pages`]: one module per screen.

#![recursion_limit = "256"]

pub mod charts;
pub mod chat_stream;
pub mod client;
pub mod clinical;
pub mod display;
pub mod markdown;
pub mod page_data;
pub mod pages;
pub mod preload;
#[cfg(feature = "ssr")]
pub mod security;
pub mod server_fns;
pub mod signed_in;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, StaticSegment};

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
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone()/>
                {preload::links(&options)}
                {page_data::element()}
                <link rel="stylesheet" id="ward" href="/pkg/ward.css"/>
                <title>"Ward"</title>
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
    signed_in::provide_current_user(page_data::provide());
    view! {
        <Router>
            <Routes fallback=pages::not_found>
                <Route path=path!("/frontend/login") view={Lazy::<LoginRoute>::new()}/>
                // One chat screen for `/frontend/` and every `/frontend/chat/<id>`: opening
                // a session (also the first visit's) keeps it mounted.
                <ParentRoute path=path!("/frontend") view=pages::chat::ChatScreen>
                    <Route path=path!("") view=|| ()/>
                    <Route path=StaticSegment("/") view=|| ()/>
                    <Route path=path!("/chat/:id") view=|| ()/>
                </ParentRoute>
                <Route path=path!("/frontend/reviews") view={Lazy::<ReviewsRoute>::new()}/>
                <Route path=path!("/frontend/reviews/:id") view={Lazy::<ReviewRoute>::new()}/>
                <Route path=path!("/frontend/audit") view={Lazy::<AuditRoute>::new()}/>
                <Route path=path!("/frontend/admin") view={Lazy::<AdminRoute>::new()}/>
            </Routes>
        </Router>
    }
}

// Every screen but chat is a lazy route: a build with `cargo leptos build --split` puts
// each in its own WASM chunk, fetched when the route is first shown, so the main module
// carries only the frame and chat. Without `--split` they are ordinary routes.

/// A lazy route (no route data) that shows one screen component.
macro_rules! lazy_screen {
    ($(#[$doc:meta])* $route:ident => $screen:path) => {
        $(#[$doc])*
        struct $route;
        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }
            fn view(_this: Self) -> AnyView {
                $screen().into_any()
            }
        }
    };
}

lazy_screen!(/** `/frontend/login`. */ LoginRoute => pages::login::LoginPage);
lazy_screen!(/** `/frontend/reviews`. */ ReviewsRoute => pages::reviews::ReviewsScreen);
lazy_screen!(/** `/frontend/reviews/:id`. */ ReviewRoute => pages::reviews::ReviewScreen);
lazy_screen!(/** `/frontend/audit`. */ AuditRoute => pages::audit::AuditScreen);
lazy_screen!(/** `/frontend/admin`. */ AdminRoute => pages::admin::AdminScreen);

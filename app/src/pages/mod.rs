//! The screens.

pub mod admin;
pub mod audit;
pub mod chat;
pub mod login;
pub mod reviews;
pub mod transcript;

use leptos::prelude::*;

/// Shown for an unknown page.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="centered">
            <h1>"Page not found"</h1>
            <p><a href="/frontend/">"Back to Ward"</a></p>
        </main>
    }
}

//! The screens.

pub mod admin;
pub mod audit;
pub mod chat;
pub mod login;
pub mod reviews;
pub mod transcript;

use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;
use leptos::tachys::view::keyed::{keyed, SerializableKey};
use std::hash::Hash;

/// The rows of `rows()`, each drawn by `row` and kept (with its state) for as long as its
/// `key` stays in the list. What leptos' `For` does, as a plain view: a component would be
/// one more type-erased view in the WASM for each list.
pub(crate) fn keyed_rows<T, K, N>(
    rows: impl Fn() -> Vec<T> + Send + 'static,
    key: impl Fn(&T) -> K + Send + Clone + 'static,
    row: impl Fn(T) -> N + Send + Clone + 'static,
) -> impl IntoView
where
    T: Send + 'static,
    K: Eq + Hash + SerializableKey + 'static,
    N: IntoView + 'static,
{
    // Each row gets an owner of its own under the list's, so a row's effects and context
    // live and die with the row.
    let list = Owner::current().expect("a view is drawn under an owner");
    let row = move |_, item| {
        let owner = list.with(Owner::new);
        let view = owner.with(|| row(item));
        (drop, OwnedView::new_with_owner(view, owner))
    };
    move || keyed(rows(), key.clone(), row.clone())
}

/// Shown for an unknown page.
pub fn not_found() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="centered">
            <h1>"Page not found"</h1>
            <p><a href=ward_domain::paths::screen::HOME>"Back to Ward"</a></p>
        </main>
    }
}

//! The home screen.

use crate::client;
use leptos::prelude::*;
use ward_domain::api::WhoAmI;

/// The signed-in user's home.
#[component]
pub fn HomePage() -> impl IntoView {
    let me = LocalResource::new(|| client::get::<WhoAmI>("/frontend/whoami/"));
    view! {
        <main class="home">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || me.get().map(|r| match r {
                    Ok(me) => view! {
                        <header class="topbar">
                            <span class="user-name" data-testid="user-name">{me.display_name.clone()}</span>
                            <span class="user-roles" data-testid="user-roles">
                                {me.roles.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ")}
                            </span>
                        </header>
                    }.into_any(),
                    Err(_) => view! { <p><a href="/frontend/login">"Sign in"</a></p> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

//! Sign-in.

use crate::client;
use leptos::prelude::*;
use ward_domain::api::{LoginRequest, WhoAmI};

/// The sign-in form.
#[component]
pub fn LoginPage() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match client::post::<_, WhoAmI>("/frontend/login/", &body).await {
                Ok(_) => {
                    let navigate = leptos_router::hooks::use_navigate();
                    navigate("/frontend/", Default::default());
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <main class="login">
            <form class="login-card" on:submit=submit aria-labelledby="login-title">
                <h1 id="login-title">"Ward"</h1>
                <p class="muted">"Sign in with your hospital account."</p>
                <label for="username">"Username"</label>
                <input id="username" name="username" autocomplete="username" required
                    prop:value=username on:input=move |e| username.set(event_target_value(&e))/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    prop:value=password on:input=move |e| password.set(event_target_value(&e))/>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert">{move || error.get()}</p>
                </Show>
                <button type="submit" disabled=move || busy.get()>"Sign in"</button>
            </form>
        </main>
    }
}

//! Sign-in.

use crate::client;
use crate::signed_in::{home_path, use_current_user, CurrentUser};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use ward_domain::api::{LoginRequest, WhoAmI};

/// The sign-in form.
#[component]
pub fn LoginPage() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let CurrentUser(user) = use_current_user();
    let navigate = use_navigate();
    let username_ref = NodeRef::<leptos::html::Input>::new();
    // Effects run only in the browser: until then the form cannot be sent (a click before
    // hydration would submit it as a plain form).
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    Effect::new(move |_| {
        if let Some(el) = username_ref.get() {
            let _ = el.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let body = LoginRequest {
            username: username.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match client::post::<_, WhoAmI>("/frontend/login/", &body).await {
                Ok(me) => {
                    let home = home_path(&me);
                    user.set(Some(me));
                    navigate(home, Default::default());
                }
                Err(e) => {
                    error.set(Some(if e.status == 401 {
                        "The username or password is not right. Try again.".into()
                    } else {
                        e.message
                    }));
                    password.set(String::new());
                }
            }
            busy.set(false);
        });
    };
    view! {
        <main id="main" class="login">
            <form class="login-card" method="post" action="/frontend/login" on:submit=submit aria-labelledby="login-title">
                <h1 id="login-title">"Ward"</h1>
                <p class="muted">"Sign in with your hospital account."</p>
                <label for="username">"Username"</label>
                <input id="username" name="username" autocomplete="username" required
                    node_ref=username_ref
                    prop:value=username on:input=move |e| username.set(event_target_value(&e))/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    prop:value=password on:input=move |e| password.set(event_target_value(&e))/>
                <p class="error" role="alert" data-testid="login-error">{move || error.get()}</p>
                <button type="submit" class="primary" disabled=move || busy.get() || !hydrated.get()>
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}

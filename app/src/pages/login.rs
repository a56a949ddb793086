//! Sign-in: the password form and, when configured, single sign-on.

use crate::client;
use crate::signed_in::{home_path, use_current_user, CurrentUser};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ward_domain::api::{LoginRequest, WhoAmI};
use ward_domain::paths::{api, screen};

/// Where single sign-on starts (a plain link: it works before hydration too).
pub const SSO_SIGN_IN: &str = api::OIDC_LOGIN;
/// Where the identity provider's sign-out starts.
pub const SSO_SIGN_OUT: &str = api::OIDC_LOGOUT;

/// What a single sign-on refusal (`?sso_error=<code>`, set by the callback) means, in
/// Ward's own words: the code is looked up, never shown.
pub fn sso_error_message(code: &str) -> &'static str {
    match code {
        "sso_no_role" => {
            "Your hospital account has no role in Ward: none of its groups is one that Ward \
             gives access to. Ask your administrator to add you to a Ward group."
        }
        "sso_inactive" => "Your Ward account is deactivated. Ask an administrator.",
        "sso_username_taken" => {
            "A Ward account with your username already exists and is not linked to your \
             hospital sign-in. Ask an administrator to link or rename it."
        }
        "sso_state_invalid" => {
            "That sign-in link is not valid any more (it was used, it expired, or it was \
             started in another browser). Start again."
        }
        "sso_cancelled" => "Single sign-on was cancelled or refused by the sign-in service.",
        _ => "Single sign-on did not complete. Try again, or ask your administrator.",
    }
}

/// The single sign-on part of the page: the button, and after a Ward sign-out the offer
/// to sign out of the identity provider too.
fn sso_block(signed_out: bool) -> impl IntoView {
    view! {
        <a class="sso" href=SSO_SIGN_IN rel="external" data-testid="sso-sign-in">"Sign in with single sign-on"</a>
        {signed_out.then(|| view! {
            <p class="muted" data-testid="sso-signed-out">
                "You are signed out of Ward. "
                <a href=SSO_SIGN_OUT rel="external">"Also sign out of single sign-on"</a>
            </p>
        })}
    }
}

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let options = crate::page_data::sign_in_options();
    let query = use_query_map();
    let sso_error = query.with_untracked(|q| q.get("sso_error"));
    let signed_out = query.with_untracked(|q| q.get("signed_out")).is_some();
    let sso_alert = sso_error.map(|code| {
        view! { <p class="error" role="alert" data-testid="sso-error">{sso_error_message(&code)}</p> }
    });
    if !options.passwords {
        return Either::Left(view! {
            <main id="main" class="login">
                <section class="login-card" aria-labelledby="login-title">
                    <h1 id="login-title">"Ward"</h1>
                    <p class="muted">"Sign in with your hospital account."</p>
                    {sso_alert}
                    {sso_block(signed_out)}
                </section>
            </main>
        });
    }
    Either::Right(password_form(
        options.sso.then_some((sso_alert, signed_out)),
    ))
}

/// The password form, with single sign-on below it when configured.
fn password_form(sso: Option<(Option<impl IntoView + 'static>, bool)>) -> impl IntoView {
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
            match client::post::<_, WhoAmI>(api::LOGIN, &body).await {
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
            <form class="login-card" method="post" action=screen::SIGN_IN on:submit=submit aria-labelledby="login-title">
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
                {sso.map(|(alert, signed_out)| view! {
                    <p class="muted or">"or"</p>
                    {alert}
                    {sso_block(signed_out)}
                })}
            </form>
        </main>
    }
}

//! The signed-in frame around every screen: who is signed in (name, roles, care team),
//! the navigation their roles open, and sign-out. Sends people who are not signed in to
//! the sign-in page.

use crate::client::{self, ApiError};
use crate::display::role_label;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use ward_domain::api::WhoAmI;
use ward_domain::role::Role;

/// The signed-in user: `None` until known (always `None` while rendering on the server),
/// then who it is or why not. Loaded once per page load; sign-in sets it directly.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub RwSignal<Option<Result<WhoAmI, ApiError>>>);

/// Loads the signed-in user (in the browser, after hydration) and makes it available to
/// every screen.
pub fn provide_current_user() {
    let user = RwSignal::new(None);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let found = client::get::<WhoAmI>(crate::preload::WHOAMI).await;
            // A sign-in that finished first wins over an older "not signed in".
            user.update(|u| {
                if u.is_none() || found.is_ok() {
                    *u = Some(found);
                }
            });
        });
    });
    provide_context(CurrentUser(user));
}

/// The signed-in user's resource.
pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

/// Whether the user may chat (holds a role with tools).
pub fn can_chat(me: &WhoAmI) -> bool {
    me.is_superuser
        || me
            .roles
            .iter()
            .any(|r| matches!(r, Role::Doctor | Role::Nurse | Role::Billing | Role::Admin))
}

/// Whether the user may read archived sessions of everyone.
pub fn can_review(me: &WhoAmI) -> bool {
    me.roles
        .iter()
        .any(|r| matches!(r, Role::Reviewer | Role::Auditor))
}

/// Whether the user may read the audit trail.
pub fn can_audit(me: &WhoAmI) -> bool {
    me.roles.contains(&Role::Auditor)
}

/// Whether the user administers Ward.
pub fn can_administer(me: &WhoAmI) -> bool {
    me.roles.contains(&Role::Admin)
}

/// The first screen a user's roles open.
pub fn home_path(me: &WhoAmI) -> &'static str {
    if can_chat(me) {
        "/frontend/"
    } else if can_audit(me) {
        "/frontend/audit"
    } else if can_review(me) {
        "/frontend/reviews"
    } else {
        "/frontend/"
    }
}

/// The frame: header and navigation, then `page` with the signed-in user.
#[component]
pub fn SignedIn<F, V>(page: F) -> impl IntoView
where
    F: Fn(WhoAmI) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let CurrentUser(user) = use_current_user();
    // The server always renders the loading frame. A lazy route hydrates after its chunk
    // arrives, by when the user may be known: showing it before this frame is mounted
    // would not match the server's HTML, so it waits for the first effect.
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Err(e)) = user.get() {
            if e.is_unauthenticated() {
                navigate("/frontend/login", Default::default());
            }
        }
    });
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        {move || match user.get().filter(|_| mounted.get()) {
            None => view! {
                <main id="main" class="centered" aria-busy="true">
                    <p class="muted">"Loading Ward…"</p>
                </main>
            }.into_any(),
            Some(Err(e)) if e.is_unauthenticated() => view! {
                <main id="main" class="centered">
                    <p><a href="/frontend/login">"Sign in to Ward"</a></p>
                </main>
            }.into_any(),
            Some(Err(e)) => view! {
                <main id="main" class="centered">
                    <p class="error" role="alert">{e.message}</p>
                </main>
            }.into_any(),
            Some(Ok(me)) => view! {
                <TopBar me=me.clone()/>
                <main id="main" tabindex="-1">{page(me)}</main>
            }.into_any(),
        }}
    }
}

/// Signs out (revokes the session) and goes to the sign-in page.
fn sign_out() {
    leptos::task::spawn_local(async move {
        let _ = client::post::<_, ()>("/frontend/logout/", &serde_json::json!({})).await;
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.location().assign("/frontend/login");
        }
    });
}

/// The header: navigation, the user, roles, care team, sign-out.
#[component]
fn TopBar(me: WhoAmI) -> impl IntoView {
    let roles = me.roles.clone();
    let team = me.care_team.clone();
    let team_summary = match (&team.unit, team.patients.len()) {
        (_, 0) => None,
        (Some(unit), n) => Some(format!("Care team: {unit}, {n} patients")),
        (None, n) => Some(format!("Care team: {n} patients")),
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/frontend/">"Ward"</a>
            <nav aria-label="Main">
                <ul class="nav-links">
                    {can_chat(&me).then(|| view! { <li><A href="/frontend/" exact=true>"Chat"</A></li> })}
                    {can_review(&me).then(|| view! { <li><A href="/frontend/reviews">"Archived sessions"</A></li> })}
                    {can_audit(&me).then(|| view! { <li><A href="/frontend/audit">"Audit trail"</A></li> })}
                    {can_administer(&me).then(|| view! { <li><A href="/frontend/admin">"Admin"</A></li> })}
                </ul>
            </nav>
            <div class="who">
                <span class="user-name" data-testid="user-name">{me.display_name.clone()}</span>
                <span class="user-roles" data-testid="user-roles" aria-label="Roles">
                    {roles.into_iter().map(|r| view! { <span class="chip">{role_label(r)}</span> }).collect_view()}
                </span>
                {team_summary.map(|summary| view! {
                    <details class="care-team" data-testid="care-team">
                        <summary>{summary}</summary>
                        <ul class="care-team-list">
                            {team.patients.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}
                        </ul>
                    </details>
                })}
                <button type="button" class="quiet" on:click=move |_| sign_out()>"Sign out"</button>
            </div>
        </header>
    }
}

//! The signed-in frame around every screen: who is signed in (name, roles, care team),
//! the navigation their roles open, and sign-out. Sends people who are not signed in to
//! the sign-in page.

use crate::client;
use crate::display::role_label;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use ward_domain::api::WhoAmI;
use ward_domain::paths::{api, screen};

/// The signed-in user: known from the page's data when the page loads (the server sends
/// the signed-out to sign-in), set by sign-in, `None` when nobody is signed in.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub RwSignal<Option<WhoAmI>>);

/// Makes the signed-in user (`me`, from the page's data) available to every screen.
pub fn provide_current_user(me: Option<WhoAmI>) {
    provide_context(CurrentUser(RwSignal::new(me)));
}

/// The signed-in user's signal.
pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

/// Whether the user may chat (the policy gives them a tool: `whoami`'s capabilities).
pub fn can_chat(me: &WhoAmI) -> bool {
    me.capabilities.chat
}

/// Whether the user may break the glass (for a patient outside their care team, when a
/// tool is refused with `break_glass_required`).
pub fn can_break_glass(me: &WhoAmI) -> bool {
    me.capabilities.break_glass.is_some()
}

/// Whether the user may read archived sessions of everyone.
pub fn can_review(me: &WhoAmI) -> bool {
    me.capabilities.review_archives
}

/// Whether the user may read the audit trail.
pub fn can_audit(me: &WhoAmI) -> bool {
    me.capabilities.audit
}

/// Whether the user administers Ward.
pub fn can_administer(me: &WhoAmI) -> bool {
    me.capabilities.administer
}

/// The first screen a user's capabilities open.
pub fn home_path(me: &WhoAmI) -> &'static str {
    if can_chat(me) {
        screen::HOME
    } else if can_audit(me) {
        screen::AUDIT
    } else if can_review(me) {
        screen::REVIEWS
    } else if can_administer(me) {
        screen::ADMIN
    } else {
        screen::HOME
    }
}

/// The frame: header and navigation, then `page` with the signed-in user. Rendered on the
/// server with the user from the page's data, so the browser hydrates it as it is.
#[component]
pub fn SignedIn<F, V>(page: F) -> impl IntoView
where
    F: Fn(WhoAmI) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let CurrentUser(user) = use_current_user();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if user.with(Option::is_none) {
            navigate(crate::page_data::SIGN_IN, Default::default());
        }
    });
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        {move || match user.get() {
            None => Either::Left(view! {
                <main id="main" class="centered">
                    <p><a href=crate::page_data::SIGN_IN>"Sign in to Ward"</a></p>
                </main>
            }),
            Some(me) => Either::Right(view! {
                {me.demo.then(demo_banner)}
                {top_bar(me.clone())}
                <main id="main" tabindex="-1">{page(me)}</main>
            }),
        }}
    }
}

/// Signs out (revokes the session) and goes to the sign-in page.
fn sign_out() {
    /// Sign-out takes no fields: its body is `{}`.
    #[derive(serde::Serialize)]
    struct NoFields {}
    leptos::task::spawn_local(async move {
        let _ = client::post::<_, ()>(api::LOGOUT, &NoFields {}).await;
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            // `signed_out` lets the sign-in page offer the identity provider's sign-out.
            let _ = w.location().assign(screen::SIGNED_OUT);
        }
    });
}

/// A link of the main navigation, marked `aria-current="page"` on its screen (for chat,
/// `/frontend/` and every session).
fn nav_link(href: &'static str, label: &'static str) -> impl IntoView {
    let path = use_location().pathname;
    let here = move || {
        path.with(|p| match href {
            screen::HOME => crate::pages::chat::session_in_path(p).is_some(),
            other => p == other || p.starts_with(&format!("{other}/")),
        })
    };
    view! { <li><a href=href aria-current=move || here().then_some("page")>{label}</a></li> }
}

/// The banner of demo mode (`WhoAmI::demo`): demo users with public passwords and made-up
/// patients, never for real data.
fn demo_banner() -> impl IntoView {
    view! {
        <div class="demo-banner" role="note" data-testid="demo-banner">
            <strong>"Demo"</strong>
            <span class="demo-detail">
                " — demo mode: made-up patients and demo accounts with public passwords. \
                 Not for real patient data."
            </span>
        </div>
    }
}

/// The header: navigation, the user, roles, care team, sign-out.
fn top_bar(me: WhoAmI) -> impl IntoView {
    let roles = me.roles.clone();
    let team = me.care_team.clone();
    let team_summary = match (&team.unit, team.patients.len()) {
        (_, 0) => None,
        (Some(unit), n) => Some(format!("Care team: {unit}, {n} patients")),
        (None, n) => Some(format!("Care team: {n} patients")),
    };
    view! {
        <header class="topbar">
            <a class="brand" href=screen::HOME>"Ward"</a>
            <nav aria-label="Main">
                <ul class="nav-links">
                    {can_chat(&me).then(|| nav_link(screen::HOME, "Chat"))}
                    {can_review(&me).then(|| nav_link(screen::REVIEWS, "Archived sessions"))}
                    {can_audit(&me).then(|| nav_link(screen::AUDIT, "Audit trail"))}
                    {can_administer(&me).then(|| nav_link(screen::ADMIN, "Admin"))}
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

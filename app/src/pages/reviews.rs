//! The reviewers' browser: archived sessions of every user, searchable, read only.

use crate::client::on_mount;
use crate::display::{explain_error, short_time, Problem};
use crate::pages::transcript::{conversation, items_from_history, preload_rich_views, ChatItem};
use crate::server_fns;
use crate::signed_in::{can_audit, can_review, SignedIn};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use ward_domain::api::{SessionSummary, WhoAmI};
use ward_domain::paths::{fill, screen};

/// `/frontend/reviews`: search and list archived sessions.
#[component]
pub fn ReviewsScreen() -> impl IntoView {
    view! { <SignedIn page=|me: WhoAmI| view! { <ArchivedSessions me/> }/> }
}

/// `/frontend/reviews/<id>`: one archived session, read only.
#[component]
pub fn ReviewScreen() -> impl IntoView {
    view! { <SignedIn page=|me: WhoAmI| view! { <ArchivedSession me/> }/> }
}

fn not_allowed() -> AnyView {
    view! {
        <div class="page">
            <h1>"Archived sessions"</h1>
            <p class="problem" role="alert">"Only reviewers and auditors read archived sessions."</p>
        </div>
    }
    .into_any()
}

#[component]
fn ArchivedSessions(me: WhoAmI) -> impl IntoView {
    if !can_review(&me) {
        return not_allowed();
    }
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Vec<SessionSummary>>);
    let problem = RwSignal::new(None::<Problem>);
    let search = move || {
        let q = query.get_untracked();
        spawn_local(async move {
            let q = Some(q.trim().to_string()).filter(|q| !q.is_empty());
            match server_fns::call(server_fns::ArchivedSessions { query: q }).await {
                Ok(list) => {
                    problem.set(None);
                    results.set(Some(list.sessions));
                }
                Err(e) => problem.set(Some(explain_error(&e))),
            }
        });
    };
    on_mount(search);
    view! {
        <div class="page" data-testid="reviews-page">
            <h1>"Archived sessions"</h1>
            <p class="muted">"Every user's archived chat sessions, read only. Opening one is recorded in the audit trail."</p>
            <form class="search-bar" role="search" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); search(); }>
                <label for="review-q">"Search title, user or patient"</label>
                <input id="review-q" type="search" prop:value=query
                    on:input=move |e| query.set(event_target_value(&e)) placeholder="e.g. PAT-001 or doctor"/>
                <button type="submit" class="primary">"Search"</button>
            </form>
            {move || problem.get().map(|p| view! { <div class="problem" role="alert"><strong>{p.headline}</strong><p>{p.detail}</p></div> })}
            <div aria-live="polite">
                {move || results.get().map(|list| if list.is_empty() {
                    view! { <p class="muted" data-testid="no-results">"No archived sessions match."</p> }.into_any()
                } else {
                    view! {
                        <p class="visually-hidden">{format!("{} sessions found", list.len())}</p>
                        <table class="data-table" data-testid="archived-table">
                            <caption class="visually-hidden">"Archived sessions, newest first"</caption>
                            <thead><tr><th scope="col">"Title"</th><th scope="col">"User"</th><th scope="col">"Patient"</th><th scope="col">"Messages"</th><th scope="col">"Last change"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|s| view! {
                                    <tr data-testid="archived-row">
                                        <td><a href=fill(screen::REVIEW, &s.id)>{s.title.clone()}</a></td>
                                        <td>{s.owner.clone().unwrap_or_default()}</td>
                                        <td>{s.patient_id.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td class="num">{s.message_count}</td>
                                        <td>{short_time(&s.updated_at)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                })}
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn ArchivedSession(me: WhoAmI) -> impl IntoView {
    if !can_review(&me) {
        return not_allowed();
    }
    let auditor = can_audit(&me);
    preload_rich_views();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let history = LocalResource::new(move || {
        let id = id.get();
        async move { server_fns::call(server_fns::SessionHistory { id }).await }
    });
    let items = RwSignal::new(Vec::<ChatItem>::new());
    Effect::new(move |_| {
        if let Some(Ok(h)) = history.get() {
            items.set(items_from_history(&h.messages));
        }
    });
    view! {
        <div class="page review" data-testid="review-page">
            <p><a href=screen::REVIEWS>"← All archived sessions"</a></p>
            {move || match history.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(e)) => {
                    let p = explain_error(&e);
                    let text = if e.status == 404 { "This archived session does not exist.".to_string() } else { p.detail };
                    view! { <p class="problem" role="alert">{text}</p> }.into_any()
                }
                Some(Ok(h)) => view! {
                    <h1>{h.title.clone()}</h1>
                    <p class="read-only-banner" data-testid="read-only-banner">
                        <strong>"Read only."</strong>
                        {format!(" Archived session of {}", h.owner.clone().unwrap_or_else(|| "an unknown user".into()))}
                        {h.patient_id.clone().map(|p| format!(" about patient {p}")).unwrap_or_default()}
                        "."
                    </p>
                    {auditor.then(|| view! {
                        <p><a href=format!("{}?session={}", screen::AUDIT, h.session_id) data-testid="audit-link">"Audit records of this session"</a></p>
                    })}
                    <div class="transcript read-only" role="log" aria-label="Conversation">
                        {conversation(items)}
                    </div>
                }.into_any(),
            }}
        </div>
    }
    .into_any()
}

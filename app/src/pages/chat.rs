//! The chat screen: the session list (new, rename, archive; newest first) beside the chat
//! panel, whose replies stream in token by token, with tool cards, a Stop button, errors
//! in plain words, the session's patient, the model's label, and the break-the-glass
//! dialog for a doctor asking about a patient outside their care team.

use crate::chat_stream::{send_message, StreamStop};
use crate::client::{self, ApiError};
use crate::display::{explain, explain_error, short_time, Problem};
use crate::pages::transcript::{items_from_history, ChatItem, ToolCard, Transcript};
use crate::preload;
use crate::signed_in::{can_chat, home_path, SignedIn};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use serde::Deserialize;
use ward_domain::api::{
    BreakGlassGrant, BreakGlassRequest, ChatMessageRequest, CreateSessionRequest, CreatedSession,
    History, SessionList, SessionSummary, UpdateSessionRequest, WhoAmI,
};
use ward_domain::chat::{ChatEventKind, ToolStatus};
use ward_domain::role::Role;

/// What the chat panel shows about the model (`GET /frontend/api/chat/config/`).
#[derive(Clone, Debug, Deserialize)]
pub struct ChatConfig {
    /// The provider kind (`offline`, `openai`, …).
    pub provider: String,
    /// The model.
    pub model: String,
    /// Whether it is the local offline agent.
    pub offline: bool,
    /// How PHI reaches the provider.
    pub phi_mode: String,
}

/// The chat route (`/frontend/` and `/frontend/chat/<id>`).
#[component]
pub fn ChatScreen() -> impl IntoView {
    view! { <SignedIn page=|me: WhoAmI| view! { <ChatHome me/> }/> }
}

fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

fn chat_path(id: &str) -> String {
    format!("/frontend/chat/{id}")
}

/// What a path means to the chat screen: `Some(Some(id))` for `/frontend/chat/<id>`,
/// `Some(None)` for `/frontend/` (open a fresh session), `None` for any other screen.
pub(crate) fn session_in_path(path: &str) -> Option<Option<String>> {
    if matches!(path, "/frontend" | "/frontend/") {
        return Some(None);
    }
    let id = path.strip_prefix("/frontend/chat/")?.trim_end_matches('/');
    (!id.is_empty() && !id.contains('/')).then(|| Some(id.to_string()))
}

/// The session a first visit opens: empty, so its history need not be read.
struct FreshSession {
    id: String,
    title: String,
    patient_id: Option<String>,
    /// Whether it was made just now (so a session list read before does not show it).
    created: bool,
}

/// Opens a session on a first visit: the newest one if it is still empty, else a new one.
/// Also gives the session list it read (the screen's list, unless a session was made).
async fn open_fresh_session() -> Result<(FreshSession, SessionList), ApiError> {
    let list: SessionList = client::get(preload::SESSIONS).await?;
    if let Some(empty) = list.sessions.iter().find(|s| s.message_count == 0) {
        let fresh = FreshSession {
            id: empty.id.clone(),
            title: empty.title.clone(),
            patient_id: empty.patient_id.clone(),
            created: false,
        };
        return Ok((fresh, list));
    }
    let created: CreatedSession = client::post(
        "/frontend/api/chat/session/",
        &CreateSessionRequest::default(),
    )
    .await?;
    let fresh = FreshSession {
        id: created.session_id,
        title: created.title,
        patient_id: None,
        created: true,
    };
    Ok((fresh, list))
}

#[component]
fn ChatHome(me: WhoAmI) -> impl IntoView {
    if !can_chat(&me) {
        return view! { <Redirect path=home_path(&me)/> }.into_any();
    }
    let may_break_glass = me.roles.contains(&Role::Doctor);
    // The chat screen is the parent of the session routes: the session comes from the path.
    // Leaving for another screen changes the path before this one is gone: that keeps
    // the session it had.
    let pathname = use_location().pathname;
    let session_id = Memo::new(move |prev: Option<&Option<String>>| {
        pathname
            .with(|p| session_in_path(p))
            .unwrap_or_else(|| prev.cloned().flatten())
    });
    let navigate = use_navigate();

    let sessions = RwSignal::new(Vec::<SessionSummary>::new());
    let items = RwSignal::new(Vec::<ChatItem>::new());
    let streaming = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let ready = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let patient = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<Problem>);
    let draft = RwSignal::new(String::new());
    let glass_patient = RwSignal::new(None::<String>);
    let status_note = RwSignal::new(String::new());
    let last_message = StoredValue::new(String::new());
    let stop_handle = StoredValue::new_local(None::<StreamStop>);
    // The empty session a first visit just opened: shown without reading its history.
    let fresh = StoredValue::new(None::<FreshSession>);
    let composer = NodeRef::<leptos::html::Textarea>::new();
    let config = LocalResource::new(|| client::get::<ChatConfig>(preload::CHAT_CONFIG));
    let transcript = NodeRef::<leptos::html::Div>::new();
    // Follow the conversation as it grows.
    Effect::new(move |_| {
        items.track();
        streaming.track();
        // By the next frame the screen may be gone (the clinician navigated away).
        request_animation_frame(move || {
            if let Some(el) = transcript.try_get_untracked().flatten() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    });

    // After the next frame: the composer may have been disabled until this very update.
    let focus_composer = move || {
        request_animation_frame(move || {
            // An open dialog keeps the focus; the screen may be gone by now.
            if glass_patient
                .try_get_untracked()
                .is_none_or(|open| open.is_some())
            {
                return;
            }
            if let Some(el) = composer.try_get_untracked().flatten() {
                let _ = el.focus();
            }
        })
    };
    let reload_sessions = move || {
        spawn_local(async move {
            if let Ok(list) = client::get::<SessionList>(preload::SESSIONS).await {
                // The first message names a session: keep the panel's title in step.
                let open = session_id.get_untracked();
                if let Some(s) = list.sessions.iter().find(|s| Some(&s.id) == open.as_ref()) {
                    if title.get_untracked() != s.title {
                        title.set(s.title.clone());
                    }
                    if s.patient_id.is_some() && patient.get_untracked() != s.patient_id {
                        patient.set(s.patient_id.clone());
                    }
                }
                sessions.set(list.sessions);
            }
        })
    };
    // A first visit reads the list while it opens a session.
    if session_id.get_untracked().is_some() {
        reload_sessions();
    }

    // Load the session in the address, or open one on a first visit.
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            let id = session_id.get();
            stop_handle.update_value(|s| {
                if let Some(s) = s.take() {
                    s.stop();
                }
            });
            ready.set(false);
            problem.set(None);
            glass_patient.set(None);
            streaming.set(String::new());
            let navigate = navigate.clone();
            spawn_local(async move {
                let Some(id) = id else {
                    match open_fresh_session().await {
                        Ok((opened, list)) => {
                            let created = opened.created;
                            let path = chat_path(&opened.id);
                            sessions.set(list.sessions);
                            fresh.set_value(Some(opened));
                            navigate(&path, replace());
                            // The list read before does not show a session made just now.
                            if created {
                                reload_sessions();
                            }
                        }
                        Err(e) => {
                            problem.set(Some(explain_error(&e)));
                            ready.set(true);
                        }
                    }
                    return;
                };
                if let Some(opened) = fresh
                    .try_update_value(|f| f.take_if(|f| f.id == id))
                    .flatten()
                {
                    items.set(vec![]);
                    title.set(opened.title);
                    patient.set(opened.patient_id);
                    ready.set(true);
                    focus_composer();
                    return;
                }
                match client::get::<History>(&preload::history_path(&id)).await {
                    Ok(h)
                        if session_id.get_untracked().as_deref() == Some(h.session_id.as_str()) =>
                    {
                        items.set(items_from_history(&h.messages));
                        title.set(h.title);
                        patient.set(h.patient_id);
                        ready.set(true);
                        focus_composer();
                    }
                    Ok(_) => {}
                    Err(e) if e.status == 404 => {
                        items.set(vec![]);
                        title.set("Session not found".into());
                        problem.set(Some(Problem {
                            headline: "This session does not exist or is not yours.".into(),
                            detail: "Pick a session from the list or start a new one.".into(),
                        }));
                        ready.set(true);
                    }
                    Err(e) => {
                        problem.set(Some(explain_error(&e)));
                        ready.set(true);
                    }
                }
            });
        });
    }

    let flush_streaming = move |incomplete: bool| {
        let text = streaming.get_untracked();
        if !text.trim().is_empty() {
            items.update(|v| v.push(ChatItem::Assistant { text, incomplete }));
        }
        streaming.set(String::new());
    };

    let on_event = move |event: ChatEventKind| match event {
        ChatEventKind::Delta { content } => streaming.update(|s| s.push_str(&content)),
        ChatEventKind::Message { content, .. } => {
            streaming.set(String::new());
            items.update(|v| {
                v.push(ChatItem::Assistant {
                    text: content,
                    incomplete: false,
                })
            });
        }
        ChatEventKind::ToolCall { id, function } => {
            flush_streaming(false);
            let card = ToolCard {
                id,
                name: function.name,
                arguments: function.arguments,
                status: ToolStatus::Running,
                result: None,
            };
            if patient.get_untracked().is_none() {
                if let Some(p) = card.patient_id() {
                    patient.set(Some(p));
                }
            }
            items.update(|v| v.push(ChatItem::Tool(card)));
        }
        ChatEventKind::ToolResult {
            id, status, result, ..
        } => {
            let mut needs_glass = None;
            items.update(|v| {
                for item in v.iter_mut().rev() {
                    if let ChatItem::Tool(card) = item {
                        if card.id == id {
                            card.status = status;
                            card.result = Some(result.clone());
                            if card.failure_code() == Some("break_glass_required") {
                                needs_glass = card.patient_id();
                            }
                            break;
                        }
                    }
                }
            });
            if may_break_glass && needs_glass.is_some() {
                glass_patient.set(needs_glass);
            }
        }
        ChatEventKind::Error { code, message } => {
            flush_streaming(true);
            items.update(|v| v.push(ChatItem::Problem { code, message }));
        }
        ChatEventKind::Done { .. } => {}
    };

    let send = move |text: String| {
        let text = text.trim().to_string();
        let Some(sid) = session_id.get_untracked() else {
            return;
        };
        if busy.get_untracked() || text.is_empty() {
            return;
        }
        let Some(stop) = StreamStop::new() else {
            return;
        };
        problem.set(None);
        glass_patient.set(None);
        last_message.set_value(text.clone());
        let before = items.with_untracked(Vec::len);
        items.update(|v| v.push(ChatItem::User(text.clone())));
        draft.set(String::new());
        busy.set(true);
        status_note.set("Ward is answering…".into());
        stop_handle.set_value(Some(stop.clone()));
        let request = ChatMessageRequest {
            session_id: sid,
            message: text.clone(),
        };
        spawn_local(async move {
            let outcome = send_message(&request, &stop, on_event).await;
            if session_id.get_untracked().as_deref() != Some(request.session_id.as_str()) {
                busy.set(false);
                return;
            }
            flush_streaming(outcome.is_err());
            match outcome {
                Ok(()) => status_note.set("Reply complete.".into()),
                Err(e) if e.code == "aborted" => {
                    items.update(|v| v.push(ChatItem::Note("You stopped the reply.".into())));
                    status_note.set("Reply stopped.".into());
                }
                Err(e) if e.status >= 400 => {
                    // Refused before the stream: nothing was stored; give the text back.
                    items.update(|v| v.truncate(before));
                    draft.set(text);
                    status_note.set("Your message was not sent.".into());
                    problem.set(Some(explain_error(&e)));
                }
                Err(e) => {
                    status_note.set("The reply was cut off.".into());
                    problem.set(Some(explain_error(&e)));
                }
            }
            stop_handle.set_value(None);
            busy.set(false);
            reload_sessions();
            focus_composer();
        });
    };

    let stop = move |_| {
        stop_handle.with_value(|s| {
            if let Some(s) = s {
                s.stop();
            }
        });
    };

    let new_session = {
        let navigate = navigate.clone();
        move |_| {
            let navigate = navigate.clone();
            spawn_local(async move {
                match client::post::<_, CreatedSession>(
                    "/frontend/api/chat/session/",
                    &CreateSessionRequest::default(),
                )
                .await
                {
                    Ok(c) => {
                        reload_sessions();
                        navigate(&chat_path(&c.session_id), Default::default());
                    }
                    Err(e) => problem.set(Some(explain_error(&e))),
                }
            });
        }
    };

    let archive = {
        let navigate = navigate.clone();
        Callback::new(move |id: String| {
            let navigate = navigate.clone();
            spawn_local(async move {
                let change = UpdateSessionRequest {
                    title: None,
                    is_archived: Some(true),
                };
                match client::patch::<_, SessionSummary>(
                    &format!("/frontend/api/chat/session/{id}/"),
                    &change,
                )
                .await
                {
                    Ok(s) => {
                        status_note.set(format!("Archived “{}”.", s.title));
                        sessions.update(|v| v.retain(|x| x.id != id));
                        if session_id.get_untracked().as_deref() == Some(id.as_str()) {
                            navigate("/frontend/", replace());
                        }
                    }
                    Err(e) => problem.set(Some(explain_error(&e))),
                }
            });
        })
    };

    let rename = Callback::new(move |(id, new_title): (String, String)| {
        spawn_local(async move {
            let change = UpdateSessionRequest {
                title: Some(new_title),
                is_archived: None,
            };
            match client::patch::<_, SessionSummary>(
                &format!("/frontend/api/chat/session/{id}/"),
                &change,
            )
            .await
            {
                Ok(s) => {
                    if session_id.get_untracked().as_deref() == Some(id.as_str()) {
                        title.set(s.title.clone());
                    }
                    status_note.set(format!("Renamed to “{}”.", s.title));
                    reload_sessions();
                }
                Err(e) => problem.set(Some(explain_error(&e))),
            }
        });
    });

    let granted = Callback::new(move |grant: BreakGlassGrant| {
        glass_patient.set(None);
        items.update(|v| {
            v.push(ChatItem::Note(format!(
                "Emergency access to {} granted until {}. Your reason is in the audit trail.",
                grant.patient_id,
                short_time(&grant.expires_at)
            )))
        });
        send(last_message.get_value());
    });
    let cancel_glass = Callback::new(move |()| {
        glass_patient.set(None);
        focus_composer();
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send(draft.get_untracked());
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            send(draft.get_untracked());
        }
    };
    let suggestions: Vec<&'static str> = if me.roles.contains(&Role::Billing) && !me.is_superuser {
        vec![
            "Show the billing summary for PAT-001",
            "List the insurance claims for PAT-002",
        ]
    } else {
        vec![
            "Show the latest labs for PAT-001",
            "What medications is John Doe taking?",
            "Show the vital signs for PAT-002",
        ]
    };

    view! {
        <div class="chat-layout">
            <SessionList sessions current=session_id busy archive rename on_new=new_session/>
            <section class="chat-panel" aria-labelledby="chat-title" data-testid="chat-panel"
                data-ready=move || ready.get().to_string()>
                <header class="chat-header">
                    <h1 id="chat-title" data-testid="chat-title">
                        {move || { let t = title.get(); if t.is_empty() { "New chat".to_string() } else { t } }}
                    </h1>
                    <div class="chat-context">
                        <span class="chip patient" data-testid="session-patient">
                            {move || match patient.get() {
                                Some(p) => format!("Patient {p}"),
                                None => "No patient yet".to_string(),
                            }}
                        </span>
                        {move || config.get().and_then(Result::ok).map(|c| {
                            let label = if c.offline {
                                "Offline demo model".to_string()
                            } else {
                                format!("{} · {}", c.provider, c.model)
                            };
                            let hint = if c.offline {
                                "Answers come from Ward's built-in offline agent, not from an AI provider.".to_string()
                            } else {
                                format!("Identifiers sent to the provider: {}", c.phi_mode)
                            };
                            view! { <span class="chip model" class:offline=c.offline data-testid="model-label" title=hint>{label}</span> }
                        })}
                    </div>
                </header>
                <div class="transcript" role="log" aria-label="Conversation" data-testid="transcript" node_ref=transcript>
                    <Show when=move || ready.get() && items.with(Vec::is_empty) && !busy.get()>
                        <div class="empty-chat">
                            <p>"Ask about a patient by ID or name. Ward checks your access, looks the data up, and shows every lookup as a card."</p>
                            <ul class="suggestions">
                                {suggestions.iter().map(|s| {
                                    let s = s.to_string();
                                    let fill = s.clone();
                                    view! { <li><button type="button" class="suggestion"
                                        on:click=move |_| { draft.set(fill.clone()); focus_composer(); }>{s}</button></li> }
                                }).collect_view()}
                            </ul>
                        </div>
                    </Show>
                    <Transcript items/>
                    <Show when=move || busy.get() || !streaming.with(String::is_empty)>
                        <div class="msg msg-assistant live" aria-live="polite" aria-busy=move || busy.get().to_string()
                            data-testid="msg-streaming">
                            <span class="visually-hidden">"Ward: "</span>
                            <p>{move || streaming.get()}</p>
                            <Show when=move || busy.get() && streaming.with(String::is_empty)>
                                <p class="typing" data-testid="typing-indicator">
                                    <span class="visually-hidden">"Ward is working"</span>
                                    <span class="dot" aria-hidden="true"></span>
                                    <span class="dot" aria-hidden="true"></span>
                                    <span class="dot" aria-hidden="true"></span>
                                </p>
                            </Show>
                        </div>
                    </Show>
                </div>
                {move || problem.get().map(|p| view! {
                    <div class="problem" role="alert" data-testid="chat-problem">
                        <strong>{p.headline}</strong>
                        <p>{p.detail}</p>
                    </div>
                })}
                <p class="visually-hidden" aria-live="polite" data-testid="chat-status">{move || status_note.get()}</p>
                <form class="composer" on:submit=on_submit>
                    <label for="message" class="visually-hidden">"Message to Ward"</label>
                    <textarea id="message" name="message" rows="2" node_ref=composer
                        placeholder="Ask about a patient, e.g. “Show the latest labs for PAT-001”"
                        prop:value=draft
                        on:input=move |e| draft.set(event_target_value(&e))
                        on:keydown=on_keydown
                        disabled=move || !ready.get()
                        aria-describedby="composer-hint"></textarea>
                    <div class="composer-actions">
                        <span id="composer-hint" class="muted small">"Enter to send, Shift+Enter for a new line"</span>
                        <Show when=move || busy.get()
                            fallback=move || view! {
                                <button type="submit" class="primary" disabled=move || !ready.get() || draft.with(|d| d.trim().is_empty())>"Send"</button>
                            }>
                            <button type="button" class="danger" on:click=stop data-testid="stop">"Stop"</button>
                        </Show>
                    </div>
                </form>
            </section>
            {move || glass_patient.get().filter(|_| !busy.get()).map(|p| view! {
                <BreakGlassDialog patient=p on_granted=granted on_cancel=cancel_glass/>
            })}
        </div>
    }
    .into_any()
}

/// The session list: new, rename, archive; newest first.
#[component]
fn SessionList<N>(
    sessions: RwSignal<Vec<SessionSummary>>,
    current: Memo<Option<String>>,
    busy: RwSignal<bool>,
    archive: Callback<String>,
    rename: Callback<(String, String)>,
    on_new: N,
) -> impl IntoView
where
    N: Fn(leptos::ev::MouseEvent) + 'static,
{
    let editing = RwSignal::new(None::<String>);
    let edit_text = RwSignal::new(String::new());
    view! {
        <nav class="sessions" aria-label="Chat sessions">
            <div class="sessions-head">
                <h2>"Sessions"</h2>
                <button type="button" class="primary small" on:click=on_new data-testid="new-session">"New chat"</button>
            </div>
            <ul class="session-list" data-testid="session-list">
                <For each=move || sessions.get() key=|s| (s.id.clone(), s.title.clone(), s.updated_at.clone())
                    children=move |s| {
                        let id = s.id.clone();
                        let is_current = {
                            let id = id.clone();
                            move || current.get().as_deref() == Some(id.as_str())
                        };
                        let is_editing = {
                            let id = id.clone();
                            move || editing.get().as_deref() == Some(id.as_str())
                        };
                        let title = s.title.clone();
                        let (rename_id, archive_id, start_title) = (id.clone(), id.clone(), title.clone());
                        let href = chat_path(&id);
                        let meta = format!("{} · {} messages{}", short_time(&s.updated_at), s.message_count,
                            s.patient_id.as_ref().map(|p| format!(" · {p}")).unwrap_or_default());
                        let aria_current = {
                            let is_current = is_current.clone();
                            move || is_current().then_some("page")
                        };
                        view! {
                            <li class="session" class:current=is_current data-testid="session-item">
                                <Show when=is_editing.clone()
                                    fallback=move || {
                                        let (title, href, meta) = (title.clone(), href.clone(), meta.clone());
                                        let (archive_id, start_title) = (archive_id.clone(), start_title.clone());
                                        let label_rename = format!("Rename “{title}”");
                                        let label_archive = format!("Archive “{title}”");
                                        let aria_current = aria_current.clone();
                                        let edit_id = rename_id.clone();
                                        view! {
                                            <a class="session-link" href=href aria-current=aria_current>
                                                <span class="session-title">{title.clone()}</span>
                                                <span class="session-meta">{meta}</span>
                                            </a>
                                            <div class="session-actions">
                                                <button type="button" class="quiet small" aria-label=label_rename
                                                    on:click=move |_| { edit_text.set(start_title.clone()); editing.set(Some(edit_id.clone())); }>"Rename"</button>
                                                <button type="button" class="quiet small" aria-label=label_archive
                                                    disabled=move || busy.get()
                                                    on:click=move |_| archive.run(archive_id.clone())>"Archive"</button>
                                            </div>
                                        }
                                    }>
                                    {
                                        let id = id.clone();
                                        let input = NodeRef::<leptos::html::Input>::new();
                                        Effect::new(move |_| { if let Some(el) = input.get() { let _ = el.focus(); el.select(); } });
                                        view! {
                                            <form class="rename-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                                                ev.prevent_default();
                                                let t = edit_text.get_untracked();
                                                if !t.trim().is_empty() { rename.run((id.clone(), t.trim().to_string())); }
                                                editing.set(None);
                                            }>
                                                <label class="visually-hidden" for="rename-input">"New title"</label>
                                                <input id="rename-input" node_ref=input prop:value=edit_text maxlength="200"
                                                    on:input=move |e| edit_text.set(event_target_value(&e))
                                                    on:keydown=move |e: leptos::ev::KeyboardEvent| if e.key() == "Escape" { editing.set(None); }/>
                                                <button type="submit" class="primary small">"Save"</button>
                                                <button type="button" class="quiet small" on:click=move |_| editing.set(None)>"Cancel"</button>
                                            </form>
                                        }
                                    }
                                </Show>
                            </li>
                        }
                    }/>
            </ul>
        </nav>
    }
}

/// The break-the-glass dialog: a doctor asks about a patient outside their care team and
/// may get time-limited access by giving a reason (audited, shown to auditors).
#[component]
fn BreakGlassDialog(
    patient: String,
    on_granted: Callback<BreakGlassGrant>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let field = NodeRef::<leptos::html::Textarea>::new();
    let confirm = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if field.get().is_some() {
            request_animation_frame(move || {
                if let Some(el) = field.get_untracked() {
                    let _ = el.focus();
                }
            });
        }
    });
    // Keep Tab inside the dialog: sentinels at both ends send focus round.
    let focus_field = move |_| {
        if let Some(el) = field.get_untracked() {
            let _ = el.focus();
        }
    };
    let focus_confirm = move |_| {
        if let Some(el) = confirm.get_untracked() {
            let _ = el.focus();
        }
    };
    let p = patient.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_string();
        if text.chars().count() < 10 {
            error.set(Some(
                "Give a reason of at least 10 characters: why do you need this record now?".into(),
            ));
            if let Some(el) = field.get_untracked() {
                let _ = el.focus();
            }
            return;
        }
        busy.set(true);
        let body = BreakGlassRequest {
            patient_id: p.clone(),
            reason: text,
        };
        spawn_local(async move {
            match client::post::<_, BreakGlassGrant>("/frontend/api/break-glass/", &body).await {
                Ok(grant) => on_granted.run(grant),
                Err(e) => {
                    error.set(Some(explain(&e.code, &e.message, e.retry_after).detail));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <div class="overlay">
            <span tabindex="0" class="focus-sentinel" on:focus=focus_confirm></span>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="glass-title"
                aria-describedby="glass-desc" data-testid="break-glass-dialog"
                on:keydown=move |e: leptos::ev::KeyboardEvent| if e.key() == "Escape" { on_cancel.run(()) }>
                <h2 id="glass-title">{format!("{patient} is not on your care team")}</h2>
                <p id="glass-desc">
                    "In an emergency you can break the glass: you get access to this patient for a limited time. "
                    "Your name, the time and your reason go into the audit trail and are reviewed by compliance."
                </p>
                <form on:submit=submit>
                    <label for="glass-reason">"Reason (required)"</label>
                    <textarea id="glass-reason" rows="3" node_ref=field aria-required="true"
                        aria-invalid=move || error.get().is_some().to_string()
                        aria-describedby="glass-error"
                        prop:value=reason on:input=move |e| reason.set(event_target_value(&e))></textarea>
                    <p id="glass-error" class="error" role="alert">{move || error.get()}</p>
                    <div class="dialog-actions">
                        <button type="button" class="quiet" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                        <button type="submit" class="danger" node_ref=confirm disabled=move || busy.get()>"Break the glass and continue"</button>
                    </div>
                </form>
            </div>
            <span tabindex="0" class="focus-sentinel" on:focus=focus_field></span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_comes_from_the_chat_path() {
        let open = |id: &str| Some(Some(id.to_string()));
        assert_eq!(session_in_path("/frontend/chat/abc-1"), open("abc-1"));
        assert_eq!(session_in_path("/frontend/chat/abc-1/"), open("abc-1"));
        assert_eq!(session_in_path("/frontend/"), Some(None));
        assert_eq!(session_in_path("/frontend"), Some(None));
        assert_eq!(session_in_path("/frontend/chat/"), None);
        assert_eq!(session_in_path("/frontend/chat/a/b"), None);
        assert_eq!(session_in_path("/frontend/reviews/abc-1"), None);
        assert_eq!(session_in_path("/frontend/admin"), None);
    }
}

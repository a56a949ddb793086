//! The chat screen: the session list (new, rename, archive; newest first) beside the chat
//! panel, whose replies stream in token by token, with tool cards, a Stop button, errors
//! in plain words, the session's patient, the model's label, export links, and the
//! break-the-glass dialog for a doctor asking about a patient outside their care team.
//!
//! One [`ChatState`] (a `Copy` struct of signals) holds the screen's state; what the
//! screen does is its methods, and each part of the screen is a component given it:
//! [`SessionList`], [`ChatHeader`], [`Transcript`], [`ProblemAlert`], [`UndoBar`],
//! [`Composer`]. Sessions and histories are read and changed through the server
//! functions ([`crate::server_fns`]); the reply streams from the NDJSON endpoint
//! ([`crate::chat_stream`]).

use crate::chat_stream::{send_message, StreamEvent, StreamStop};
use crate::client::{self, on_mount, ApiError};
use crate::display::{explain, explain_error, now_iso, short_time, time_element, Problem};
use crate::page_data;
use crate::pages::transcript::{
    conversation, items_from_history, preload_rich_views, streaming_view, ChatItem, ToolCard,
};
use crate::server_fns;
use crate::signed_in::{can_break_glass, can_chat, home_path, SignedIn};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use ward_domain::api::{
    BreakGlassGrant, BreakGlassRequest, ChatConfig, ChatMessageRequest, CreatedSession,
    SessionSummary, WhoAmI,
};
use ward_domain::chat::{PatientBanner, ToolStatus};
use ward_domain::paths;
use ward_domain::role::Role;

/// The chat route (`/frontend/` and `/frontend/chat/<id>`).
#[component]
pub fn ChatScreen() -> impl IntoView {
    view! { <SignedIn page=chat_home/> }
}

fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

/// The chat screen's address for session `id`.
pub(crate) fn chat_path(id: &str) -> String {
    paths::fill(paths::screen::CHAT, id)
}

/// The download of session `id` in `format` (`markdown` or `json`).
fn export_path(id: &str, format: &str) -> String {
    format!(
        "{}?format={format}",
        paths::fill(paths::api::CHAT_SESSION_EXPORT, id)
    )
}

/// What a path means to the chat screen: `Some(Some(id))` for `/frontend/chat/<id>`,
/// `Some(None)` for `/frontend/` (open a fresh session), `None` for any other screen.
pub(crate) fn session_in_path(path: &str) -> Option<Option<String>> {
    if path == paths::screen::HOME || Some(path) == paths::screen::HOME.strip_suffix('/') {
        return Some(None);
    }
    let id = path
        .strip_prefix(paths::screen::CHAT_PREFIX)?
        .trim_end_matches('/');
    (!id.is_empty() && !id.contains('/')).then(|| Some(id.to_string()))
}

/// Asks Ward for the session a visit to `/frontend/` opens: the newest one if it is still
/// empty, else a new one. (A page load of `/frontend/` is sent there by the server.)
async fn open_fresh_session() -> Result<CreatedSession, ApiError> {
    server_fns::call(server_fns::CreateSession {
        title: None,
        reuse_empty: true,
    })
    .await
}

/// The panel's title and problem for a session that is missing or someone else's.
fn session_not_found() -> (String, Problem) {
    (
        "Session not found".into(),
        Problem {
            headline: "This session does not exist or is not yours.".into(),
            detail: "Pick a session from the list or start a new one.".into(),
        },
    )
}

/// The chat screen's state: one struct of signals, made once per screen
/// ([`ChatState::new`]) and shared by its components ([`SessionList`], [`ChatHeader`],
/// [`Transcript`], [`ProblemAlert`], [`UndoBar`], [`Composer`]). Every field is a handle
/// (`Copy`), so the struct is passed by value. What the screen does — open a session,
/// send a question, follow its stream, rename, archive — are its methods.
#[derive(Clone, Copy)]
struct ChatState {
    /// The open session: from the path (`None` on `/frontend/`, until one is opened).
    session_id: Memo<Option<String>>,
    /// The caller's sessions, newest first.
    sessions: RwSignal<Vec<SessionSummary>>,
    /// The model and its limits.
    config: RwSignal<Option<ChatConfig>>,
    /// The conversation so far.
    items: RwSignal<Vec<ChatItem>>,
    /// The part of the reply that is still streaming.
    streaming: RwSignal<String>,
    /// A question is being answered.
    busy: RwSignal<bool>,
    /// The screen is live in the browser (until then the composer stays disabled).
    ready: RwSignal<bool>,
    /// The session's title.
    title: RwSignal<String>,
    /// The session's patient, as the server bound it.
    patient: RwSignal<Option<PatientBanner>>,
    /// The alert under the transcript.
    problem: RwSignal<Option<Problem>>,
    /// The composer's text.
    draft: RwSignal<String>,
    /// The patient the break-the-glass dialog is open for.
    glass_patient: RwSignal<Option<String>>,
    /// What the screen reader hears (a polite live region).
    status_note: RwSignal<String>,
    /// The last question sent (re-sent after a grant).
    last_message: StoredValue<String>,
    /// A question whose reply never came (Ward could not be reached): offered again.
    retry: RwSignal<Option<String>>,
    /// The session just archived (id, title), for Undo.
    archived: RwSignal<Option<(String, String)>>,
    /// On a phone the session list folds away.
    sessions_open: RwSignal<bool>,
    /// The session whose link takes the focus once the list is read again (after a
    /// rename or an undo, so the focus stays where the clinician was).
    focus_after_reload: StoredValue<Option<String>>,
    /// Stops the streaming reply.
    stop_handle: StoredValue<Option<StreamStop>, LocalStorage>,
    /// The session the page came with, until the screen has shown it.
    opened_with_page: StoredValue<Option<String>>,
    /// The empty session a visit to `/frontend/` just opened: shown without reading its
    /// history.
    fresh: StoredValue<Option<CreatedSession>>,
    /// The composer's field.
    composer: NodeRef<leptos::html::Textarea>,
    /// The transcript's element (scrolled to its end as it grows).
    transcript: NodeRef<leptos::html::Div>,
    /// The router's navigation.
    navigate: Callback<(String, NavigateOptions)>,
    /// Whether the caller may break the glass (a doctor).
    may_break_glass: bool,
}

impl ChatState {
    /// The state of `me`'s chat screen, with what the page came with (a page load of a
    /// session: the server renders the screen with its first reads and the browser
    /// hydrates it as it is; a screen opened later in the browser reads them itself).
    fn new(me: &WhoAmI) -> ChatState {
        // The chat screen is the parent of the session routes: the session comes from
        // the path. Leaving for another screen changes the path before this one is gone:
        // that keeps the session it had.
        let pathname = use_location().pathname;
        let session_id = Memo::new(move |prev: Option<&Option<String>>| {
            pathname
                .with(|p| session_in_path(p))
                .unwrap_or_else(|| prev.cloned().flatten())
        });
        let navigate = use_navigate();
        let start = page_data::take_chat_start(session_id.get_untracked().as_deref());
        let from_page = start.is_some();
        let (first_items, first_title, first_patient, first_problem) =
            match start.as_ref().map(|s| &s.history) {
                Some(Some(h)) => (
                    items_from_history(&h.messages),
                    h.title.clone(),
                    h.patient.clone(),
                    None,
                ),
                Some(None) => {
                    let (title, problem) = session_not_found();
                    (vec![], title, None, Some(problem))
                }
                None => (vec![], String::new(), None, None),
            };
        ChatState {
            session_id,
            sessions: RwSignal::new(
                start
                    .as_ref()
                    .map(|s| s.sessions.clone())
                    .unwrap_or_default(),
            ),
            config: RwSignal::new(start.map(|s| s.config)),
            items: RwSignal::new(first_items),
            streaming: RwSignal::new(String::new()),
            busy: RwSignal::new(false),
            ready: RwSignal::new(false),
            title: RwSignal::new(first_title),
            patient: RwSignal::new(first_patient),
            problem: RwSignal::new(first_problem),
            draft: RwSignal::new(String::new()),
            glass_patient: RwSignal::new(None),
            status_note: RwSignal::new(String::new()),
            last_message: StoredValue::new(String::new()),
            retry: RwSignal::new(None),
            archived: RwSignal::new(None),
            sessions_open: RwSignal::new(false),
            focus_after_reload: StoredValue::new(None),
            stop_handle: StoredValue::new_local(None),
            opened_with_page: StoredValue::new(
                from_page.then(|| session_id.get_untracked()).flatten(),
            ),
            fresh: StoredValue::new(None),
            composer: NodeRef::new(),
            transcript: NodeRef::new(),
            navigate: Callback::new(move |(path, options): (String, NavigateOptions)| {
                navigate(&path, options)
            }),
            may_break_glass: can_break_glass(me),
        }
    }

    /// Starts what the screen does by itself: read what the page did not bring, follow
    /// the conversation as it grows, fold the list on a phone when a session opens, and
    /// show the session in the address.
    fn start(self) {
        let ChatState {
            session_id,
            sessions_open,
            config,
            items,
            streaming,
            problem,
            transcript,
            ..
        } = self;
        // Opening a session on a phone folds the list away again.
        Effect::new(move |_| {
            session_id.track();
            sessions_open.set(false);
        });
        if config.with_untracked(Option::is_none) {
            on_mount(move || {
                spawn_local(async move {
                    if let Ok(c) = client::get::<ChatConfig>(client::CHAT_CONFIG).await {
                        config.set(Some(c));
                    }
                })
            });
        }
        // Follow the conversation as it grows.
        Effect::new(move |_| {
            // An alert below the transcript makes it shorter: keep the last message in
            // view.
            problem.track();
            // An empty transcript has nothing to scroll (and reading its height would
            // force a layout of the screen before its first paint).
            if items.with(Vec::is_empty) && streaming.with(String::is_empty) {
                return;
            }
            // By the next frame the screen may be gone (the clinician navigated away).
            request_animation_frame(move || {
                if let Some(el) = transcript.try_get_untracked().flatten() {
                    el.set_scroll_top(el.scroll_height());
                }
            });
        });
        // Without the page's list, read it (a visit to `/frontend/` reads it once it has
        // opened a session, so that the list shows that one too).
        if self.opened_with_page.with_value(Option::is_none) && session_id.get_untracked().is_some()
        {
            on_mount(move || self.reload_sessions());
        }
        Effect::new(move |_| self.show(session_id.get()));
    }

    /// Shows session `id` (from the address): the one the page came with as it is, a
    /// fresh one without reading its history, any other from Ward; on `/frontend/`
    /// (`None`), opens one.
    fn show(self, id: Option<String>) {
        if id.is_some()
            && self
                .opened_with_page
                .try_update_value(|o| o.take_if(|o| Some(&*o) == id.as_ref()))
                .flatten()
                .is_some()
        {
            self.ready.set(true);
            self.focus_composer();
            return;
        }
        self.stop_handle.update_value(|s| {
            if let Some(s) = s.take() {
                s.stop();
            }
        });
        self.ready.set(false);
        self.problem.set(None);
        self.glass_patient.set(None);
        self.streaming.set(String::new());
        spawn_local(act(self, SessionAction::Open(id)));
    }

    /// Opens session `id` (from the address) as [`ChatState::show`] says, once the screen
    /// is cleared: a fresh one without reading its history, any other from Ward; on
    /// `/frontend/` (`None`), opens one.
    async fn open(self, id: Option<String>) {
        let Some(id) = id else {
            match open_fresh_session().await {
                Ok(opened) => {
                    let path = chat_path(&opened.session_id);
                    self.fresh.set_value(Some(opened));
                    self.navigate.run((path, replace()));
                    self.reload_sessions();
                }
                Err(e) => {
                    self.problem.set(Some(explain_error(&e)));
                    self.ready.set(true);
                }
            }
            return;
        };
        if let Some(opened) = self
            .fresh
            .try_update_value(|f| f.take_if(|f| f.session_id == id))
            .flatten()
        {
            self.items.set(vec![]);
            self.title.set(opened.title);
            self.patient.set(None);
            self.ready.set(true);
            self.focus_composer();
            return;
        }
        match server_fns::call(server_fns::SessionHistory { id: id.clone() }).await {
            Ok(h) if self.session_id.get_untracked().as_deref() == Some(h.session_id.as_str()) => {
                self.items.set(items_from_history(&h.messages));
                self.title.set(h.title);
                self.patient.set(h.patient);
                self.ready.set(true);
                self.focus_composer();
            }
            Ok(_) => {}
            Err(e) if e.status == 404 => {
                let (not_found, why) = session_not_found();
                self.items.set(vec![]);
                self.title.set(not_found);
                self.problem.set(Some(why));
                self.ready.set(true);
            }
            Err(e) => {
                self.problem.set(Some(explain_error(&e)));
                self.ready.set(true);
            }
        }
    }

    /// Focuses the composer after the next frame (it may have been disabled until this
    /// very update).
    fn focus_composer(self) {
        request_animation_frame(move || {
            // An open dialog keeps the focus; the screen may be gone by now.
            if self
                .glass_patient
                .try_get_untracked()
                .is_none_or(|open| open.is_some())
            {
                return;
            }
            if let Some(el) = self.composer.try_get_untracked().flatten() {
                let _ = el.focus();
            }
        })
    }

    /// Reads the session list again.
    fn reload_sessions(self) {
        spawn_local(act(self, SessionAction::Reload));
    }

    /// Reads the session list and shows it.
    async fn read_sessions(self) {
        if let Ok(list) = server_fns::call(server_fns::ListSessions { archived: false }).await {
            // The first message names a session: keep the panel's title in step.
            let open = self.session_id.get_untracked();
            if let Some(s) = list.sessions.iter().find(|s| Some(&s.id) == open.as_ref()) {
                if self.title.get_untracked() != s.title {
                    self.title.set(s.title.clone());
                }
            }
            self.sessions.set(list.sessions);
            if let Some(id) = self
                .focus_after_reload
                .try_update_value(Option::take)
                .flatten()
            {
                focus_session(&id);
            }
        }
    }

    /// Ends the streaming part of the reply: kept as a message (marked incomplete when
    /// it was cut off) unless it is blank.
    fn flush_streaming(self, incomplete: bool) {
        let text = self.streaming.get_untracked();
        if !text.trim().is_empty() {
            self.items.update(|v| {
                v.push(ChatItem::Assistant {
                    text,
                    incomplete,
                    at: now_iso(),
                })
            });
        }
        self.streaming.set(String::new());
    }

    /// One event of the chat stream.
    fn on_event(self, event: StreamEvent) {
        match event {
            StreamEvent::Delta(content) => self.streaming.update(|s| s.push_str(&content)),
            StreamEvent::Message(content) => {
                self.streaming.set(String::new());
                self.items.update(|v| {
                    v.push(ChatItem::Assistant {
                        text: content,
                        incomplete: false,
                        at: now_iso(),
                    })
                });
            }
            StreamEvent::ToolCall {
                id,
                name,
                arguments,
            } => {
                self.flush_streaming(false);
                let card = ToolCard {
                    id,
                    name,
                    arguments,
                    status: ToolStatus::Running,
                    result: None,
                    at: now_iso(),
                };
                self.items.update(|v| v.push(ChatItem::Tool(card)));
            }
            StreamEvent::ToolResult { id, status, result } => {
                let mut needs_glass = None;
                self.items.update(|v| {
                    if let Some(card) = v.iter_mut().rev().find_map(|item| match item {
                        ChatItem::Tool(card) if card.id == id => Some(card),
                        _ => None,
                    }) {
                        card.status = status;
                        card.result = Some(result);
                        if card.failure_code().as_deref() == Some("break_glass_required") {
                            needs_glass = card.patient_id();
                        }
                    }
                });
                if self.may_break_glass && needs_glass.is_some() {
                    self.glass_patient.set(needs_glass);
                }
            }
            StreamEvent::Patient(banner) => {
                self.status_note
                    .set(format!("This conversation is now about {}.", banner.name));
                self.patient.set(Some(banner));
            }
            StreamEvent::Error { code, message } => {
                self.flush_streaming(true);
                self.items
                    .update(|v| v.push(ChatItem::Problem { code, message }));
            }
            StreamEvent::Done => {}
        }
    }

    /// Sends `text` as a question in the open session and streams the reply.
    fn send(self, text: String) {
        let text = text.trim().to_string();
        let Some(sid) = self.session_id.get_untracked() else {
            return;
        };
        if self.busy.get_untracked() || text.is_empty() {
            return;
        }
        let Some(stop) = StreamStop::new() else {
            return;
        };
        let ChatState {
            items,
            busy,
            problem,
            draft,
            status_note,
            retry,
            stop_handle,
            ..
        } = self;
        problem.set(None);
        retry.set(None);
        self.glass_patient.set(None);
        self.last_message.set_value(text.clone());
        let before = items.with_untracked(Vec::len);
        items.update(|v| {
            v.push(ChatItem::User {
                text: text.clone(),
                at: now_iso(),
            })
        });
        draft.set(String::new());
        busy.set(true);
        status_note.set("Ward is answering…".into());
        stop_handle.set_value(Some(stop.clone()));
        let request = ChatMessageRequest {
            session_id: sid,
            message: text.clone(),
        };
        spawn_local(answer(self, request, stop, before, text));
    }

    /// Stops the streaming reply.
    fn stop(self) {
        self.stop_handle.with_value(|s| {
            if let Some(s) = s {
                s.stop();
            }
        });
    }

    /// Opens a new session.
    fn new_session(self) {
        spawn_local(act(self, SessionAction::New));
    }

    /// Archives session `id` (with Undo); leaves it if it is open.
    fn archive(self, id: String) {
        spawn_local(act(self, SessionAction::Archive(id)));
    }

    /// Takes session `id` out of the archive again (Undo).
    fn unarchive(self, id: String) {
        spawn_local(act(self, SessionAction::Unarchive(id)));
    }

    /// Renames session `id`.
    fn rename(self, id: String, title: String) {
        spawn_local(act(self, SessionAction::Rename { id, title }));
    }

    /// Emergency access was granted: say so, and send the question again.
    fn granted(self, grant: BreakGlassGrant) {
        self.glass_patient.set(None);
        self.items.update(|v| {
            v.push(ChatItem::Note(format!(
                "Emergency access to {} granted until {}. Your reason is in the audit trail.",
                grant.patient_id,
                short_time(&grant.expires_at)
            )))
        });
        self.send(self.last_message.get_value());
    }
}

/// Streams the reply to question `text` (sent as `request`; the conversation had
/// `before` entries before it) and settles the screen when it ends: kept, stopped, refused
/// (the text goes back to the composer) or lost (offered again). Lazy: in a split build a
/// WASM chunk of its own with the chat stream's reading and decoding, loaded in the
/// background once the chat screen is live ([`load_actions`]) or else by the first
/// question.
#[leptos::lazy]
async fn answer(
    state: ChatState,
    request: ChatMessageRequest,
    stop: StreamStop,
    before: usize,
    text: String,
) {
    let ChatState {
        session_id,
        items,
        busy,
        problem,
        draft,
        status_note,
        retry,
        stop_handle,
        ..
    } = state;
    let on_event = Callback::new(move |e| state.on_event(e));
    let outcome = send_message(request.clone(), stop, on_event).await;
    if session_id.get_untracked().as_deref() != Some(request.session_id.as_str()) {
        busy.set(false);
        return;
    }
    state.flush_streaming(outcome.is_err());
    match outcome {
        // A change of patient in this turn stays announced with the end of it.
        Ok(()) => status_note.update(|note| {
            *note = if note.starts_with("This conversation is now about") {
                format!("Reply complete. {note}")
            } else {
                "Reply complete.".into()
            };
        }),
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
            // Nothing came back: the question goes back to the composer and can
            // be sent again as it was.
            let answered = items.with_untracked(|v| v.len() > before + 1);
            if !answered {
                items.update(|v| v.truncate(before));
                draft.set(text.clone());
            }
            retry.set(Some(text));
            status_note.set("The reply did not arrive.".into());
            problem.set(Some(explain_error(&e)));
        }
    }
    stop_handle.set_value(None);
    busy.set(false);
    state.reload_sessions();
    state.focus_composer();
}

/// What the chat screen asks of Ward about sessions ([`act`]).
enum SessionAction {
    /// Open a session (from the address; `None`: a fresh one).
    Open(Option<String>),
    /// Read the session list again.
    Reload,
    /// Open a new session.
    New,
    /// Archive one (with Undo); leave it if it is open.
    Archive(String),
    /// Take one out of the archive again (Undo).
    Unarchive(String),
    /// Rename one.
    Rename {
        /// The session.
        id: String,
        /// Its new title.
        title: String,
    },
}

/// Does `action` and shows its outcome. Lazy: in a split build a WASM chunk of its own,
/// loaded in the background once the chat screen is live ([`load_actions`]).
#[leptos::lazy]
async fn act(state: ChatState, action: SessionAction) {
    match action {
        SessionAction::Open(id) => state.open(id).await,
        SessionAction::Reload => state.read_sessions().await,
        SessionAction::New => {
            match server_fns::call(server_fns::CreateSession {
                title: None,
                reuse_empty: false,
            })
            .await
            {
                Ok(c) => {
                    state.reload_sessions();
                    state
                        .navigate
                        .run((chat_path(&c.session_id), Default::default()));
                }
                Err(e) => state.problem.set(Some(explain_error(&e))),
            }
        }
        SessionAction::Archive(id) => {
            match server_fns::call(server_fns::ArchiveSession { id: id.clone() }).await {
                Ok(s) => {
                    state.status_note.set(format!("Archived “{}”.", s.title));
                    state.archived.set(Some((id.clone(), s.title.clone())));
                    state.sessions.update(|v| v.retain(|x| x.id != id));
                    if state.session_id.get_untracked().as_deref() == Some(id.as_str()) {
                        state.navigate.run((paths::screen::HOME.into(), replace()));
                    }
                }
                Err(e) => state.problem.set(Some(explain_error(&e))),
            }
        }
        SessionAction::Unarchive(id) => {
            match server_fns::call(server_fns::UnarchiveSession { id: id.clone() }).await {
                Ok(s) => {
                    state.archived.set(None);
                    state.status_note.set(format!("Restored “{}”.", s.title));
                    state.focus_after_reload.set_value(Some(id.clone()));
                    state.reload_sessions();
                }
                Err(e) => state.problem.set(Some(explain_error(&e))),
            }
        }
        SessionAction::Rename { id, title } => {
            match server_fns::call(server_fns::RenameSession {
                id: id.clone(),
                title,
            })
            .await
            {
                Ok(s) => {
                    if state.session_id.get_untracked().as_deref() == Some(id.as_str()) {
                        state.title.set(s.title.clone());
                    }
                    state.status_note.set(format!("Renamed to “{}”.", s.title));
                    state.focus_after_reload.set_value(Some(id.clone()));
                    state.reload_sessions();
                }
                Err(e) => state.problem.set(Some(explain_error(&e))),
            }
        }
    }
}

/// Loads the chunks of the chat screen's actions ([`answer`], [`act`]) in the background,
/// once the screen is live, so that the first question or change does not wait for them.
fn load_actions() {
    #[cfg(feature = "hydrate")]
    on_mount(|| {
        spawn_local(async {
            futures::join!(__preload_answer(), __preload_act());
        })
    });
}

/// The chat screen of `me`: session list and chat panel.
fn chat_home(me: WhoAmI) -> impl IntoView {
    if !can_chat(&me) {
        // Page loads are sent to the user's own screen by the server; this is a visit in
        // the browser.
        let home = home_path(&me);
        if session_in_path(home).is_none() {
            let navigate = use_navigate();
            Effect::new(move |_| navigate(home, replace()));
        }
        return Either::Left(view! {
            <div class="page"><p class="muted">"Chat is not among your roles."</p></div>
        });
    }
    let state = ChatState::new(&me);
    state.start();
    preload_rich_views();
    load_actions();
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
    let granted = Callback::new(move |grant: BreakGlassGrant| state.granted(grant));
    let cancel_glass = Callback::new(move |()| {
        state.glass_patient.set(None);
        state.focus_composer();
    });
    let ChatState {
        ready,
        patient,
        status_note,
        glass_patient,
        busy,
        ..
    } = state;
    Either::Right(view! {
        <div class="chat-layout">
            <SessionList state/>
            <section class="chat-panel" aria-labelledby="chat-title" data-testid="chat-panel"
                data-ready=move || ready.get().to_string()>
                <ChatHeader state/>
                {move || patient_banner(patient.get())}
                <Transcript state suggestions/>
                <ProblemAlert state/>
                <UndoBar state/>
                <p class="visually-hidden" aria-live="polite" data-testid="chat-status">{move || status_note.get()}</p>
                <Composer state/>
            </section>
            {move || glass_patient.get().filter(|_| !busy.get()).map(|p| Suspend::new(break_glass_dialog(p, granted, cancel_glass)))}
        </div>
    })
}

/// The panel's header: the session's title, the model's label, and (once live) the
/// conversation's export as Markdown or JSON.
#[component]
fn ChatHeader(state: ChatState) -> impl IntoView {
    let ChatState {
        title,
        config,
        session_id,
        ready,
        ..
    } = state;
    view! {
        <header class="chat-header">
            <h1 id="chat-title" data-testid="chat-title">
                {move || { let t = title.get(); if t.is_empty() { "New chat".to_string() } else { t } }}
            </h1>
            <div class="chat-context">
                // Once live: a download of the conversation (audited by Ward).
                {move || session_id.get().filter(|_| ready.get()).map(|id| view! {
                    <span class="export-links" data-testid="export">
                        <span class="muted small">"Export:"</span>
                        <a class="chip" href=export_path(&id, "markdown") download=""
                            data-testid="export-markdown" title="Download this conversation as Markdown">"Markdown"</a>
                        <a class="chip" href=export_path(&id, "json") download=""
                            data-testid="export-json" title="Download this conversation as JSON">"JSON"</a>
                    </span>
                })}
                {move || config.get().map(|c| {
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
    }
}

/// The conversation: suggestions while it is empty, the messages and tool cards, and
/// the reply as it streams (a live region, busy while it streams).
#[component]
fn Transcript(state: ChatState, suggestions: Vec<&'static str>) -> impl IntoView {
    let ChatState {
        ready,
        items,
        busy,
        streaming,
        draft,
        transcript,
        ..
    } = state;
    // What the transcript shows besides the conversation; each changes only when its
    // condition does (not with every piece of a streaming reply).
    let show_suggestions =
        Memo::new(move |_| ready.get() && items.with(Vec::is_empty) && !busy.get());
    let live = Memo::new(move |_| busy.get() || !streaming.with(String::is_empty));
    let typing = Memo::new(move |_| busy.get() && streaming.with(String::is_empty));
    view! {
        <div class="transcript" role="log" aria-label="Conversation" data-testid="transcript" node_ref=transcript>
            {move || show_suggestions.get().then(|| view! {
                <div class="empty-chat">
                    <p>"Ask about a patient by ID or name. Ward checks your access, looks the data up, and shows every lookup as a card."</p>
                    <ul class="suggestions">
                        {suggestions.iter().map(|s| {
                            let s = s.to_string();
                            let fill = s.clone();
                            view! { <li><button type="button" class="suggestion"
                                on:click=move |_| { draft.set(fill.clone()); state.focus_composer(); }>{s}</button></li> }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {conversation(items)}
            {move || live.get().then(|| view! {
                <div class="msg msg-assistant live" aria-live="polite" aria-busy=move || busy.get().to_string()
                    data-testid="msg-streaming">
                    <span class="visually-hidden">"Ward: "</span>
                    {move || streaming_view(streaming.get())}
                    {move || typing.get().then(|| view! {
                        <p class="typing" data-testid="typing-indicator">
                            <span class="visually-hidden">"Ward is working"</span>
                            <span class="dot" aria-hidden="true"></span>
                            <span class="dot" aria-hidden="true"></span>
                            <span class="dot" aria-hidden="true"></span>
                        </p>
                    })}
                </div>
            })}
        </div>
    }
}

/// The alert under the transcript, with Retry for a question whose reply never came.
#[component]
fn ProblemAlert(state: ChatState) -> impl IntoView {
    let ChatState {
        problem,
        retry,
        busy,
        ..
    } = state;
    move || {
        problem.get().map(|p| {
            view! {
                <div class="problem" role="alert" data-testid="chat-problem">
                    <div>
                        <strong>{p.headline}</strong>
                        <p>{p.detail}</p>
                    </div>
                    {move || retry.get().map(|text| view! {
                        <button type="button" class="primary small" data-testid="retry"
                            disabled=move || busy.get()
                            on:click=move |_| state.send(text.clone())>"Retry"</button>
                    })}
                </div>
            }
        })
    }
}

/// "Archived …" with Undo, after an archive.
#[component]
fn UndoBar(state: ChatState) -> impl IntoView {
    let archived = state.archived;
    move || {
        archived.get().map(|(id, t)| {
            view! {
                <div class="undo-bar" data-testid="undo-bar">
                    <span>{format!("Archived “{t}”.")}</span>
                    <button type="button" class="quiet small" data-testid="undo-archive"
                        on:click=move |_| state.unarchive(id.clone())>"Undo"</button>
                    <button type="button" class="quiet small" aria-label="Dismiss"
                        on:click=move |_| archived.set(None)>"×"</button>
                </div>
            }
        })
    }
}

/// The composer: the question, Send (Enter) or Stop while a reply streams.
#[component]
fn Composer(state: ChatState) -> impl IntoView {
    let ChatState {
        draft,
        ready,
        busy,
        composer,
        ..
    } = state;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.send(draft.get_untracked());
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            state.send(draft.get_untracked());
        }
    };
    view! {
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
                {move || if busy.get() {
                    Either::Left(view! {
                        <button type="button" class="danger" on:click=move |_| state.stop() data-testid="stop">"Stop"</button>
                    })
                } else {
                    Either::Right(view! {
                        <button type="submit" class="primary" disabled=move || !ready.get() || draft.with(|d| d.trim().is_empty())>"Send"</button>
                    })
                }}
            </div>
        </form>
    }
}

/// The banner of the patient the conversation is about, as the server bound it (the
/// session's history, then `patient` events): never read from the conversation's text.
fn patient_banner(banner: Option<PatientBanner>) -> impl IntoView {
    match banner {
        None => Either::Left(view! {
            <div class="patient-banner none" data-testid="patient-banner" data-patient="">
                <span class="muted">"No patient yet. Name a patient (ID, MRN or name) to start."</span>
            </div>
        }),
        Some(b) => {
            let field = |label: &'static str, value: String| {
                view! { <div class="banner-field"><dt>{label}</dt><dd>{value}</dd></div> }
            };
            let dash = || "—".to_string();
            let age = b.age.map(|a| format!("{a} y")).unwrap_or_else(dash);
            let born = b.birth_date.clone().unwrap_or_else(dash);
            let mrn = b.mrn.clone().unwrap_or_else(dash);
            let sex = if b.sex.is_empty() {
                dash()
            } else {
                b.sex.clone()
            };
            let unit = if b.unit.is_empty() {
                dash()
            } else {
                b.unit.clone()
            };
            Either::Right(view! {
                <section class="patient-banner" aria-label="Patient" data-testid="patient-banner"
                    data-patient=b.id.clone()>
                    <p class="banner-name"><strong data-testid="banner-name">{b.name.clone()}</strong>
                        " "<span class="muted small">{b.id.clone()}</span></p>
                    <dl class="banner-fields">
                        {field("Age", age)}
                        {field("Born", born)}
                        {field("MRN", mrn)}
                        {field("Sex", sex)}
                        {field("Unit", unit)}
                    </dl>
                </section>
            })
        }
    }
}

/// The session list: new (reusing an empty session), rename, archive; newest first;
/// searchable; folded behind a button on phones.
#[component]
fn SessionList(state: ChatState) -> impl IntoView {
    let ChatState {
        sessions,
        session_id: current,
        busy,
        sessions_open: open,
        ..
    } = state;
    let editing = RwSignal::new(None::<String>);
    let edit_text = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let shown = move || {
        let q = search.with(|q| lower_case(q.trim()));
        sessions.with(|v| {
            v.iter()
                .filter(|s| {
                    q.is_empty()
                        || lower_case(&s.title).contains(&q)
                        || s.patient_id
                            .as_deref()
                            .is_some_and(|p| lower_case(p).contains(&q))
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <nav class="sessions" class:open=move || open.get() aria-label="Chat sessions">
            <div class="sessions-head">
                <button type="button" class="quiet small sessions-toggle" data-testid="sessions-toggle"
                    aria-expanded=move || open.get().to_string() aria-controls="session-body"
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || format!("Sessions ({})", sessions.with(Vec::len))}
                </button>
                <h2 class="sessions-title">"Sessions"</h2>
                <button type="button" class="primary small" on:click=move |_| state.new_session() data-testid="new-session">"New chat"</button>
            </div>
            <div id="session-body" class="sessions-body">
            <label for="session-search" class="visually-hidden">"Search your sessions"</label>
            <input id="session-search" type="search" class="session-search" placeholder="Search your sessions"
                data-testid="session-search" prop:value=search
                on:input=move |e| search.set(event_target_value(&e))/>
            <ul class="session-list" data-testid="session-list">
                {crate::pages::keyed_rows(
                    shown,
                    |s| (s.id.clone(), s.title.clone(), s.updated_at.clone()),
                    move |s: SessionSummary| {
                        let id = s.id.clone();
                        let is_current = {
                            let id = id.clone();
                            move || current.get().as_deref() == Some(id.as_str())
                        };
                        let is_editing = {
                            let id = id.clone();
                            Memo::new(move |_| editing.get().as_deref() == Some(id.as_str()))
                        };
                        let title = s.title.clone();
                        let (rename_id, archive_id, start_title) = (id.clone(), id.clone(), title.clone());
                        let href = chat_path(&id);
                        let updated = s.updated_at.clone();
                        let meta = format!(" · {} question{}{}", s.question_count,
                            if s.question_count == 1 { "" } else { "s" },
                            s.patient_id.as_ref().map(|p| format!(" · {p}")).unwrap_or_default());
                        let aria_current = {
                            let is_current = is_current.clone();
                            move || is_current().then_some("page")
                        };
                        view! {
                            <li class="session" class:current=is_current data-testid="session-item">
                                {move || if is_editing.get() {
                                    Either::Left({
                                        let id = id.clone();
                                        let input = NodeRef::<leptos::html::Input>::new();
                                        Effect::new(move |_| { if let Some(el) = input.get() { let _ = el.focus(); el.select(); } });
                                        view! {
                                            <form class="rename-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                                                ev.prevent_default();
                                                let t = edit_text.get_untracked();
                                                if !t.trim().is_empty() { state.rename(id.clone(), t.trim().to_string()); }
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
                                    })
                                } else {
                                    Either::Right({
                                        let (title, href, meta, updated) = (title.clone(), href.clone(), meta.clone(), updated.clone());
                                        let (archive_id, start_title) = (archive_id.clone(), start_title.clone());
                                        let label_rename = format!("Rename “{title}”");
                                        let label_archive = format!("Archive “{title}”");
                                        let aria_current = aria_current.clone();
                                        let edit_id = rename_id.clone();
                                        view! {
                                            <a class="session-link" href=href aria-current=aria_current id=format!("session-{}", edit_id)>
                                                <span class="session-title">{title.clone()}</span>
                                                <span class="session-meta">{time_element(updated)}{meta}</span>
                                            </a>
                                            <div class="session-actions">
                                                <button type="button" class="quiet small" aria-label=label_rename
                                                    on:click=move |_| { edit_text.set(start_title.clone()); editing.set(Some(edit_id.clone())); }>"Rename"</button>
                                                <button type="button" class="quiet small" aria-label=label_archive
                                                    disabled=move || busy.get()
                                                    on:click=move |_| state.archive(archive_id.clone())>"Archive"</button>
                                            </div>
                                        }
                                    })
                                }}
                            </li>
                        }
                    },
                )}
            </ul>
            </div>
        </nav>
    }
}

/// `text` in lower case, for a search that ignores case. In the browser its own
/// (`String.prototype.toLowerCase`, Unicode's mapping as Rust's), so the WASM carries no
/// case tables.
fn lower_case(text: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        js_sys::JsString::from(text).to_lower_case().into()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        text.to_lowercase()
    }
}

/// Puts the keyboard focus on a session's link in the list.
fn focus_session(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let id = format!("session-{id}");
        request_animation_frame(move || {
            if let Some(el) = document()
                .get_element_by_id(&id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// The break-the-glass dialog: a doctor asks about a patient outside their care team and
/// may get time-limited access by giving a reason (audited, shown to auditors). Lazy: in a
/// split build it is a WASM chunk of its own, fetched the first time it opens.
#[leptos::lazy]
fn break_glass_dialog(
    patient: String,
    on_granted: Callback<BreakGlassGrant>,
    on_cancel: Callback<()>,
) -> AnyView {
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let field = NodeRef::<leptos::html::Textarea>::new();
    let confirm = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if field.get().is_some() {
            // The dialog may be gone by the next frame (Escape at once): then there is
            // nothing to focus.
            request_animation_frame(move || {
                if let Some(el) = field.try_get_untracked().flatten() {
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
    // Escape cancels wherever focus is: the field takes it only on the next frame, and a
    // person may press Escape the moment the dialog appears.
    let escape = window_event_listener(leptos::ev::keydown, move |e| {
        if e.key() == "Escape" {
            on_cancel.run(());
        }
    });
    on_cleanup(move || escape.remove());
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
            match client::post::<_, BreakGlassGrant>(paths::api::BREAK_GLASS, &body).await {
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
                aria-describedby="glass-desc" data-testid="break-glass-dialog">
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
    .into_any()
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

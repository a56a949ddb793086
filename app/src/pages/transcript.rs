//! A conversation on screen: the clinician's messages, the assistant's replies, tool-call
//! cards (collapsed by default) and errors. Shared by the chat panel and the reviewers'
//! read-only view.
//!
//! What only a conversation with content needs — replies (markdown: [`crate::markdown`],
//! sources, Copy) and tool cards (clinical views: [`crate::clinical`], raw results) — is
//! drawn by one lazy function ([`rich_view`]): a split build puts it in a WASM chunk of
//! its own, so the main module stays small. The server renders it like any view; the
//! browser loads the chunk before it hydrates a page that shows such content
//! ([`load_rich_views`]), and in the background once a conversation is on screen, so a
//! reply never waits for it (and until it is there, nothing is drawn rather than raw
//! markdown).

use crate::display::{explain, pretty_json, status_class, status_label, time_element, tool_label};
use leptos::either::{Either, EitherOf5};
use leptos::prelude::*;
use serde::Deserialize;
use ward_domain::api::{HistoryMessage, JsonText};
use ward_domain::chat::ToolStatus;

/// A tool call as a card shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolCard {
    /// The call id.
    pub id: String,
    /// The tool.
    pub name: String,
    /// The arguments as JSON text.
    pub arguments: String,
    /// Running, ok, denied or error.
    pub status: ToolStatus,
    /// The masked result (or `{error, code}`) as JSON text, once known.
    pub result: Option<JsonText>,
    /// When it was called (RFC 3339).
    pub at: String,
}

/// The fields of a refused or failed call's result (`{error, code}`).
#[derive(Deserialize)]
struct Failure {
    error: Option<String>,
    code: Option<String>,
}

impl ToolCard {
    /// The patient the call is about, from its arguments.
    pub fn patient_id(&self) -> Option<String> {
        #[derive(Deserialize)]
        struct Arguments {
            patient_id: Option<String>,
        }
        serde_json::from_str::<Arguments>(&self.arguments)
            .ok()?
            .patient_id
    }

    fn failure(&self) -> Option<Failure> {
        self.result.as_ref()?.read()
    }

    /// The refusal code of a denied or failed call.
    pub fn failure_code(&self) -> Option<String> {
        self.failure()?.code
    }

    /// Ward's sentence about a denied or failed call.
    pub fn failure_message(&self) -> Option<String> {
        if self.status == ToolStatus::Ok {
            return None;
        }
        self.failure()?.error
    }
}

/// One entry of a conversation.
#[derive(Clone, Debug, PartialEq)]
pub enum ChatItem {
    /// The clinician's message.
    User {
        /// The text.
        text: String,
        /// When it was sent (RFC 3339).
        at: String,
    },
    /// The assistant's reply (`incomplete` when it was cut off).
    Assistant {
        /// The text.
        text: String,
        /// Cut off before the end.
        incomplete: bool,
        /// When it was written (RFC 3339).
        at: String,
    },
    /// A tool call.
    Tool(ToolCard),
    /// An error the clinician was shown.
    Problem {
        /// The machine code.
        code: String,
        /// Ward's sentence.
        message: String,
    },
    /// A note from the app itself ("You stopped the reply.").
    Note(String),
}

impl ChatItem {
    /// A key that changes whenever the item's rendering must change.
    pub fn render_key(&self, index: usize) -> String {
        match self {
            ChatItem::Tool(c) => format!("{index}:tool:{}", status_class(c.status)),
            ChatItem::Assistant {
                text, incomplete, ..
            } => {
                format!("{index}:a:{}:{incomplete}", text.len())
            }
            _ => format!("{index}"),
        }
    }
}

/// A tool message's stored details: the call's status and arguments and its result.
#[derive(Deserialize)]
struct StoredCall {
    status: Option<ToolStatus>,
    /// The arguments: JSON text in a string, or (older records) the object itself.
    arguments: Option<JsonText>,
    result: Option<JsonText>,
}

/// The machine code stored with an error message.
#[derive(Deserialize)]
struct StoredError {
    code: Option<String>,
}

/// The conversation as stored, as the clinician saw it.
pub fn items_from_history(messages: &[HistoryMessage]) -> Vec<ChatItem> {
    let mut items = vec![];
    for m in messages {
        match m.role.as_str() {
            "user" => items.push(ChatItem::User {
                text: m.content.clone(),
                at: m.created_at.clone(),
            }),
            "assistant" if !m.content.trim().is_empty() => items.push(ChatItem::Assistant {
                text: m.content.clone(),
                incomplete: m.incomplete,
                at: m.created_at.clone(),
            }),
            "tool" => {
                let stored = m
                    .tool_result
                    .as_ref()
                    .and_then(JsonText::read::<StoredCall>);
                let (status, arguments, result) = match stored {
                    Some(c) => (c.status, c.arguments, c.result),
                    None => (None, None, None),
                };
                let arguments = match arguments {
                    Some(a) => a.read::<String>().unwrap_or_else(|| a.as_str().to_string()),
                    None => "{}".into(),
                };
                items.push(ChatItem::Tool(ToolCard {
                    id: m.tool_call_id.clone().unwrap_or_default(),
                    name: m.tool_name.clone().unwrap_or_default(),
                    arguments,
                    status: status.unwrap_or(ToolStatus::Ok),
                    result: result.or_else(|| JsonText::parse(&m.content)),
                    at: m.created_at.clone(),
                }));
            }
            // A reply cut off because the Ward server writing it stopped (crash, lost
            // replica): shown as "Reply interrupted" after what had been streamed.
            "error" | "interrupted" => items.push(ChatItem::Problem {
                code: m
                    .tool_result
                    .as_ref()
                    .and_then(JsonText::read::<StoredError>)
                    .and_then(|e| e.code)
                    .unwrap_or_default(),
                message: m.content.clone(),
            }),
            _ => {}
        }
    }
    items
}

/// Arguments for reading: indented if they are JSON, else as the model wrote them.
fn readable_arguments(text: &str) -> String {
    match JsonText::parse(text) {
        Some(json) => pretty_json(json.as_str()),
        None => text.to_string(),
    }
}

/// The element id of a tool card (sources link to it).
pub fn card_anchor(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("tool-{safe}")
}

/// What the lazy chunk draws ([`rich_view`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Rich {
    /// What has streamed of a reply so far, as markdown.
    Streaming(String),
    /// An assistant's reply: its text as markdown, what it drew on, its time and Copy.
    Reply {
        /// The text.
        text: String,
        /// Cut off before the end.
        incomplete: bool,
        /// When it was written (RFC 3339).
        at: String,
        /// The tool results it drew on.
        sources: Vec<Source>,
    },
    /// A tool call's card, with its result as a clinical view where Ward has one.
    Tool(ToolCard),
}

/// Draws `content`.
fn draw(content: Rich) -> AnyView {
    match content {
        Rich::Streaming(text) => crate::markdown::render(&text).into_any(),
        Rich::Reply {
            text,
            incomplete,
            at,
            sources,
        } => reply_view(text, incomplete, at, sources).into_any(),
        Rich::Tool(card) => tool_card_view(card).into_any(),
    }
}

/// [`draw`] in the browser. Lazy: in a split build a WASM chunk of its own (replies as
/// markdown, tool cards with their clinical views and charts), fetched before a page
/// showing such content hydrates, or when a conversation first needs it
/// ([`load_rich_views`]).
#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn rich_view(content: Rich) -> AnyView {
    draw(content)
}

/// `content` drawn at once when the chunk is loaded (always so on the server, and while a
/// page hydrates: [`load_rich_views`]), else once it is (nothing is drawn until then).
#[cfg(feature = "hydrate")]
fn rich(content: Rich) -> impl IntoView {
    use futures::FutureExt;
    let mut view = Box::pin(rich_view(content));
    match view.as_mut().now_or_never() {
        Some(drawn) => Either::Left(drawn),
        None => Either::Right(Suspend::new(view)),
    }
}

/// On the server `content` is drawn as it is (the same first branch the browser hydrates).
/// Not through the lazy function: Leptos would then name the split loader in the page a
/// second time (`preload::links` names it once).
#[cfg(not(feature = "hydrate"))]
fn rich(content: Rich) -> impl IntoView {
    Either::<AnyView, ()>::Left(draw(content))
}

/// What has streamed of a reply, as markdown.
pub fn streaming_view(text: String) -> impl IntoView {
    rich(Rich::Streaming(text))
}

/// Whether the page as the server sent it shows content drawn by the lazy chunk (a
/// reply or a tool card): then the browser loads the chunk before it hydrates.
#[cfg(feature = "hydrate")]
pub fn rich_content_shown() -> bool {
    document()
        .query_selector(r#"[data-testid="msg-assistant"], [data-testid="tool-card"]"#)
        .ok()
        .flatten()
        .is_some()
}

/// Loads the chunk that draws replies and tool results (at once if it is loaded; a build
/// without `--split` has nothing to load).
#[cfg(feature = "hydrate")]
pub async fn load_rich_views() {
    __preload_rich_view().await;
}

/// Starts loading the chunk that draws replies and tool results, once the screen is live,
/// so that the first reply does not wait for it.
pub fn preload_rich_views() {
    #[cfg(feature = "hydrate")]
    crate::client::on_mount(|| leptos::task::spawn_local(load_rich_views()));
}

/// A tool call as a card: tool, status, patient and time; the result as a clinical view
/// (tables, trend charts, lists) where Ward has one; a refusal in plain words; the
/// arguments and the raw masked result behind a details toggle.
fn tool_card_view(card: ToolCard) -> impl IntoView {
    let class = format!("tool-card status-{}", status_class(card.status));
    let reason = card
        .failure_code()
        .and_then(|c| crate::clinical::refusal_words(&c).map(str::to_string))
        .or_else(|| card.failure_message());
    let result = card.result.as_ref().map(|r| pretty_json(r.as_str()));
    let clinical = (card.status == ToolStatus::Ok)
        .then_some(card.result.as_ref())
        .flatten()
        .and_then(|r| crate::clinical::result_view(&card.name, r));
    let patient = card.patient_id();
    let at = (!card.at.is_empty()).then(|| card.at.clone());
    view! {
        <section class=class data-testid="tool-card" data-status=status_class(card.status)
            id=card_anchor(&card.id) aria-label=format!("{} lookup", tool_label(&card.name))>
            <header class="tool-head">
                <span class="tool-name">{tool_label(&card.name)}</span>
                <span class="tool-status">{status_label(card.status)}</span>
                {patient.map(|p| view! { <span class="tool-patient muted small">{p}</span> })}
                {at.map(|t| view! { <span class="muted small">{time_element(t)}</span> })}
                {reason.map(|r| view! { <span class="tool-reason">{r}</span> })}
            </header>
            {clinical.map(|v| view! { <div class="clinical-view">{v}</div> })}
            <details class="tool-raw">
                <summary>"Details: arguments and raw result"</summary>
                <dl class="tool-detail">
                    <dt>"Tool"</dt>
                    <dd><code>{card.name.clone()}</code></dd>
                    <dt>"Arguments"</dt>
                    <dd><pre>{readable_arguments(&card.arguments)}</pre></dd>
                    <dt>"Result (as your role may see it)"</dt>
                    <dd>
                        {match result {
                            Some(r) => Either::Left(view! { <pre>{r}</pre> }),
                            None => Either::Right(view! { <p class="muted">"Waiting for the tool…"</p> }),
                        }}
                    </dd>
                </dl>
            </details>
        </section>
    }
}

/// A tool result an answer drew on, as its sources line shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The card's call id.
    pub id: String,
    /// The tool.
    pub tool: String,
    /// The patient, if the call named one.
    pub patient: Option<String>,
    /// When it was called.
    pub at: String,
}

/// The sources of every assistant reply: the tool results (that succeeded) since the
/// clinician's message it answers. Indexed like `items`.
pub fn sources_of(items: &[ChatItem]) -> Vec<Vec<Source>> {
    let mut out = vec![];
    let mut since: Vec<Source> = vec![];
    for item in items {
        match item {
            ChatItem::User { .. } => {
                since.clear();
                out.push(vec![]);
            }
            ChatItem::Tool(c) => {
                if c.status == ToolStatus::Ok {
                    since.push(Source {
                        id: c.id.clone(),
                        tool: c.name.clone(),
                        patient: c.patient_id(),
                        at: c.at.clone(),
                    });
                }
                out.push(vec![]);
            }
            ChatItem::Assistant { .. } => out.push(since.clone()),
            _ => out.push(vec![]),
        }
    }
    out
}

fn sources_view(sources: Vec<Source>) -> impl IntoView {
    (!sources.is_empty()).then(|| {
        view! {
            <div class="sources" data-testid="sources">
                <span class="muted small">"Sources: "</span>
                <ul>
                    {sources.into_iter().map(|s| {
                        let label = match &s.patient {
                            Some(p) => format!("{} · {p}", tool_label(&s.tool)),
                            None => tool_label(&s.tool),
                        };
                        let at = (!s.at.is_empty()).then(|| s.at.clone());
                        view! {
                            <li><a href=format!("#{}", card_anchor(&s.id))>{label}</a>
                                {at.map(|t| view! { " · " {time_element(t)} })}</li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// Copies text to the clipboard (the browser's Clipboard API); says whether it was asked.
fn copy_text(text: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(text);
            return true;
        }
        false
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        false
    }
}

/// An assistant's reply: its text as markdown, a note if it was cut off, what it drew on,
/// its time and a Copy button.
fn reply_view(text: String, incomplete: bool, at: String, sources: Vec<Source>) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy_source = text.clone();
    view! {
        <div class="msg msg-assistant" data-testid="msg-assistant">
            <span class="visually-hidden">"Ward: "</span>
            {crate::markdown::render(&text)}
            {incomplete.then(|| view! { <p class="muted small">"(cut off)"</p> })}
            {sources_view(sources)}
            <div class="msg-foot">
                {(!at.is_empty()).then(|| view! { <span class="msg-time">{time_element(at)}</span> })}
                <button type="button" class="quiet small" data-testid="copy"
                    on:click=move |_| copied.set(copy_text(&copy_source))>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
        </div>
    }
}

/// One entry of a conversation (`sources`: for a reply, what it drew on). Replies and
/// tool cards are drawn by the lazy chunk ([`rich_view`]).
fn chat_item_view(item: ChatItem, sources: Vec<Source>) -> impl IntoView {
    match item {
        ChatItem::User { text, at } => EitherOf5::A(view! {
            <div class="msg msg-user" data-testid="msg-user">
                <span class="visually-hidden">"You: "</span>
                <p>{text}</p>
                {(!at.is_empty()).then(|| view! { <p class="msg-time">{time_element(at)}</p> })}
            </div>
        }),
        ChatItem::Assistant {
            text,
            incomplete,
            at,
        } => EitherOf5::B(rich(Rich::Reply {
            text,
            incomplete,
            at,
            sources,
        })),
        ChatItem::Tool(card) => EitherOf5::C(rich(Rich::Tool(card))),
        ChatItem::Problem { code, message } => {
            let p = explain(&code, &message, None);
            EitherOf5::D(view! {
                <div class="msg msg-problem" data-testid="msg-problem">
                    <strong>{p.headline}</strong>
                    <p>{p.detail}</p>
                </div>
            })
        }
        ChatItem::Note(text) => {
            EitherOf5::E(view! { <p class="msg-note" data-testid="msg-note">{text}</p> })
        }
    }
}

/// A whole conversation, keyed so that a card keeps its open/closed state while other
/// entries change.
pub fn conversation(items: RwSignal<Vec<ChatItem>>) -> impl IntoView {
    crate::pages::keyed_rows(
        move || {
            items.with(|v| {
                let sources = sources_of(v);
                v.iter()
                    .cloned()
                    .zip(sources)
                    .enumerate()
                    .collect::<Vec<_>>()
            })
        },
        |(i, (item, sources)): &(usize, (ChatItem, Vec<Source>))| {
            format!("{}:{}", item.render_key(*i), sources.len())
        },
        |(_, (item, sources)): (usize, (ChatItem, Vec<Source>))| chat_item_view(item, sources),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(role: &str, content: &str, tool_result: Option<serde_json::Value>) -> HistoryMessage {
        HistoryMessage {
            id: "m".into(),
            role: role.into(),
            content: content.into(),
            tool_name: tool_result.as_ref().map(|_| "get_clinical_notes".into()),
            created_at: "2026-11-25T01:00:00Z".into(),
            tool_call_id: Some("c1".into()),
            tool_result: tool_result.as_ref().map(JsonText::of),
            incomplete: false,
        }
    }

    #[test]
    fn history_shows_messages_tool_cards_and_errors_but_not_empty_tool_call_turns() {
        let items = items_from_history(&[
            msg("user", "notes for PAT-001", None),
            msg("assistant", "", None),
            msg(
                "tool",
                "{}",
                Some(
                    serde_json::json!({"status": "denied", "arguments": "{\"patient_id\":\"PAT-001\"}", "result": {"error": "Not for billing.", "code": "forbidden_tool"}}),
                ),
            ),
            msg("error", "The model failed.", None),
        ]);
        assert_eq!(items.len(), 3);
        let ChatItem::Tool(card) = &items[1] else {
            panic!("not a card: {:?}", items[1])
        };
        assert_eq!(card.status, ToolStatus::Denied);
        assert_eq!(card.patient_id().as_deref(), Some("PAT-001"));
        assert_eq!(card.failure_message().as_deref(), Some("Not for billing."));
        assert_eq!(card.failure_code().as_deref(), Some("forbidden_tool"));
        assert!(matches!(items[2], ChatItem::Problem { .. }));
    }

    #[test]
    fn a_reply_lists_the_results_it_drew_on_since_the_question() {
        let card = |id: &str, status| {
            ChatItem::Tool(ToolCard {
                id: id.into(),
                name: "get_lab_results".into(),
                arguments: r#"{"patient_id":"PAT-001"}"#.into(),
                status,
                result: None,
                at: "2026-12-01T10:00:00Z".into(),
            })
        };
        let user = || ChatItem::User {
            text: "q".into(),
            at: String::new(),
        };
        let reply = || ChatItem::Assistant {
            text: "a".into(),
            incomplete: false,
            at: String::new(),
        };
        let items = vec![
            user(),
            card("c1", ToolStatus::Ok),
            card("c2", ToolStatus::Denied),
            reply(),
            user(),
            reply(),
        ];
        let s = sources_of(&items);
        assert_eq!(s[3].len(), 1);
        assert_eq!(s[3][0].id, "c1");
        assert_eq!(s[3][0].patient.as_deref(), Some("PAT-001"));
        assert!(s[5].is_empty());
        assert_eq!(card_anchor("call_offline 0/1"), "tool-call_offline-0-1");
    }

    #[test]
    fn an_interrupted_reply_keeps_its_text_and_is_marked() {
        let mut partial = msg("assistant", "Vitals were", None);
        partial.incomplete = true;
        let items = items_from_history(&[
            msg("user", "vitals for PAT-004", None),
            partial,
            msg(
                "interrupted",
                "Reply interrupted.",
                Some(serde_json::json!({"code": "reply_interrupted"})),
            ),
        ]);
        assert!(
            matches!(&items[1], ChatItem::Assistant { text, incomplete: true, .. } if text == "Vitals were"),
            "the streamed part is kept: {:?}",
            items[1]
        );
        let ChatItem::Problem { code, .. } = &items[2] else {
            panic!("not marked: {:?}", items[2])
        };
        assert_eq!(code, "reply_interrupted");
    }
}

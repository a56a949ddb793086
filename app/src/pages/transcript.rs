//! A conversation on screen: the clinician's messages, the assistant's replies, tool-call
//! cards (collapsed by default) and errors. Shared by the chat panel and the reviewers'
//! read-only view.

use crate::display::{explain, pretty_json, status_class, status_label, tool_label};
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
    User(String),
    /// The assistant's reply (`incomplete` when it was cut off).
    Assistant {
        /// The text.
        text: String,
        /// Cut off before the end.
        incomplete: bool,
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
            ChatItem::Assistant { text, incomplete } => {
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
            "user" => items.push(ChatItem::User(m.content.clone())),
            "assistant" if !m.content.trim().is_empty() => items.push(ChatItem::Assistant {
                text: m.content.clone(),
                incomplete: m.incomplete,
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

/// A tool call as a card: tool, status and (collapsed) arguments and masked result.
fn tool_card_view(card: ToolCard) -> impl IntoView {
    let class = format!("tool-card status-{}", status_class(card.status));
    let reason = card.failure_message();
    let result = card.result.as_ref().map(|r| pretty_json(r.as_str()));
    view! {
        <details class=class data-testid="tool-card" data-status=status_class(card.status)>
            <summary>
                <span class="tool-name">{tool_label(&card.name)}</span>
                <span class="tool-status">{status_label(card.status)}</span>
                {reason.map(|r| view! { <span class="tool-reason">{r}</span> })}
            </summary>
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
    }
}

/// One entry of a conversation.
fn chat_item_view(item: ChatItem) -> impl IntoView {
    match item {
        ChatItem::User(text) => EitherOf5::A(view! {
            <div class="msg msg-user" data-testid="msg-user">
                <span class="visually-hidden">"You: "</span>
                <p>{text}</p>
            </div>
        }),
        ChatItem::Assistant { text, incomplete } => EitherOf5::B(view! {
            <div class="msg msg-assistant" data-testid="msg-assistant">
                <span class="visually-hidden">"Ward: "</span>
                <p>{text}</p>
                {incomplete.then(|| view! { <p class="muted small">"(cut off)"</p> })}
            </div>
        }),
        ChatItem::Tool(card) => EitherOf5::C(tool_card_view(card)),
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
        move || items.get().into_iter().enumerate().collect::<Vec<_>>(),
        |(i, item): &(usize, ChatItem)| item.render_key(*i),
        |(_, item): (usize, ChatItem)| chat_item_view(item),
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
        assert_eq!(
            items[1],
            ChatItem::Assistant {
                text: "Vitals were".into(),
                incomplete: true
            }
        );
        let ChatItem::Problem { code, .. } = &items[2] else {
            panic!("not marked: {:?}", items[2])
        };
        assert_eq!(code, "reply_interrupted");
    }
}

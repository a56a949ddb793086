//! A conversation on screen: the clinician's messages, the assistant's replies, tool-call
//! cards (collapsed by default) and errors. Shared by the chat panel and the reviewers'
//! read-only view.

use crate::display::{explain, status_class, status_label, tool_label};
use leptos::prelude::*;
use serde_json::Value;
use ward_domain::api::HistoryMessage;
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
    /// The masked result (or `{error, code}`), once known.
    pub result: Option<Value>,
}

impl ToolCard {
    /// The patient the call is about, from its arguments.
    pub fn patient_id(&self) -> Option<String> {
        serde_json::from_str::<Value>(&self.arguments)
            .ok()?
            .get("patient_id")?
            .as_str()
            .map(str::to_string)
    }

    /// The refusal code of a denied or failed call.
    pub fn failure_code(&self) -> Option<&str> {
        self.result.as_ref()?.get("code")?.as_str()
    }

    /// Ward's sentence about a denied or failed call.
    pub fn failure_message(&self) -> Option<&str> {
        if self.status == ToolStatus::Ok {
            return None;
        }
        self.result.as_ref()?.get("error")?.as_str()
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
                let detail = m.tool_result.clone().unwrap_or(Value::Null);
                let status = detail
                    .get("status")
                    .cloned()
                    .and_then(|s| serde_json::from_value(s).ok())
                    .unwrap_or(ToolStatus::Ok);
                let arguments = match detail.get("arguments") {
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                    None => "{}".into(),
                };
                let result = detail
                    .get("result")
                    .cloned()
                    .or_else(|| serde_json::from_str(&m.content).ok());
                items.push(ChatItem::Tool(ToolCard {
                    id: m.tool_call_id.clone().unwrap_or_default(),
                    name: m.tool_name.clone().unwrap_or_default(),
                    arguments,
                    status,
                    result,
                }));
            }
            "error" => items.push(ChatItem::Problem {
                code: m
                    .tool_result
                    .as_ref()
                    .and_then(|v| v.get("code"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                message: m.content.clone(),
            }),
            _ => {}
        }
    }
    items
}

fn pretty(text_or_json: &str) -> String {
    serde_json::from_str::<Value>(text_or_json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text_or_json.to_string())
}

/// A tool call as a card: tool, status and (collapsed) arguments and masked result.
#[component]
pub fn ToolCardView(card: ToolCard) -> impl IntoView {
    let class = format!("tool-card status-{}", status_class(card.status));
    let reason = card.failure_message().map(str::to_string);
    let result = card
        .result
        .as_ref()
        .and_then(|v| serde_json::to_string_pretty(v).ok());
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
                <dd><pre>{pretty(&card.arguments)}</pre></dd>
                <dt>"Result (as your role may see it)"</dt>
                <dd>
                    {match result {
                        Some(r) => view! { <pre>{r}</pre> }.into_any(),
                        None => view! { <p class="muted">"Waiting for the tool…"</p> }.into_any(),
                    }}
                </dd>
            </dl>
        </details>
    }
}

/// One entry of a conversation.
#[component]
pub fn ChatItemView(item: ChatItem) -> impl IntoView {
    match item {
        ChatItem::User(text) => view! {
            <div class="msg msg-user" data-testid="msg-user">
                <span class="visually-hidden">"You: "</span>
                <p>{text}</p>
            </div>
        }
        .into_any(),
        ChatItem::Assistant { text, incomplete } => view! {
            <div class="msg msg-assistant" data-testid="msg-assistant">
                <span class="visually-hidden">"Ward: "</span>
                <p>{text}</p>
                {incomplete.then(|| view! { <p class="muted small">"(cut off)"</p> })}
            </div>
        }
        .into_any(),
        ChatItem::Tool(card) => view! { <ToolCardView card/> }.into_any(),
        ChatItem::Problem { code, message } => {
            let p = explain(&code, &message, None);
            view! {
                <div class="msg msg-problem" data-testid="msg-problem">
                    <strong>{p.headline}</strong>
                    <p>{p.detail}</p>
                </div>
            }
            .into_any()
        }
        ChatItem::Note(text) => {
            view! { <p class="msg-note" data-testid="msg-note">{text}</p> }.into_any()
        }
    }
}

/// A whole conversation, keyed so that a card keeps its open/closed state while other
/// entries change.
#[component]
pub fn Transcript(#[prop(into)] items: Signal<Vec<ChatItem>>) -> impl IntoView {
    view! {
        <For
            each={move || items.get().into_iter().enumerate().collect::<Vec<_>>()}
            key={|(i, item): &(usize, ChatItem)| item.render_key(*i)}
            children={|(_, item): (usize, ChatItem)| view! { <ChatItemView item/> }}
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(role: &str, content: &str, tool_result: Option<Value>) -> HistoryMessage {
        HistoryMessage {
            id: "m".into(),
            role: role.into(),
            content: content.into(),
            tool_name: tool_result.as_ref().map(|_| "get_clinical_notes".into()),
            created_at: "2026-11-25T01:00:00Z".into(),
            tool_call_id: Some("c1".into()),
            tool_result,
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
        assert_eq!(card.failure_message(), Some("Not for billing."));
        assert!(matches!(items[2], ChatItem::Problem { .. }));
    }
}

//! A conversation as its owner exports it: the clinician's own view of a session — their
//! questions, Ward's replies, the tool results as they were shown to them (masked for
//! their roles) — in Markdown or JSON. What a provider was sent (the protected form) is
//! never part of a [`History`], so it cannot be part of an export.

use crate::api::History;
use serde::{Deserialize, Serialize};

/// The formats of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// A readable document (`text/markdown`).
    Markdown,
    /// [`ConversationExport`] as JSON.
    Json,
}

impl ExportFormat {
    /// The format named `name` (`markdown`, `md` or `json`).
    pub fn parse(name: &str) -> Option<ExportFormat> {
        match name {
            "markdown" | "md" => Some(ExportFormat::Markdown),
            "json" => Some(ExportFormat::Json),
            _ => None,
        }
    }

    /// Its name, as recorded in the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "markdown",
            ExportFormat::Json => "json",
        }
    }

    /// The media type of the download.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "text/markdown; charset=utf-8",
            ExportFormat::Json => "application/json",
        }
    }

    /// The download's file name for session `id` (a UUID: no quoting needed).
    pub fn file_name(self, id: &str) -> String {
        let ext = match self {
            ExportFormat::Markdown => "md",
            ExportFormat::Json => "json",
        };
        let id: String = id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        format!("ward-conversation-{id}.{ext}")
    }
}

/// The JSON export: who exported the conversation and when, and the session as its owner
/// reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationExport {
    /// The exporting user's username (the session's owner).
    pub exported_by: String,
    /// When (RFC 3339, UTC).
    pub exported_at: String,
    /// The session and its messages, oldest first.
    pub session: History,
}

/// The Markdown export of `export`: a heading, the patient and the export's provenance,
/// then each message in order. Messages are the clinician's and Ward's own text (already
/// Markdown); a tool result is its JSON in a fenced block.
pub fn markdown(export: &ConversationExport) -> String {
    let h = &export.session;
    let mut out = format!("# {}\n\n", one_line(&h.title));
    out.push_str(&format!("- Session: `{}`\n", h.session_id));
    match (&h.patient, &h.patient_id) {
        (Some(b), _) => {
            let mut p = format!("- Patient: {} ({})", one_line(&b.name), b.id);
            if let Some(born) = &b.birth_date {
                p.push_str(&format!(", born {born}"));
            }
            if let Some(mrn) = &b.mrn {
                p.push_str(&format!(", MRN {mrn}"));
            }
            out.push_str(&p);
            out.push('\n');
        }
        (None, Some(id)) => out.push_str(&format!("- Patient: {id}\n")),
        (None, None) => out.push_str("- Patient: none\n"),
    }
    out.push_str(&format!(
        "- Exported by {} at {}\n",
        one_line(&export.exported_by),
        export.exported_at
    ));
    out.push_str(
        "\nThis export holds protected health information. Keep it as you keep the \
         patient's record.\n",
    );
    for m in &h.messages {
        let when = &m.created_at;
        match m.role.as_str() {
            "user" => {
                out.push_str(&format!("\n---\n\n**Clinician** · {when}\n\n"));
                out.push_str(m.content.trim_end());
                out.push('\n');
            }
            "assistant" if !m.content.trim().is_empty() => {
                let cut = if m.incomplete { " (incomplete)" } else { "" };
                out.push_str(&format!("\n**Ward**{cut} · {when}\n\n"));
                out.push_str(m.content.trim_end());
                out.push('\n');
            }
            "tool" => {
                let stored: serde_json::Value = m
                    .tool_result
                    .as_ref()
                    .and_then(|t| t.read())
                    .unwrap_or_default();
                let status = stored["status"].as_str().unwrap_or("ok");
                let result = match stored.get("result") {
                    Some(r) if !r.is_null() => r.clone(),
                    _ => serde_json::from_str(&m.content)
                        .unwrap_or_else(|_| serde_json::Value::String(m.content.clone())),
                };
                let name = m.tool_name.as_deref().unwrap_or("tool");
                out.push_str(&format!(
                    "\n**Lookup `{}`** ({}) · {when}\n\n",
                    one_line(name),
                    one_line(status)
                ));
                let text = serde_json::to_string_pretty(&result).unwrap_or_default();
                out.push_str(&fenced("json", &text));
            }
            "error" | "interrupted" => {
                out.push_str(&format!("\n**Not answered** · {when}\n\n"));
                out.push_str(m.content.trim_end());
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// `text` on one line (a title or name must not start a new Markdown block).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` in a fenced code block whose fence is longer than any run of backticks in it.
fn fenced(info: &str, text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{info}\n{}\n{fence}\n", text.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{HistoryMessage, JsonText};
    use crate::chat::PatientBanner;

    fn message(role: &str, content: &str) -> HistoryMessage {
        HistoryMessage {
            id: format!("m-{role}"),
            role: role.into(),
            content: content.into(),
            tool_name: None,
            created_at: "2026-12-07T10:00:00.000000Z".into(),
            tool_call_id: None,
            tool_result: None,
            incomplete: false,
        }
    }

    fn export(messages: Vec<HistoryMessage>) -> ConversationExport {
        ConversationExport {
            exported_by: "doctor".into(),
            exported_at: "2026-12-07T11:00:00Z".into(),
            session: History {
                session_id: "0b6e3c1a-1111-4222-8333-444455556666".into(),
                title: "Labs\n# injected".into(),
                messages,
                patient_id: Some("PAT-001".into()),
                patient: Some(PatientBanner {
                    id: "PAT-001".into(),
                    name: "John Doe".into(),
                    age: Some(60),
                    birth_date: Some("1966-01-01".into()),
                    mrn: Some("MRN-1".into()),
                    sex: "male".into(),
                    unit: "Cardiology".into(),
                }),
                is_archived: false,
                read_only: false,
                owner: Some("doctor".into()),
            },
        }
    }

    #[test]
    fn the_markdown_holds_the_conversation_in_order_with_its_provenance() {
        let mut tool = message("tool", "");
        tool.tool_name = Some("get_recent_labs".into());
        tool.tool_result = JsonText::parse(
            r#"{"status":"ok","arguments":"{}","result":{"labs":[{"test":"HbA1c","value":"7.1"}]}}"#,
        );
        let mut cut = message("assistant", "The latest HbA1c is 7.1 %");
        cut.incomplete = true;
        let md = markdown(&export(vec![
            message("user", "Show the latest labs for PAT-001"),
            message("assistant", ""),
            tool,
            cut,
            message("interrupted", "Reply interrupted"),
        ]));
        // The title stays one heading: a line break in it starts no block of its own.
        assert!(md.starts_with("# Labs # injected\n"), "{md}");
        assert!(md.contains("- Patient: John Doe (PAT-001), born 1966-01-01, MRN MRN-1"));
        assert!(md.contains("- Exported by doctor at 2026-12-07T11:00:00Z"));
        let question = md
            .find("**Clinician** · 2026-12-07T10:00:00.000000Z\n\nShow the latest labs for PAT-001")
            .unwrap();
        let lookup = md.find("**Lookup `get_recent_labs`** (ok)").unwrap();
        let reply = md.find("**Ward** (incomplete) · ").unwrap();
        let stopped = md.find("**Not answered**").unwrap();
        assert!(
            question < lookup && lookup < reply && reply < stopped,
            "{md}"
        );
        assert!(md.contains("```json\n{\n  \"labs\": ["), "{md}");
        // The empty assistant step (a tool call) is not a message of its own.
        assert_eq!(md.matches("**Ward**").count(), 1, "{md}");
    }

    #[test]
    fn a_fence_is_longer_than_any_backticks_inside_it() {
        let block = fenced("json", "\"a ``` b\"");
        assert!(block.starts_with("````json\n"), "{block}");
        assert!(block.ends_with("\n````\n"), "{block}");
        assert!(fenced("", "plain").starts_with("```\n"));
    }

    #[test]
    fn formats_have_names_types_and_file_names() {
        assert_eq!(ExportFormat::parse("md"), Some(ExportFormat::Markdown));
        assert_eq!(ExportFormat::parse("json"), Some(ExportFormat::Json));
        assert_eq!(ExportFormat::parse("pdf"), None);
        assert_eq!(
            ExportFormat::Json.file_name("ab-12\"; x"),
            "ward-conversation-ab-12x.json"
        );
        assert!(ExportFormat::Markdown
            .media_type()
            .starts_with("text/markdown"));
    }
}

//! The rules of a turn that need no database, clock or network: its bounds (tool calls per
//! round, reply length, argument size, rounds), the assembly of streamed tool-call pieces,
//! the token and cost estimates, the session's title and lease, which patients a turn may
//! touch, which words of a message may name a patient, and how a tool's refusal is shown
//! and framed. Each has its unit tests here.

use crate::chat::provider::{estimated_prompt_tokens, ModelMessage, ModelOutput};
use crate::error::{Error, ErrorKind};
use ward_domain::chat::ToolStatus;
use ward_domain::pricing::estimate_tokens;

/// The most tool calls honoured in one round; more are refused.
pub const MAX_CALLS_PER_ROUND: usize = 8;
/// The longest reply streamed in one turn, in characters.
pub const MAX_REPLY_CHARS: usize = 24_000;
/// How many earlier messages of the session are sent as context.
pub const HISTORY_MESSAGES: u64 = 20;
/// The longest a tool call's arguments may grow, in bytes.
pub const MAX_ARGUMENT_BYTES: usize = 16_384;
/// Tool-call pieces with an index from here on are ignored.
pub const MAX_CALL_INDEX: usize = 64;
/// What the first provider call's prompt is estimated at beyond the clinician's message
/// (the system prompt, the tools' schemas, the history).
pub const OPENING_PROMPT_MARGIN: u64 = 1500;
/// The longest session title taken from a first message, in characters.
pub const TITLE_CHARS: usize = 60;

/// Why a turn stopped early.
#[derive(Debug, PartialEq, Eq)]
pub enum Stop {
    /// The client went away.
    Disconnected,
    /// An error the clinician is told about.
    Failed {
        /// Ward's error code.
        code: String,
        /// The sentence shown.
        message: String,
    },
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Failed {
            code: e.code.to_string(),
            message: e.message,
        }
    }
}

impl Stop {
    fn failed(code: &str, message: String) -> Stop {
        Stop::Failed {
            code: code.into(),
            message,
        }
    }

    /// The reply passed [`MAX_REPLY_CHARS`].
    pub fn reply_too_long() -> Stop {
        Stop::failed(
            "reply_too_long",
            format!("The reply passed {MAX_REPLY_CHARS} characters and was cut off."),
        )
    }

    /// A tool call's arguments passed [`MAX_ARGUMENT_BYTES`].
    pub fn tool_call_too_large() -> Stop {
        Stop::failed(
            "tool_call_too_large",
            "The model wrote tool arguments over 16 KB; the turn was stopped.".into(),
        )
    }

    /// The model still asked for tools after the last round.
    pub fn rounds_exceeded(max_rounds: usize) -> Stop {
        Stop::failed(
            "tool_rounds_exceeded",
            format!(
                "The model kept asking for tools after {max_rounds} rounds, so Ward stopped it. Try a more specific question."
            ),
        )
    }

    /// The provider call could not start (`code` and sentence from the provider error).
    pub fn provider_unavailable(code: &str, error: &dyn std::fmt::Display) -> Stop {
        Stop::failed(code, format!("{error}. Please try again in a moment."))
    }

    /// The provider's stream broke off.
    pub fn provider_broke_off(code: &str, error: &dyn std::fmt::Display) -> Stop {
        Stop::failed(code, format!("{error}; the reply was cut off."))
    }
}

/// The refusal of a call past [`MAX_CALLS_PER_ROUND`] in one round.
pub fn too_many_calls() -> Error {
    Error::forbidden(
        "too_many_tool_calls",
        format!("At most {MAX_CALLS_PER_ROUND} tool calls are run per round."),
    )
}

/// Whether the `i`-th call of a round (from 0) is run.
pub fn call_is_run(i: usize) -> bool {
    i < MAX_CALLS_PER_ROUND
}

/// Whether a round's provider call is offered tools: every round but the last, which
/// must answer in words.
pub fn offers_tools(round: usize, max_rounds: usize) -> bool {
    round < max_rounds
}

/// Whether a reply of `chars` characters has passed [`MAX_REPLY_CHARS`].
pub fn reply_too_long(chars: usize) -> bool {
    chars > MAX_REPLY_CHARS
}

/// A tool call as its streamed pieces assemble it.
#[derive(Default, Clone, Debug, PartialEq)]
pub struct PendingCall {
    /// The provider's call id (the last piece that carried one).
    pub id: ModelOutput,
    /// The tool's name, its pieces joined.
    pub name: ModelOutput,
    /// The JSON arguments, their pieces joined.
    pub arguments: ModelOutput,
}

/// The tool calls of one provider call, as their pieces arrive.
#[derive(Default, Debug)]
pub struct ToolCalls(Vec<PendingCall>);

impl ToolCalls {
    /// Adds one streamed piece of call `index`. Pieces past [`MAX_CALL_INDEX`] are
    /// ignored; arguments growing past [`MAX_ARGUMENT_BYTES`] stop the turn.
    pub fn push(
        &mut self,
        index: u32,
        id: Option<ModelOutput>,
        name: Option<ModelOutput>,
        arguments: Option<ModelOutput>,
    ) -> Result<(), Stop> {
        let i = index as usize;
        if i >= MAX_CALL_INDEX {
            return Ok(());
        }
        if self.0.len() <= i {
            self.0.resize(i + 1, PendingCall::default());
        }
        let c = &mut self.0[i];
        if let Some(id) = id {
            c.id = id;
        }
        if let Some(n) = name {
            c.name.push(&n);
        }
        if let Some(a) = arguments {
            c.arguments.push(&a);
            if c.arguments.len() > MAX_ARGUMENT_BYTES {
                return Err(Stop::tool_call_too_large());
            }
        }
        Ok(())
    }

    /// The tokens of every call's arguments, as estimated.
    pub fn estimated_tokens(&self) -> u64 {
        self.0
            .iter()
            .map(|c| estimate_tokens(c.arguments.as_str()))
            .sum()
    }

    /// The calls that have a name (the model asked for a tool), in index order.
    pub fn complete(self) -> Vec<PendingCall> {
        self.0.into_iter().filter(|c| !c.name.is_empty()).collect()
    }
}

/// A provider call's usage when the provider reported none: the prompt as estimated,
/// and the completion as the text and the calls' arguments estimate.
pub fn estimated_usage(
    messages: &[ModelMessage],
    text: &ModelOutput,
    calls: &ToolCalls,
) -> (u64, u64) {
    (
        estimated_prompt_tokens(messages),
        estimate_tokens(text.as_str()) + calls.estimated_tokens(),
    )
}

/// What the first provider call's prompt is estimated at, for its reservation.
pub fn opening_prompt_estimate(message: &str) -> u64 {
    estimate_tokens(message) + OPENING_PROMPT_MARGIN
}

/// The title a session takes from its first message: its first [`TITLE_CHARS`]
/// characters, with an ellipsis when cut.
pub fn title_of(first_message: &str) -> String {
    let mut title: String = first_message.chars().take(TITLE_CHARS).collect();
    if first_message.chars().count() > TITLE_CHARS {
        title.push('…');
    }
    title
}

/// How long a turn may hold its session's lease: every provider call (`max_rounds` + 1)
/// timing out, plus a minute's margin for the tools, at most a day and a minute. A
/// replica that dies mid-turn blocks the session for at most this, or until its
/// heartbeat is seen stale (`chat::recovery`).
pub fn turn_lease(llm_timeout: std::time::Duration, max_rounds: u32) -> chrono::Duration {
    let calls = max_rounds.saturating_add(1);
    let provider = llm_timeout
        .checked_mul(calls)
        .and_then(|d| chrono::Duration::from_std(d).ok())
        .unwrap_or(chrono::Duration::MAX);
    provider.min(chrono::Duration::days(1)) + chrono::Duration::seconds(60)
}

/// The patient a session is bound to by its first message: the one patient it names, if
/// it names exactly one.
pub fn named_patient(named: &[String]) -> Option<String> {
    (named.len() == 1).then(|| named[0].clone())
}

/// The patients a turn's tools may touch: the session's patient and every patient the
/// clinician named in this message, sorted, once each.
pub fn allowed_patients(session_patient: Option<&str>, named: Vec<String>) -> Vec<String> {
    let mut allowed: Vec<String> = session_patient
        .map(str::to_string)
        .into_iter()
        .chain(named)
        .collect();
    allowed.sort();
    allowed.dedup();
    allowed
}

/// The words of a message that may name a patient: `ids`, words with a digit (a patient
/// id or an MRN; at most 50, sorted, once each), and `names`, pairs of capitalised words
/// in a row, lower-cased (a given and a family name; at most 50). Only the first 400
/// words are read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NameCandidates {
    /// Words that may be a patient id or an MRN.
    pub ids: Vec<String>,
    /// (given, family) pairs, lower-cased.
    pub names: Vec<(String, String)>,
}

impl NameCandidates {
    /// The candidates in `text`.
    pub fn of(text: &str) -> NameCandidates {
        let words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || ",;:!?()[]{}\"".contains(c))
            .map(|w| {
                w.trim_end_matches('.')
                    .trim_end_matches("'s")
                    .trim_end_matches('\u{2019}')
                    .to_string()
            })
            .filter(|w| !w.is_empty())
            .take(400)
            .collect();
        let mut ids: Vec<String> = words
            .iter()
            .filter(|w| w.len() <= 64 && w.chars().any(|c| c.is_ascii_digit()))
            .cloned()
            .collect();
        ids.sort();
        ids.dedup();
        ids.truncate(50);
        let mut names = vec![];
        for w in words.windows(2) {
            let cap = |s: &str| s.chars().next().is_some_and(char::is_uppercase);
            if cap(&w[0]) && cap(&w[1]) && names.len() < 50 {
                names.push((w[0].to_lowercase(), w[1].to_lowercase()));
            }
        }
        NameCandidates { ids, names }
    }

    /// Whether there is nothing to look up.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.names.is_empty()
    }
}

/// How a tool's refusal or failure is shown to the clinician and named to the model: a
/// policy refusal is `Denied` ("denied"), anything else an `Error` ("error").
pub fn failure_status(kind: ErrorKind) -> (ToolStatus, &'static str) {
    if kind == ErrorKind::Forbidden {
        (ToolStatus::Denied, "denied")
    } else {
        (ToolStatus::Error, "error")
    }
}

/// Whether a tool's failure ends the turn instead of going back to the model: the audit
/// trail (or the database) is unavailable, so no later call could be recorded either.
pub fn failure_ends_turn(kind: ErrorKind) -> bool {
    kind == ErrorKind::Unavailable
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::Protected;
    use std::time::Duration;

    fn out(s: &str) -> Option<ModelOutput> {
        Some(ModelOutput::new_for_tests(s))
    }

    #[test]
    fn tool_call_pieces_assemble_by_index() {
        let mut calls = ToolCalls::default();
        calls
            .push(1, out("call_b"), out("get_"), out("{\"patient"))
            .unwrap();
        calls
            .push(0, out("call_a"), out("search_patients"), out("{}"))
            .unwrap();
        calls
            .push(1, None, out("vital_signs"), out("_id\":\"p1\"}"))
            .unwrap();
        let done = calls.complete();
        assert_eq!(done.len(), 2);
        assert_eq!(done[0].id.as_str(), "call_a");
        assert_eq!(done[0].name.as_str(), "search_patients");
        assert_eq!(done[1].id.as_str(), "call_b");
        assert_eq!(done[1].name.as_str(), "get_vital_signs");
        assert_eq!(done[1].arguments.as_str(), "{\"patient_id\":\"p1\"}");
    }

    #[test]
    fn a_later_id_replaces_an_earlier_one() {
        let mut calls = ToolCalls::default();
        calls.push(0, out("first"), out("x"), None).unwrap();
        calls.push(0, out("second"), None, None).unwrap();
        assert_eq!(calls.complete()[0].id.as_str(), "second");
    }

    #[test]
    fn nameless_calls_and_far_indexes_are_dropped() {
        let mut calls = ToolCalls::default();
        calls
            .push(2, out("c"), out("get_medications"), None)
            .unwrap();
        calls
            .push(
                MAX_CALL_INDEX as u32,
                out("far"),
                out("get_vital_signs"),
                None,
            )
            .unwrap();
        let done = calls.complete();
        assert_eq!(done.len(), 1, "indexes 0 and 1 have no name; 64 is ignored");
        assert_eq!(done[0].name.as_str(), "get_medications");
    }

    #[test]
    fn arguments_past_the_bound_stop_the_turn() {
        let mut calls = ToolCalls::default();
        let piece = "a".repeat(MAX_ARGUMENT_BYTES);
        calls.push(0, None, out("t"), out(&piece)).unwrap();
        let stop = calls.push(0, None, None, out("b")).unwrap_err();
        assert!(matches!(stop, Stop::Failed { ref code, .. } if code == "tool_call_too_large"));
    }

    #[test]
    fn usage_is_estimated_from_the_prompt_the_text_and_the_arguments() {
        let messages = vec![ModelMessage::User(Protected::for_tests("abcdefgh"))];
        let text = ModelOutput::new_for_tests("abcd");
        let mut calls = ToolCalls::default();
        calls.push(0, None, out("t"), out("abcdefgh")).unwrap();
        let (prompt, completion) = estimated_usage(&messages, &text, &calls);
        assert_eq!(prompt, estimate_tokens("abcdefgh"));
        assert_eq!(
            completion,
            estimate_tokens("abcd") + estimate_tokens("abcdefgh")
        );
        assert!(completion > estimate_tokens("abcd"));
    }

    #[test]
    fn the_opening_estimate_adds_the_margin() {
        assert_eq!(
            opening_prompt_estimate(""),
            estimate_tokens("") + OPENING_PROMPT_MARGIN
        );
        assert!(opening_prompt_estimate(&"word ".repeat(400)) > opening_prompt_estimate("word"));
    }

    #[test]
    fn calls_past_the_round_bound_are_not_run() {
        assert!(call_is_run(0));
        assert!(call_is_run(MAX_CALLS_PER_ROUND - 1));
        assert!(!call_is_run(MAX_CALLS_PER_ROUND));
        assert_eq!(too_many_calls().code, "too_many_tool_calls");
        assert_eq!(too_many_calls().kind, ErrorKind::Forbidden);
    }

    #[test]
    fn the_last_round_is_offered_no_tools() {
        assert!(offers_tools(0, 3));
        assert!(offers_tools(2, 3));
        assert!(!offers_tools(3, 3));
        assert!(!offers_tools(0, 0));
    }

    #[test]
    fn a_reply_is_too_long_only_past_the_bound() {
        assert!(!reply_too_long(MAX_REPLY_CHARS));
        assert!(reply_too_long(MAX_REPLY_CHARS + 1));
        assert!(
            matches!(Stop::reply_too_long(), Stop::Failed { ref code, .. } if code == "reply_too_long")
        );
        assert!(
            matches!(Stop::rounds_exceeded(3), Stop::Failed { ref message, .. } if message.contains("after 3 rounds"))
        );
    }

    #[test]
    fn a_title_is_the_first_sixty_characters() {
        assert_eq!(title_of("Short question"), "Short question");
        let long = "é".repeat(TITLE_CHARS + 5);
        let title = title_of(&long);
        assert_eq!(title.chars().count(), TITLE_CHARS + 1);
        assert!(title.ends_with('…'));
        assert_eq!(title_of(&"x".repeat(TITLE_CHARS)), "x".repeat(TITLE_CHARS));
    }

    #[test]
    fn the_lease_covers_every_call_and_a_minute_at_most_a_day() {
        let lease = turn_lease(Duration::from_secs(60), 3);
        assert_eq!(lease, chrono::Duration::seconds(4 * 60 + 60));
        let capped = turn_lease(Duration::from_secs(3600), 100);
        assert_eq!(
            capped,
            chrono::Duration::days(1) + chrono::Duration::seconds(60)
        );
        let huge = turn_lease(Duration::MAX, u32::MAX);
        assert_eq!(
            huge,
            chrono::Duration::days(1) + chrono::Duration::seconds(60)
        );
    }

    #[test]
    fn the_allowed_patients_are_the_sessions_and_the_named_once_each() {
        let allowed = allowed_patients(Some("p2"), vec!["p3".into(), "p2".into(), "p1".into()]);
        assert_eq!(allowed, ["p1", "p2", "p3"]);
        assert!(allowed_patients(None, vec![]).is_empty());
        assert_eq!(named_patient(&["p1".into()]), Some("p1".into()));
        assert_eq!(named_patient(&["p1".into(), "p2".into()]), None);
        assert_eq!(named_patient(&[]), None);
    }

    #[test]
    fn names_and_ids_are_found_in_a_message() {
        let c = NameCandidates::of("How is John Smith's potassium? MRN 12345, see (MRN 12345).");
        assert_eq!(c.ids, ["12345"]);
        assert_eq!(c.names, [("john".to_string(), "smith".to_string())]);
        assert!(NameCandidates::of("nothing here").is_empty());
        let many: String = (0..100).map(|i| format!("id{i} ")).collect();
        assert_eq!(NameCandidates::of(&many).ids.len(), 50);
        assert_eq!(
            NameCandidates::of(&format!("{} 42", "w ".repeat(400)))
                .ids
                .len(),
            0,
            "only 400 words are read"
        );
    }

    #[test]
    fn a_refusal_is_denied_and_anything_else_an_error() {
        assert_eq!(
            failure_status(ErrorKind::Forbidden),
            (ToolStatus::Denied, "denied")
        );
        assert_eq!(
            failure_status(ErrorKind::NotFound),
            (ToolStatus::Error, "error")
        );
        assert!(failure_ends_turn(ErrorKind::Unavailable));
        assert!(!failure_ends_turn(ErrorKind::Forbidden));
    }
}

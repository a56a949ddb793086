//! How values read on screen: times, tool names, roles, money, and errors in plain words.

use crate::client::ApiError;
use leptos::prelude::*;
use ward_domain::chat::ToolStatus;
use ward_domain::role::Role;

/// A time from the API (RFC 3339) as a short local date and time ("25 Nov 2026, 14:05").
/// Falls back to the text itself when it is not a time. On the server, which does not know
/// the reader's time zone, it is [`utc_time`].
pub fn short_time(rfc3339: &str) -> String {
    local_time(rfc3339, false)
}

/// Like [`short_time`], with seconds (for the audit trail).
pub fn time_with_seconds(rfc3339: &str) -> String {
    local_time(rfc3339, true)
}

fn local_time(rfc3339: &str, seconds: bool) -> String {
    #[cfg(feature = "hydrate")]
    {
        // The browser's local time from `Date`'s getters: `toLocaleString` would build an
        // `Intl.DateTimeFormat` on every call (about 30 ms for a first chat screen's
        // session list, seen in a CPU profile).
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        if date.get_time().is_nan() {
            return rfc3339.to_string();
        }
        let time = DateTime {
            year: date.get_full_year(),
            month0: date.get_month(),
            day: date.get_date(),
            hour: date.get_hours(),
            minute: date.get_minutes(),
            second: date.get_seconds(),
        };
        time.format(seconds)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        utc_time(rfc3339, seconds)
    }
}

/// A time from the API in UTC, the same on the server and in the browser ("25 Nov 2026,
/// 14:05 UTC"); the text itself when it is not an RFC 3339 time.
pub fn utc_time(rfc3339: &str, seconds: bool) -> String {
    let field = |range: std::ops::Range<usize>| rfc3339.get(range)?.parse::<u32>().ok();
    let time = (|| {
        Some(DateTime {
            year: field(0..4)?,
            month0: field(5..7)?.checked_sub(1)?,
            day: field(8..10)?,
            hour: field(11..13)?,
            minute: field(14..16)?,
            second: field(17..19)?,
        })
    })();
    match time {
        Some(t) if rfc3339.ends_with('Z') || rfc3339.ends_with("+00:00") => {
            format!("{} UTC", t.format(seconds))
        }
        _ => rfc3339.to_string(),
    }
}

/// Now, as RFC 3339 (in the browser; empty on the server, which never needs it).
pub fn now_iso() -> String {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::new_0().to_iso_string().into()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// A `<time>` element, shown in the reader's local time zone. The server renders it in
/// UTC and the browser puts in the local time once the screen is live, so that a page's
/// first render is the same on the server and in the browser (which hydrates it).
pub fn time_element(iso: String) -> impl IntoView {
    let text = RwSignal::new(utc_time(&iso, false));
    let local = iso.clone();
    Effect::new(move |_| text.set(short_time(&local)));
    view! { <time datetime=iso>{move || text.get()}</time> }
}

/// A date and time of day.
struct DateTime {
    year: u32,
    /// January is 0, as in `Date`.
    month0: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl DateTime {
    /// "25 Nov 2026, 14:05" (with `seconds`, "25 Nov 2026, 14:05:09"): British English,
    /// the clinicians' format, written out so no locale data is needed.
    fn format(&self, seconds: bool) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = MONTHS.get(self.month0 as usize).copied().unwrap_or("?");
        let mut text = format!(
            "{} {month} {}, {:02}:{:02}",
            self.day, self.year, self.hour, self.minute
        );
        if seconds {
            text.push_str(&format!(":{:02}", self.second));
        }
        text
    }
}

/// JSON text re-indented for reading: two spaces a level, one member per line, as
/// `serde_json::to_string_pretty` writes it. The text is not parsed into values (so the
/// browser carries no JSON tree or number formatting for it): strings and numbers are
/// copied as they are, whitespace outside strings is dropped, and text that is not JSON
/// only loses that whitespace.
pub fn pretty_json(text: &str) -> String {
    fn new_line(out: &mut String, depth: usize) {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                while chars.next_if(|n| n.is_whitespace()).is_some() {}
                let close = if c == '{' { '}' } else { ']' };
                if chars.next_if_eq(&close).is_some() {
                    out.push(close);
                } else {
                    depth += 1;
                    new_line(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                new_line(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                new_line(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// A tool's name for people ("get_lab_results" → "Lab results").
pub fn tool_label(name: &str) -> String {
    match name {
        "search_patients" => "Patient search".into(),
        "get_patient_overview" => "Patient overview".into(),
        "list_admissions" => "Admissions".into(),
        "get_lab_results" => "Lab results".into(),
        "get_vital_signs" => "Vital signs".into(),
        "get_medications" => "Medications".into(),
        "get_clinical_notes" => "Clinical notes".into(),
        "get_billing_summary" => "Billing summary".into(),
        "list_insurance_claims" => "Insurance claims".into(),
        "list_procedures" => "Procedures".into(),
        "list_immunizations" => "Immunizations".into(),
        "get_diagnostic_reports" => "Diagnostic reports".into(),
        "list_allergies" => "Allergies".into(),
        "list_care_plans" => "Care plans".into(),
        other => other.replace('_', " "),
    }
}

/// A tool call's status in words.
pub fn status_label(status: ToolStatus) -> &'static str {
    match status {
        ToolStatus::Running => "Running…",
        ToolStatus::Ok => "Done",
        ToolStatus::Denied => "Denied",
        ToolStatus::Error => "Error",
    }
}

/// The CSS class of a tool call's status.
pub fn status_class(status: ToolStatus) -> &'static str {
    match status {
        ToolStatus::Running => "running",
        ToolStatus::Ok => "ok",
        ToolStatus::Denied => "denied",
        ToolStatus::Error => "error",
    }
}

/// A role for people.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Doctor => "Doctor",
        Role::Nurse => "Nurse",
        Role::Billing => "Billing",
        Role::Reviewer => "Reviewer",
        Role::Auditor => "Auditor",
        Role::Admin => "Admin",
    }
}

/// US dollars with cents (or more digits for small amounts).
pub fn usd(amount: f64) -> String {
    if amount != 0.0 && amount.abs() < 0.01 {
        format!("${amount:.4}")
    } else {
        format!("${amount:.2}")
    }
}

/// A wait in seconds as words ("about 3 minutes").
pub fn wait_words(seconds: u64) -> String {
    match seconds {
        0..=59 => "under a minute".into(),
        60..=5399 => {
            let m = seconds.div_ceil(60);
            format!("about {m} minute{}", if m == 1 { "" } else { "s" })
        }
        _ => {
            let h = (seconds + 1800) / 3600;
            format!("about {h} hour{}", if h == 1 { "" } else { "s" })
        }
    }
}

/// A problem in plain words: a headline and what to do.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// What happened, in a few words.
    pub headline: String,
    /// Ward's explanation and what to do next.
    pub detail: String,
}

/// Explains a failed call or a stream `error` event (`code`, `message`) in plain words.
pub fn explain(code: &str, message: &str, retry_after: Option<u64>) -> Problem {
    let (headline, detail) = match code {
        "rate_limited" => (
            "You have reached the message limit.".to_string(),
            match retry_after {
                Some(s) => format!("{message} You can send again in {}.", wait_words(s)),
                None => message.to_string(),
            },
        ),
        "budget_exceeded" => (
            "Today's AI budget is used up.".to_string(),
            match retry_after {
                Some(s) => format!(
                    "Ward stops sending questions to the model until the budget resets at midnight UTC, in {}. An admin can raise the budget.",
                    wait_words(s)
                ),
                None => "An admin can raise the budget; it resets at midnight UTC.".into(),
            },
        ),
        c if c.starts_with("provider_") => (
            "The AI model is not answering right now.".to_string(),
            format!("{message} Your question is saved; try again in a minute."),
        ),
        "session_busy" => (
            "A reply is still coming in this session.".to_string(),
            format!("{message} Press Stop, or wait a moment and send again."),
        ),
        "reply_interrupted" => (
            "Reply interrupted".to_string(),
            "The Ward server writing this reply stopped before it was finished. What had been shown is kept above; ask again to continue.".to_string(),
        ),
        "network" => (
            "Ward cannot be reached.".to_string(),
            "Check the network connection and try again.".to_string(),
        ),
        "tool_rounds_exceeded" => ("The question needed too many steps.".to_string(), message.to_string()),
        _ => ("Something went wrong.".to_string(), message.to_string()),
    };
    Problem { headline, detail }
}

/// [`explain`] for an [`ApiError`].
pub fn explain_error(e: &ApiError) -> Problem {
    explain(&e.code, &e.message, e.retry_after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_limit_says_how_long_to_wait() {
        let p = explain(
            "rate_limited",
            "You have sent 2 messages in the last hour.",
            Some(3000),
        );
        assert!(p.detail.contains("about 50 minutes"), "{}", p.detail);
    }

    #[test]
    fn a_busy_session_says_what_to_do() {
        let p = explain(
            "session_busy",
            "A reply is still streaming in this session.",
            None,
        );
        assert_eq!(p.headline, "A reply is still coming in this session.");
        assert!(p.detail.contains("Press Stop"), "{}", p.detail);
    }

    #[test]
    fn an_interrupted_reply_says_so() {
        let p = explain("reply_interrupted", "Reply interrupted: …", None);
        assert_eq!(p.headline, "Reply interrupted");
    }

    #[test]
    fn waits_read_as_words() {
        assert_eq!(wait_words(30), "under a minute");
        assert_eq!(wait_words(60), "about 1 minute");
        assert_eq!(wait_words(7200), "about 2 hours");
    }

    #[test]
    fn times_read_as_british_dates() {
        let t = DateTime {
            year: 2026,
            month0: 11,
            day: 4,
            hour: 9,
            minute: 5,
            second: 7,
        };
        assert_eq!(t.format(false), "4 Dec 2026, 09:05");
        assert_eq!(t.format(true), "4 Dec 2026, 09:05:07");
        assert_eq!(
            utc_time("2026-12-04T09:05:07.123456Z", false),
            "4 Dec 2026, 09:05 UTC"
        );
        assert_eq!(utc_time("yesterday", false), "yesterday");
    }

    #[test]
    fn json_text_is_indented_as_serde_json_would() {
        // Keys in order, as serde_json's map writes them.
        let text = r#"{"empty":{},"labs":[{"flags":[],"name":"K, \"serum\"","value":4.10}],"patient_id":"PAT-001"}"#;
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let expected = serde_json::to_string_pretty(&value).unwrap();
        // serde_json writes 4.10 as 4.1; the text is copied as it came.
        assert_eq!(pretty_json(text), expected.replace("4.1", "4.10"));
        assert_eq!(pretty_json(" [ 1 , 2 ] "), "[\n  1,\n  2\n]");
        assert_eq!(pretty_json("{}"), "{}");
        assert_eq!(pretty_json(r#""a { b""#), r#""a { b""#);
    }

    #[test]
    fn tool_names_read_as_words() {
        assert_eq!(tool_label("get_lab_results"), "Lab results");
        assert_eq!(tool_label("new_tool"), "new tool");
    }
}

//! How values read on screen: times, tool names, roles, money, and errors in plain words.

use crate::client::ApiError;
use ward_domain::chat::ToolStatus;
use ward_domain::role::Role;

/// A time from the API (RFC 3339) as a short local date and time ("25 Nov 2026, 14:05").
/// Falls back to the text itself when it is not a time.
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
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        if date.get_time().is_nan() {
            return rfc3339.to_string();
        }
        let options = js_sys::Object::new();
        let time_style = if seconds { "medium" } else { "short" };
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &time_style.into());
        date.to_locale_string("en-GB", &options).into()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let end = if seconds { 19 } else { 16 };
        rfc3339.get(..end).unwrap_or(rfc3339).replace('T', " ")
    }
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
    fn waits_read_as_words() {
        assert_eq!(wait_words(30), "under a minute");
        assert_eq!(wait_words(60), "about 1 minute");
        assert_eq!(wait_words(7200), "about 2 hours");
    }

    #[test]
    fn tool_names_read_as_words() {
        assert_eq!(tool_label("get_lab_results"), "Lab results");
        assert_eq!(tool_label("new_tool"), "new tool");
    }
}

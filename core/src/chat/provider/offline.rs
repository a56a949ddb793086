//! The offline provider: a deterministic local agent for demos and tests, labelled as such
//! in the UI. It plays the model's part honestly: it sees only what a remote model would
//! see (protected text, surrogates such as `[PATIENT_1]`), recognises the patient and the
//! intents ("labs", "medications", "admissions", "billing"…) in the clinician's message,
//! asks for tools through the same loop and checks as any model, and writes its answer
//! from the tool results it gets back.

use super::{
    estimated_prompt_tokens, EventStream, ModelEvent, ModelMessage, ModelOutput, ModelRequest,
    Provider, ProviderError,
};
use crate::chat::framing;
use futures::future::BoxFuture;
use futures::{stream, StreamExt};
use serde_json::{json, Value};
use ward_domain::pricing::estimate_tokens;
use ward_domain::tool::ToolName;

/// The offline agent.
pub struct OfflineAgent {
    model: String,
}

impl OfflineAgent {
    /// An agent reporting `model` as its model name.
    pub fn new(model: &str) -> Self {
        OfflineAgent {
            model: model.to_string(),
        }
    }
}

/// A reference to a patient found in the clinician's message.
#[derive(Clone, Debug, PartialEq, Eq)]
enum PatientRef {
    /// A patient id (raw like `PAT-001`, or its surrogate like `[ID_1]`).
    Id(String),
    /// Something to search for (a name or MRN, raw or surrogate).
    Search(String),
}

/// Tokens that look like surrogates: `[LABEL_N]`.
fn surrogates(text: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else { break };
        let inner = &after[..close];
        if let Some(us) = inner.rfind('_') {
            let (label, num) = (&inner[..us], &inner[us + 1..]);
            if !label.is_empty()
                && label.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                && !num.is_empty()
                && num.chars().all(|c| c.is_ascii_digit())
            {
                out.push((label.to_string(), format!("[{inner}]")));
            }
        }
        rest = &after[close + 1..];
    }
    out
}

/// Raw patient ids like `PAT-001` (letters, a dash, digits).
fn raw_patient_ids(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || ",;:!?()'\"".contains(c))
        .map(|w| w.trim_end_matches('.').trim_end_matches("'s"))
        .filter(|w| {
            let mut parts = w.splitn(2, '-');
            matches!((parts.next(), parts.next()), (Some(a), Some(b))
                if a.len() >= 2 && a.chars().all(|c| c.is_ascii_uppercase())
                && !b.is_empty() && b.chars().all(|c| c.is_ascii_digit()))
        })
        .map(str::to_string)
        .collect()
}

/// Two or three consecutive capitalised words (a name, in `allow` mode).
fn raw_name(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let cap = |w: &str| {
        let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        let mut c = w.chars();
        c.next().is_some_and(|f| f.is_uppercase()) && c.all(|x| x.is_lowercase()) && w.len() > 1
    };
    let skip = [
        "Show",
        "What",
        "List",
        "Give",
        "Find",
        "Get",
        "Please",
        "Tell",
        "Summarize",
        "Search",
        "Look",
        "Any",
        "Are",
        "Is",
        "Does",
        "Has",
        "The",
        "Which",
        "When",
        "How",
        "Can",
    ];
    for i in 0..words.len().saturating_sub(1) {
        if cap(words[i]) && cap(words[i + 1]) && !skip.contains(&words[i]) {
            let clean = |w: &str| {
                w.trim_end_matches(|c: char| !c.is_alphanumeric())
                    .trim_end_matches("'s")
                    .to_string()
            };
            return Some(format!("{} {}", clean(words[i]), clean(words[i + 1])));
        }
    }
    None
}

fn patient_ref(text: &str) -> Option<PatientRef> {
    let subs = surrogates(text);
    if let Some((_, s)) = subs
        .iter()
        .find(|(l, _)| l == "ID" || l.ends_with("PATIENT_ID"))
    {
        return Some(PatientRef::Id(s.clone()));
    }
    if let Some(id) = raw_patient_ids(text).into_iter().next() {
        return Some(PatientRef::Id(id));
    }
    if let Some((_, s)) = subs
        .iter()
        .find(|(l, _)| ["PATIENT", "PERSON", "NAME", "MRN"].contains(&l.as_str()))
    {
        return Some(PatientRef::Search(s.clone()));
    }
    raw_name(text).map(PatientRef::Search)
}

/// The tools a message asks for, with an optional filter (a lab test).
fn intents(text: &str) -> Vec<(ToolName, Option<String>)> {
    let t = format!(" {} ", text.to_lowercase());
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    let mut out = vec![];
    let tests = [
        ("a1c", "Hemoglobin A1c"),
        ("glucose", "Glucose"),
        ("creatinine", "Creatinine"),
        ("potassium", "Potassium"),
        ("sodium", "Sodium"),
        ("ldl", "LDL cholesterol"),
        ("cholesterol", "LDL cholesterol"),
        ("troponin", "Troponin I"),
        ("platelet", "Platelet count"),
        ("white blood", "White blood cell count"),
        ("wbc", "White blood cell count"),
    ];
    let test = tests
        .iter()
        .find(|(k, _)| t.contains(k))
        .map(|(_, v)| v.to_string());
    if test.is_some()
        || has(&[
            " lab",
            "result",
            "blood work",
            "bloodwork",
            " cbc",
            " bmp",
            "hemoglobin",
        ])
    {
        out.push((ToolName::GetLabResults, test));
    }
    if has(&["medication", " meds", " drug", "prescri", " taking"]) {
        out.push((ToolName::GetMedications, None));
    }
    if has(&[
        "admission",
        "admitted",
        "encounter",
        " visit",
        "hospitali",
        " stay",
    ]) {
        out.push((ToolName::ListAdmissions, None));
    }
    if has(&[
        "vital",
        "blood pressure",
        " bp",
        "heart rate",
        "pulse",
        "temperature",
        "spo2",
        "oxygen",
        "weight",
    ]) {
        out.push((ToolName::GetVitalSigns, None));
    }
    if has(&[" note", "discharge summary", "h&p", "history and physical"]) {
        out.push((ToolName::GetClinicalNotes, None));
    }
    if has(&["billing", " bill", "balance", " owe", "charges", " account"]) {
        out.push((ToolName::GetBillingSummary, None));
    }
    if has(&["claim", "insurance", " payer"]) {
        out.push((ToolName::ListInsuranceClaims, None));
    }
    // Procedures, immunizations, reports, allergies, care plans (issue 31).
    out.extend(super::offline_records::intents(&t));
    if out.is_empty()
        && has(&[
            "overview",
            "summary",
            "summar",
            " about",
            "who is",
            "demographic",
            "condition",
            "diagnos",
            "allerg",
            "problem",
            "history",
        ])
    {
        out.push((ToolName::GetPatientOverview, None));
    }
    out
}

fn wants_search(text: &str) -> bool {
    let t = text.to_lowercase();
    ["find ", "search", "look up", "lookup", "which patient"]
        .iter()
        .any(|w| t.contains(w))
}

fn args_for(tool: ToolName, patient_id: &str, filter: &Option<String>) -> Value {
    if let Some(args) = super::offline_records::arguments(tool, patient_id, filter) {
        return args;
    }
    match (tool, filter) {
        (ToolName::GetLabResults, Some(test)) => json!({"patient_id": patient_id, "test": test}),
        _ => json!({"patient_id": patient_id}),
    }
}

/// What the agent decides to do next.
#[derive(Debug, PartialEq)]
enum Step {
    /// Call these tools: (name, arguments).
    Call(Vec<(String, Value)>),
    /// Answer with this text.
    Say(String),
}

const HELP: &str = "I'm Ward's offline assistant, a local demo agent that answers from \
the hospital record without a cloud model. Ask about one patient at a time, for example: \
\"Show the latest labs for PAT-001\", \"What medications is John Doe taking?\" or \"List \
PAT-002's admissions\".";

/// The last user message, and the tool results after the last assistant tool call.
fn decide(messages: &[ModelMessage]) -> Step {
    let last_user = messages.iter().rev().find_map(|m| match m {
        ModelMessage::User(t) => Some(t.as_str().to_string()),
        _ => None,
    });
    let Some(user) = last_user else {
        return Step::Say(HELP.into());
    };
    // Tool results since the last user message.
    let mut calls: Vec<(String, String)> = vec![];
    let mut results: Vec<(String, Value)> = vec![];
    for m in messages.iter().rev() {
        match m {
            ModelMessage::User(_) => break,
            ModelMessage::Tool { call_id, content } => {
                results.push((
                    call_id.as_str().to_string(),
                    framing::unframe(content.as_str()),
                ));
            }
            ModelMessage::Assistant { tool_calls, .. } => {
                calls.extend(
                    tool_calls
                        .iter()
                        .map(|c| (c.id.as_str().to_string(), c.name.as_str().to_string())),
                );
            }
            ModelMessage::System(_) => {}
        }
    }
    results.reverse();
    let name_of = |id: &str| {
        calls
            .iter()
            .find(|(c, _)| c == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let wanted = intents(&user);
    // A follow-up ("and his vitals?") is about the patient of the conversation so far.
    let reference = patient_ref(&user).or_else(|| {
        messages.iter().rev().find_map(|m| match m {
            ModelMessage::User(t) => patient_ref(t.as_str()),
            _ => None,
        })
    });

    if results.is_empty() {
        return match (&reference, wanted.is_empty()) {
            (Some(PatientRef::Id(id)), false) => Step::Call(
                wanted
                    .iter()
                    .map(|(t, f)| (t.as_str().to_string(), args_for(*t, id, f)))
                    .collect(),
            ),
            (Some(PatientRef::Id(id)), true) => Step::Call(vec![(
                ToolName::GetPatientOverview.as_str().into(),
                json!({"patient_id": id}),
            )]),
            (Some(PatientRef::Search(q)), _) => Step::Call(vec![(
                ToolName::SearchPatients.as_str().into(),
                json!({"query": q, "limit": 5}),
            )]),
            (None, _) if wants_search(&user) => {
                let q = user
                    .split_whitespace()
                    .skip_while(|w| {
                        !["find", "search", "for", "up"].contains(&w.to_lowercase().as_str())
                    })
                    .skip(1)
                    .collect::<Vec<_>>()
                    .join(" ");
                if q.is_empty() {
                    Step::Say(HELP.into())
                } else {
                    Step::Call(vec![(
                        ToolName::SearchPatients.as_str().into(),
                        json!({"query": q, "limit": 10}),
                    )])
                }
            }
            (None, _) => Step::Say(HELP.into()),
        };
    }

    // A search came back: go on to the tools the clinician asked for.
    let after_search =
        results.len() == 1 && name_of(&results[0].0) == ToolName::SearchPatients.as_str();
    let only_searching = wants_search(&user) && wanted.is_empty();
    if after_search && !only_searching {
        let r = &results[0].1;
        if r.get("status").and_then(Value::as_str) != Some("ok") {
            return Step::Say(failure_sentence("search_patients", r));
        }
        let matches = r["data"]["patients"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let who = match &reference {
            Some(PatientRef::Search(q)) => q.clone(),
            _ => "that patient".into(),
        };
        return match matches.len() {
            0 => Step::Say(format!("I could not find a patient matching {who} among the patients you may see.")),
            1 => {
                let id = matches[0]["patient_id"].as_str().unwrap_or_default().to_string();
                let wanted = if wanted.is_empty() { vec![(ToolName::GetPatientOverview, None)] } else { wanted };
                Step::Call(wanted.iter().map(|(t, f)| (t.as_str().to_string(), args_for(*t, &id, f))).collect())
            }
            _ => Step::Say(format!(
                "Several patients match {who}:\n{}\nWhich one do you mean? You can use the patient id.",
                matches.iter().map(describe_match).collect::<Vec<_>>().join("\n")
            )),
        };
    }

    let who = match &reference {
        Some(PatientRef::Search(q)) => q.clone(),
        Some(PatientRef::Id(id)) => id.clone(),
        None => "the patient".into(),
    };
    // A search that led to other tools was a means, not the answer.
    let answered: Vec<&(String, Value)> = results
        .iter()
        .filter(|(id, _)| results.len() == 1 || name_of(id) != ToolName::SearchPatients.as_str())
        .collect();
    let parts: Vec<String> = answered
        .iter()
        .map(|(id, r)| summarise(&name_of(id), r, &who))
        .collect();
    Step::Say(parts.join("\n\n"))
}

fn describe_match(p: &Value) -> String {
    format!(
        "- {} ({}), MRN {}, born {}",
        s(&p["name"]),
        s(&p["patient_id"]),
        s(&p["mrn"]),
        s(&p["birth_date"])
    )
}

fn s(v: &Value) -> String {
    match v {
        Value::String(x) => x.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

fn day(v: &Value) -> String {
    s(v).chars().take(10).collect()
}

fn failure_sentence(tool: &str, r: &Value) -> String {
    let status = r.get("status").and_then(Value::as_str).unwrap_or("error");
    let msg = r["error"]["message"].as_str().unwrap_or("it failed");
    if status == "denied" {
        format!("I was not allowed to use {tool}: {msg}")
    } else {
        format!("I could not use {tool}: {msg}")
    }
}

fn money(v: &Value) -> String {
    format!("${:.2}", v.as_f64().unwrap_or(0.0))
}

/// Writes a paragraph from one framed tool result.
fn summarise(tool: &str, r: &Value, who: &str) -> String {
    if r.get("status").and_then(Value::as_str) != Some("ok") {
        return failure_sentence(tool, r);
    }
    let d = &r["data"];
    let items = |k: &str| d[k].as_array().cloned().unwrap_or_default();
    match tool {
        "get_lab_results" => {
            let mut seen = std::collections::BTreeSet::new();
            let latest: Vec<Value> = items("results")
                .into_iter()
                .filter(|l| seen.insert(s(&l["test"])))
                .collect();
            if latest.is_empty() {
                return format!("No lab results are on file for {who}.");
            }
            let line = |l: &Value| {
                let flag = match l["flag"].as_str() {
                    Some("H") => " — high",
                    Some("L") => " — low",
                    _ => "",
                };
                format!("- {}: {} {} (reference {}){flag}, collected {}", s(&l["test"]), s(&l["value"]), s(&l["units"]), s(&l["reference_range"]), day(&l["collected_at"]))
            };
            let abnormal: Vec<&Value> = latest.iter().filter(|l| !s(&l["flag"]).is_empty()).collect();
            let mut out = format!("Latest lab results for {who}:\n{}", latest.iter().map(line).collect::<Vec<_>>().join("\n"));
            if !abnormal.is_empty() {
                out.push_str(&format!(
                    "\nOut of range: {}.",
                    abnormal.iter().map(|l| s(&l["test"])).collect::<Vec<_>>().join(", ")
                ));
            }
            out
        }
        "get_medications" => {
            let meds = items("medications");
            if meds.is_empty() {
                return format!("No medications are on file for {who}.");
            }
            format!(
                "Medications for {who}:\n{}",
                meds.iter()
                    .map(|m| format!("- {} {} {} {} ({}, since {})", s(&m["medication"]), s(&m["dose"]), s(&m["route"]), s(&m["frequency"]), s(&m["status"]), s(&m["start_date"])))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        }
        "list_admissions" => {
            let a = items("admissions");
            if a.is_empty() {
                return format!("No admissions are on file for {who}.");
            }
            format!(
                "Admissions for {who}:\n{}",
                a.iter()
                    .map(|e| format!(
                        "- {} to {}: {} ({}), {}, attending {}",
                        day(&e["admitted_at"]),
                        if e["discharged_at"].is_null() { "now (still admitted)".into() } else { day(&e["discharged_at"]) },
                        s(&e["reason"]),
                        s(&e["code"]),
                        s(&e["department"]),
                        s(&e["attending"])
                    ))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        }
        "get_vital_signs" => match items("vitals").first() {
            None => format!("No vital signs are on file for {who}."),
            Some(v) => format!(
                "Latest vital signs for {who} ({}): BP {}/{} mmHg, heart rate {} bpm, respiratory rate {}/min, temperature {} °C, SpO2 {}%, weight {} kg.",
                day(&v["recorded_at"]), s(&v["systolic"]), s(&v["diastolic"]), s(&v["heart_rate"]), s(&v["respiratory_rate"]), s(&v["temperature_c"]), s(&v["spo2"]), s(&v["weight_kg"])
            ),
        },
        "get_clinical_notes" => {
            let n = items("notes");
            if n.is_empty() {
                return format!("No clinical notes are on file for {who}.");
            }
            format!(
                "Clinical notes for {who}:\n{}",
                n.iter()
                    .take(5)
                    .map(|x| {
                        let text = s(&x["text"]);
                        let excerpt: String = text.chars().take(220).collect();
                        let more = if text.chars().count() > 220 { "…" } else { "" };
                        format!("- {} {} note by {}: {excerpt}{more}", day(&x["written_at"]), s(&x["note_type"]), s(&x["author"]))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        }
        "get_patient_overview" => {
            let conds: Vec<String> = d["conditions"].as_array().cloned().unwrap_or_default().iter().map(|c| format!("{} ({})", s(&c["display"]), s(&c["code"]))).collect();
            let allergies: Vec<String> = d["allergies"].as_array().cloned().unwrap_or_default().iter().map(s).collect();
            let latest = &d["latest_admission"];
            format!(
                "{} ({}), {} years old, {}, MRN {}, unit {}.\nConditions: {}.\nAllergies: {}.{}",
                s(&d["name"]), s(&d["patient_id"]), s(&d["age"]), s(&d["sex"]), s(&d["mrn"]), s(&d["unit"]),
                if conds.is_empty() { "none recorded".into() } else { conds.join("; ") },
                if allergies.is_empty() { "none known".into() } else { allergies.join(", ") },
                if latest.is_null() { String::new() } else { format!("\nLatest admission: {} for {}.", day(&latest["admitted_at"]), s(&latest["reason"])) }
            )
        }
        "get_billing_summary" => format!(
            "Billing for {who}: account {} with {}, billed {}, paid {}, balance {}, {} open claim(s).",
            s(&d["account_number"]), s(&d["payer"]), money(&d["total_billed"]), money(&d["total_paid"]), money(&d["balance"]), s(&d["open_claims"])
        ),
        "list_insurance_claims" => {
            let c = items("claims");
            if c.is_empty() {
                return format!("No insurance claims are on file for {who}.");
            }
            format!(
                "Insurance claims for {who}:\n{}",
                c.iter()
                    .map(|x| format!("- {} ({}): {}, billed {}, paid {}", s(&x["claim_number"]), day(&x["service_date"]), s(&x["status"]), money(&x["billed"]), money(&x["paid"])))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        }
        "search_patients" => {
            let m = items("patients");
            if m.is_empty() {
                "No patients you may see match that search.".into()
            } else {
                format!("Patients matching your search:\n{}", m.iter().map(describe_match).collect::<Vec<_>>().join("\n"))
            }
        }
        other => super::offline_records::summarise(other, d, who)
            .unwrap_or_else(|| format!("{other} returned: {d}")),
    }
}

/// Splits text into small pieces, as a streaming model would send them.
fn pieces(text: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    for (i, word) in text.split_inclusive(' ').enumerate() {
        cur.push_str(word);
        if i % 3 == 2 {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

impl Provider for OfflineAgent {
    fn kind(&self) -> &'static str {
        "offline"
    }

    fn model(&self) -> &str {
        &self.model
    }

    fn is_offline(&self) -> bool {
        true
    }

    fn start(&self, request: ModelRequest) -> BoxFuture<'_, Result<EventStream, ProviderError>> {
        let prompt = estimated_prompt_tokens(&request.messages);
        let allowed: Vec<&str> = request.tools.iter().map(|t| t.name).collect();
        // Call ids must be unique within a turn: number them by round.
        let round = request
            .messages
            .iter()
            .filter(|m| matches!(m, ModelMessage::Assistant { tool_calls, .. } if !tool_calls.is_empty()))
            .count();
        let mut events: Vec<Result<ModelEvent, ProviderError>> = vec![];
        let completion = match decide(&request.messages) {
            Step::Call(calls) if !allowed.is_empty() => {
                let mut n = 0;
                for (i, (name, args)) in calls.into_iter().enumerate() {
                    let arguments = args.to_string();
                    n += estimate_tokens(&arguments);
                    events.push(Ok(ModelEvent::ToolCallDelta {
                        index: i as u32,
                        id: Some(ModelOutput::new(format!("call_offline_{round}_{i}"))),
                        name: Some(ModelOutput::new(name)),
                        arguments: Some(ModelOutput::new(arguments)),
                    }));
                }
                n
            }
            Step::Call(_) => {
                let text = "I have gathered what I can; please ask again with a narrower question.";
                events.extend(
                    pieces(text)
                        .into_iter()
                        .map(|p| Ok(ModelEvent::Text(ModelOutput::new(p)))),
                );
                estimate_tokens(text)
            }
            Step::Say(text) => {
                let n = estimate_tokens(&text);
                events.extend(
                    pieces(&text)
                        .into_iter()
                        .map(|p| Ok(ModelEvent::Text(ModelOutput::new(p)))),
                );
                n
            }
        };
        events.push(Ok(ModelEvent::Usage {
            prompt_tokens: prompt,
            completion_tokens: completion,
        }));
        Box::pin(async move { Ok(stream::iter(events).boxed()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::provider::ModelToolCall;
    use crate::privacy::Protected;

    fn user(t: &str) -> ModelMessage {
        ModelMessage::User(Protected::for_tests(t))
    }

    #[test]
    fn a_patient_id_and_an_intent_become_tool_calls() {
        let step = decide(&[user("Show the latest labs and meds for PAT-001")]);
        assert_eq!(
            step,
            Step::Call(vec![
                ("get_lab_results".into(), json!({"patient_id": "PAT-001"})),
                ("get_medications".into(), json!({"patient_id": "PAT-001"})),
            ])
        );
    }

    #[test]
    fn a_surrogate_name_is_searched_first() {
        let step = decide(&[user("What is [PATIENT_1]'s HbA1c?")]);
        assert_eq!(
            step,
            Step::Call(vec![(
                "search_patients".into(),
                json!({"query": "[PATIENT_1]", "limit": 5})
            )])
        );
    }

    #[test]
    fn a_search_result_leads_to_the_wanted_tool_and_then_to_an_answer() {
        let mut msgs = vec![
            user("Show labs for [PATIENT_1]"),
            ModelMessage::Assistant {
                text: None,
                tool_calls: vec![ModelToolCall {
                    id: Protected::for_tests("c1"),
                    name: Protected::for_tests("search_patients"),
                    arguments: Protected::for_tests("{}"),
                }],
            },
            ModelMessage::Tool {
                call_id: Protected::for_tests("c1"),
                content: framing::frame_ok_for_tests(
                    "search_patients",
                    json!({"patients": [{"patient_id": "[ID_1]", "name": "[PATIENT_1]"}]}),
                ),
            },
        ];
        assert_eq!(
            decide(&msgs),
            Step::Call(vec![(
                "get_lab_results".into(),
                json!({"patient_id": "[ID_1]"})
            )])
        );
        msgs.push(ModelMessage::Assistant {
            text: None,
            tool_calls: vec![ModelToolCall {
                id: Protected::for_tests("c2"),
                name: Protected::for_tests("get_lab_results"),
                arguments: Protected::for_tests("{}"),
            }],
        });
        msgs.push(ModelMessage::Tool {
            call_id: Protected::for_tests("c2"),
            content: framing::frame_ok_for_tests(
                "get_lab_results",
                json!({"results": [{"test": "Hemoglobin A1c", "value": "8.2", "units": "%", "reference_range": "4.0-5.6", "flag": "H", "collected_at": "2026-10-01T00:00:00Z"}]}),
            ),
        });
        let Step::Say(text) = decide(&msgs) else {
            panic!()
        };
        assert!(
            text.contains("Hemoglobin A1c: 8.2 %") && text.contains("[PATIENT_1]"),
            "{text}"
        );
    }

    #[test]
    fn a_follow_up_is_about_the_patient_of_the_conversation() {
        let step = decide(&[
            user("Show the medications for PAT-007"),
            ModelMessage::Assistant {
                text: Some(Protected::for_tests("Medications: …")),
                tool_calls: vec![],
            },
            user("and the latest vitals?"),
        ]);
        assert_eq!(
            step,
            Step::Call(vec![(
                "get_vital_signs".into(),
                json!({"patient_id": "PAT-007"})
            )])
        );
    }

    #[test]
    fn a_question_without_a_patient_gets_help() {
        assert_eq!(decide(&[user("hello")]), Step::Say(HELP.into()));
    }
}

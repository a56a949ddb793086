//! The provider oracle (issue 25): multi-turn conversations through the real HTTP API
//! against a fake provider that tries to make Ward leak — it repeats back every surrogate
//! it has been shown and quotes every tool result, so what it was sent comes back into
//! the conversation and, restored for the clinician, into the history of later turns.
//! Every byte sent to the provider is then scanned for every identifier Ward holds for
//! the conversation's patient and for the relatives the clinician named: zero hits, in
//! `pseudonymize` and in `redact` mode.
//!
//! `WARD_ORACLE_LOG=path` writes the provider requests of the first conversation in
//! `pseudonymize` mode to `path`, for reading.

use crate::helpers::*;
use sea_orm::EntityTrait;
use serde_json::Value;
use ward_core::entity::{billing_accounts, patients};
use ward_core::testing::mock_llm::{oracle_model, MockLlm};

/// One conversation: who talks, about whom, and each turn's message and the tools the
/// fake model calls in it.
struct Conversation {
    user: &'static str,
    patient: &'static str,
    turns: Vec<(&'static str, Vec<&'static str>)>,
}

/// What the clinicians say about relatives: never to reach the provider.
const RELATIVES: [&str; 7] = [
    "Qprst",
    "Zyxwv",
    "Frankfort",
    "40601",
    "502-555-0143",
    "5025550143",
    "555-0143",
];

fn conversations() -> Vec<Conversation> {
    vec![
        Conversation {
            user: "doctor",
            patient: "PAT-001",
            turns: vec![
                (
                    "Let's review John Doe (PAT-001, MRN 4007919) before discharge.",
                    vec!["get_patient_overview"],
                ),
                (
                    "The daughter, Ms. Qprst, called from Frankfort, KY 40601 at 502-555-0143 about the discharge.",
                    vec![],
                ),
                ("Show me his latest clinical notes.", vec!["get_clinical_notes"]),
                (
                    "Qprst asked about his medications and allergies; she stays in Frankfort until Friday.",
                    vec!["get_medications", "list_allergies"],
                ),
                (
                    "Any procedures, immunizations or diagnostic reports I should mention to Qprst?",
                    vec!["list_procedures", "list_immunizations", "get_diagnostic_reports"],
                ),
                (
                    "Summarise the care plans and the labs, and remind me to call 502-555-0143.",
                    vec!["list_care_plans", "get_lab_results"],
                ),
            ],
        },
        Conversation {
            user: "doctor2",
            patient: "PAT-051",
            turns: vec![
                (
                    "Open Henrietta Vanterpool (PAT-051), please.",
                    vec!["get_patient_overview"],
                ),
                ("How old is she, and what do the notes say?", vec!["get_clinical_notes"]),
                (
                    "Her son, Mr. Zyxwv, lives in Frankfort, KY 40601; reach him at 502-555-0143.",
                    vec!["list_admissions"],
                ),
                (
                    "Zyxwv wants the lab results and vital signs.",
                    vec!["get_lab_results", "get_vital_signs"],
                ),
                (
                    "Any immunizations, allergies or care plans? Zyxwv is asking.",
                    vec!["list_immunizations", "list_allergies", "list_care_plans"],
                ),
            ],
        },
        Conversation {
            user: "billing",
            patient: "PAT-002",
            turns: vec![
                ("Billing question for PAT-002.", vec!["get_billing_summary"]),
                ("List the insurance claims.", vec!["list_insurance_claims"]),
                (
                    "The daughter, Ms. Qprst, called from Frankfort, KY 40601 at 502-555-0143 about the balance.",
                    vec![],
                ),
                ("Confirm the account for Qprst.", vec!["get_billing_summary"]),
                (
                    "Qprst wants the member id and the claims again; call 502-555-0143.",
                    vec!["list_insurance_claims", "get_billing_summary"],
                ),
            ],
        },
    ]
}

/// Everything Ward holds that identifies `patient`: (what, value, whole word only).
async fn identifiers(app: &TestApp, patient: &str) -> Vec<(String, String, bool)> {
    let p = patients::Entity::find_by_id(patient.to_string())
        .one(&app.ward.db)
        .await
        .unwrap()
        .unwrap();
    let a = billing_accounts::Entity::find_by_id(patient.to_string())
        .one(&app.ward.db)
        .await
        .unwrap()
        .unwrap();
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let mut out: Vec<(String, String, bool)> = vec![
        ("given name".into(), p.given_name.clone(), true),
        ("family name".into(), p.family_name.clone(), true),
        ("patient id".into(), p.id.clone(), false),
        ("MRN".into(), p.mrn.clone().unwrap(), false),
        ("SSN".into(), p.ssn.clone(), false),
        ("SSN digits".into(), digits(&p.ssn), false),
        ("phone".into(), p.phone.clone(), false),
        ("phone digits".into(), digits(&p.phone), false),
        (
            "phone line".into(),
            p.phone[p.phone.len() - 8..].to_string(),
            false,
        ),
        ("email".into(), p.email.clone(), false),
        ("street".into(), p.address_line.clone(), false),
        ("city".into(), p.city.clone(), true),
        ("ZIP".into(), p.zip.clone(), true),
        ("member id".into(), a.member_id.clone(), false),
        ("account number".into(), a.account_number.clone(), false),
    ];
    let birth = p.birth_date.unwrap();
    for f in [
        "%Y-%m-%d",
        "%m/%d/%Y",
        "%-m/%-d/%Y",
        "%B %-d, %Y",
        "%-d %B %Y",
        "%b %-d, %Y",
        "%m/%d/%y",
    ] {
        out.push((
            format!("birth date {f}"),
            birth.format(f).to_string(),
            false,
        ));
    }
    let age = ward_core::tools::queries::age_on(birth, chrono::Utc::now().date_naive());
    if age > 89 {
        for form in [
            format!("{age} year"),
            format!("{age}-year"),
            format!("{age} yo"),
            format!("\"age\":{age}"),
            format!("aged {age}"),
        ] {
            out.push(("age over 89".into(), form, false));
        }
        out.push((
            "birth year over 89".into(),
            birth.format("%Y").to_string(),
            true,
        ));
    }
    for r in RELATIVES {
        out.push(("the relative's".into(), r.to_string(), true));
    }
    out
}

/// Where `needle` occurs in `hay` (ASCII case-insensitive; `word`: not inside a longer
/// alphanumeric run).
fn hits(hay: &str, needle: &str, word: bool) -> Vec<usize> {
    let (h, n) = (hay.to_ascii_lowercase(), needle.to_ascii_lowercase());
    let mut out = vec![];
    let mut from = 0;
    while let Some(i) = h[from..].find(&n) {
        let at = from + i;
        let before = h[..at].chars().next_back();
        let after = h[at + n.len()..].chars().next();
        let alnum = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
        if !word || (!alnum(before) && !alnum(after)) {
            out.push(at);
        }
        from = at + 1;
    }
    out
}

/// Runs every conversation in `mode`; returns the failures (what leaked, where).
async fn run(mode: &str) -> Vec<String> {
    let mut failures = vec![];
    for (k, conv) in conversations().into_iter().enumerate() {
        let script: Vec<Vec<&'static str>> = conv.turns.iter().map(|(_, t)| t.clone()).collect();
        let mock = MockLlm::start(oracle_model(script)).await;
        let mut env = mock.env();
        env.push(("LLM_PHI_MODE", mode.to_string()));
        env.push(("LLM_MAX_TOOL_ROUNDS", "4".to_string()));
        let app = spawn(Spawn {
            env,
            ..Default::default()
        })
        .await;
        let token = app.token(conv.user).await;
        let session = app.session(&token).await;
        let mut ok_results = 0;
        for (message, _) in &conv.turns {
            let (status, events) = app.chat(&token, &session, message).await;
            assert_eq!(status, 200, "{mode} {}: {events:?}", conv.patient);
            assert!(
                events.iter().any(|e| e["type"] == "done"),
                "{mode} {}: the turn did not finish: {events:?}",
                conv.patient
            );
            ok_results += events
                .iter()
                .filter(|e| e["type"] == "tool_result" && e["content"]["status"] == "ok")
                .count();
        }
        let tools: usize = conv.turns.iter().map(|(_, t)| t.len()).sum();
        assert_eq!(ok_results, tools, "{mode} {}: every tool ran", conv.patient);
        let requests = mock.requests();
        assert!(requests.len() >= conv.turns.len() + tools);
        let sent = serde_json::to_string(&requests).unwrap();
        if k == 0 && mode == "pseudonymize" {
            if let Ok(path) = std::env::var("WARD_ORACLE_LOG") {
                std::fs::write(path, provider_log(&requests)).unwrap();
            }
        }
        for (what, value, word) in identifiers(&app, conv.patient).await {
            let found = hits(&sent, &value, word);
            if let Some(&at) = found.first() {
                let lo = sent.floor_char_boundary(at.saturating_sub(60));
                let hi = sent.ceil_char_boundary((at + value.len() + 60).min(sent.len()));
                failures.push(format!(
                    "{mode} {} ({}): the provider received the {what} ({value}) {} times, e.g. …{}…",
                    conv.patient,
                    conv.user,
                    found.len(),
                    &sent[lo..hi]
                ));
            }
        }
    }
    failures
}

/// The requests as a readable log: one line per message of each request.
fn provider_log(requests: &[Value]) -> String {
    let mut out = String::new();
    for (n, r) in requests.iter().enumerate() {
        out.push_str(&format!("=== request {n}\n"));
        for m in r["messages"].as_array().into_iter().flatten() {
            let role = m["role"].as_str().unwrap_or_default();
            if role == "system" {
                continue;
            }
            let mut text = m["content"].as_str().unwrap_or_default().to_string();
            for c in m["tool_calls"].as_array().into_iter().flatten() {
                text.push_str(&format!(
                    " {}({})",
                    c["function"]["name"].as_str().unwrap_or_default(),
                    c["function"]["arguments"].as_str().unwrap_or_default()
                ));
            }
            let text: String = text.replace('\n', " ").chars().take(300).collect();
            out.push_str(&format!("{role}: {text}\n"));
        }
    }
    out
}

#[tokio::test]
async fn no_identifier_reaches_the_provider_on_any_turn_when_pseudonymizing() {
    let failures = run("pseudonymize").await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn no_identifier_reaches_the_provider_on_any_turn_when_redacting() {
    let failures = run("redact").await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

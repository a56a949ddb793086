//! The offline agent's knowledge of the records added by issue 31 (procedures,
//! immunizations, diagnostic reports, allergies, care plans): which questions ask for
//! them, with which filter, and how their results read as an answer. Kept apart from
//! [`super::offline`] (which calls [`intents`], [`arguments`] and [`summarise`]) so that
//! each can change without the other.

use serde_json::{json, Value};
use ward_domain::tool::ToolName;

/// Words naming a vaccine, and the filter that finds it.
const VACCINES: [(&str, &str); 10] = [
    ("influenza", "influenza"),
    ("flu", "influenza"),
    ("covid", "covid"),
    ("tdap", "tdap"),
    ("tetanus", "tdap"),
    ("pneumo", "pneumococcal"),
    ("shingles", "zoster"),
    ("zoster", "zoster"),
    ("hepatitis b", "hepatitis b"),
    ("hpv", "hpv"),
];

/// Words naming a procedure, and the filter that finds it.
const PROCEDURES: [(&str, &str); 12] = [
    ("colonoscop", "colonoscopy"),
    ("endoscop", "endoscopy"),
    ("biops", "biopsy"),
    ("echocardiog", "echocardiography"),
    ("cardiovers", "cardioversion"),
    ("spirometr", "spirometry"),
    ("stress test", "stress"),
    ("x-ray", "x-ray"),
    ("xray", "x-ray"),
    ("ecg", "electrocardiographic"),
    ("ekg", "electrocardiographic"),
    ("appendectom", "appendectomy"),
];

/// Words naming a report, and the filter that finds it.
const REPORTS: [(&str, &str); 4] = [
    ("lipid panel", "lipid"),
    ("metabolic panel", "metabolic"),
    ("blood count", "cbc"),
    ("cbc panel", "cbc"),
];

/// The record tools a question asks for (`t` is the question in lower case, padded with
/// spaces), each with an optional filter.
pub fn intents(t: &str) -> Vec<(ToolName, Option<String>)> {
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    let first = |table: &[(&str, &str)]| {
        table
            .iter()
            .find(|(k, _)| t.contains(k))
            .map(|(_, f)| f.to_string())
    };
    let mut out = vec![];
    let vaccine = first(&VACCINES);
    if has(&[
        "vaccin", "immuniz", "immunis", " shot", " jab", "booster", "inoculat",
    ]) || (vaccine.is_some() && has(&[" had ", " got ", " given", " receive", " last "]))
    {
        out.push((ToolName::ListImmunizations, vaccine));
    }
    let procedure = first(&PROCEDURES);
    if procedure.is_some()
        || has(&[
            "procedure",
            "surgery",
            "surgeries",
            "surgical",
            " operation",
            " operated",
        ])
    {
        out.push((ToolName::ListProcedures, procedure));
    }
    let report = first(&REPORTS);
    if report.is_some()
        || has(&[
            " report",
            "diagnostic",
            "pathology",
            "radiology",
            "imaging",
            " panel",
        ])
    {
        out.push((ToolName::GetDiagnosticReports, report));
    }
    if has(&["allerg", "nkda", "intoleran", "anaphyla"]) {
        out.push((ToolName::ListAllergies, None));
    }
    if has(&[
        "care plan",
        "careplan",
        "plan of care",
        "treatment plan",
        " goals",
    ]) {
        out.push((ToolName::ListCarePlans, None));
    }
    out
}

/// The arguments of a record tool call with its filter, or `None` for other tools.
pub fn arguments(tool: ToolName, patient_id: &str, filter: &Option<String>) -> Option<Value> {
    let key = match tool {
        ToolName::ListProcedures => "procedure",
        ToolName::ListImmunizations => "vaccine",
        ToolName::GetDiagnosticReports => "report",
        ToolName::ListAllergies | ToolName::ListCarePlans => {
            return Some(json!({"patient_id": patient_id}))
        }
        _ => return None,
    };
    Some(match filter {
        Some(f) => json!({"patient_id": patient_id, key: f}),
        None => json!({"patient_id": patient_id}),
    })
}

fn s(v: &Value) -> String {
    match v {
        Value::String(x) => x.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// A date as its first ten characters (`2021-03-18`), or "undated".
fn day(v: &Value) -> String {
    match v.as_str() {
        Some(x) if !x.is_empty() => x.chars().take(10).collect(),
        _ => "undated".into(),
    }
}

/// `text` with the non-empty `parts` after it, in parentheses.
fn with(text: String, parts: &[String]) -> String {
    let parts: Vec<&String> = parts
        .iter()
        .filter(|p| !p.is_empty() && *p != "—")
        .collect();
    if parts.is_empty() {
        text
    } else {
        format!(
            "{text} ({})",
            parts
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// An answer from a record tool's result data, or `None` for other tools.
pub fn summarise(tool: &str, d: &Value, who: &str) -> Option<String> {
    let items = |k: &str| d[k].as_array().cloned().unwrap_or_default();
    Some(match tool {
        "list_immunizations" => {
            let all = items("immunizations");
            if all.is_empty() {
                return Some(format!("No immunizations are recorded for {who}."));
            }
            let given: Vec<&Value> = all.iter().filter(|i| i["status"] == "completed").collect();
            let lines: Vec<String> = all
                .iter()
                .map(|i| {
                    let when = day(&i["occurred_at"]);
                    if i["status"] == "not-done" {
                        with(
                            format!("- {when} {}: not given", s(&i["vaccine"])),
                            &[s(&i["status_reason"])],
                        )
                    } else {
                        let dose = match s(&i["dose_number"]) {
                            d if d.is_empty() || d == "—" => String::new(),
                            d => format!("dose {d}"),
                        };
                        with(
                            format!("- {when} {}", s(&i["vaccine"])),
                            &[dose, s(&i["note"])],
                        )
                    }
                })
                .collect();
            format!(
                "Immunizations for {who} ({} given):\n{}",
                given.len(),
                lines.join("\n")
            )
        }
        "list_procedures" => {
            let all = items("procedures");
            if all.is_empty() {
                return Some(format!("No procedures are recorded for {who}."));
            }
            let line = |p: &Value| {
                with(
                    format!("- {} {}", day(&p["performed_at"]), s(&p["display"])),
                    &[s(&p["status"]), s(&p["outcome"]), s(&p["performer"])],
                )
            };
            let lines: Vec<String> = all.iter().map(line).collect();
            // One kind of procedure (a filtered question): lead with the latest.
            let first = &all[0];
            let same = all.iter().all(|p| p["display"] == first["display"]);
            let lead = if same {
                let mut lead = format!(
                    "The most recent {} for {who} was on {}",
                    s(&first["display"]).to_lowercase(),
                    day(&first["performed_at"])
                );
                match s(&first["outcome"]) {
                    o if o.is_empty() || o == "—" => lead.push('.'),
                    o => lead.push_str(&format!(": {o}.")),
                }
                if let Some(note) = first["note"].as_str().filter(|n| !n.is_empty()) {
                    lead.push_str(&format!(" {note}"));
                }
                format!("{lead}\n")
            } else {
                String::new()
            };
            format!("{lead}Procedures for {who}:\n{}", lines.join("\n"))
        }
        "get_diagnostic_reports" => {
            let all = items("reports");
            if all.is_empty() {
                return Some(format!("No diagnostic reports are on file for {who}."));
            }
            let lines: Vec<String> = all
                .iter()
                .map(|r| {
                    let results: Vec<String> = r["results"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .iter()
                        .map(|l| {
                            let flag = match l["flag"].as_str() {
                                Some("H") => " (high)",
                                Some("L") => " (low)",
                                _ => "",
                            };
                            format!(
                                "{} {} {}{flag}",
                                s(&l["test"]),
                                s(&l["value"]),
                                s(&l["units"])
                            )
                            .replace("  ", " ")
                        })
                        .collect();
                    let mut line = format!(
                        "- {} {} ({})",
                        day(&r["effective_at"]),
                        s(&r["display"]),
                        s(&r["status"])
                    );
                    if let Some(c) = r["conclusion"].as_str().filter(|c| !c.is_empty()) {
                        line.push_str(&format!(": {c}"));
                    }
                    if !results.is_empty() {
                        line.push_str(&format!(" Results: {}.", results.join("; ")));
                    }
                    line
                })
                .collect();
            format!("Diagnostic reports for {who}:\n{}", lines.join("\n"))
        }
        "list_allergies" => {
            let all = items("allergies");
            let statements: Vec<&Value> = all
                .iter()
                .filter(|a| {
                    ward_domain_no_known(&a["code"])
                        || s(&a["substance"]).to_lowercase().starts_with("no known")
                })
                .collect();
            let real: Vec<&Value> = all
                .iter()
                .filter(|a| !statements.iter().any(|x| std::ptr::eq(*x, *a)))
                .collect();
            if real.is_empty() {
                return Some(match statements.first() {
                    Some(st) => format!(
                        "{who} has no known allergies ({}, recorded {}).",
                        s(&st["substance"]),
                        day(&st["recorded_date"])
                    ),
                    None => format!(
                        "No allergies are recorded for {who}. That is not a statement that there \
                         are none: ask the patient."
                    ),
                });
            }
            let lines: Vec<String> = real
                .iter()
                .map(|a| {
                    let criticality = match s(&a["criticality"]) {
                        c if c.is_empty() || c == "—" => String::new(),
                        c => format!("{c} criticality"),
                    };
                    with(
                        format!("- {}", s(&a["substance"])),
                        &[
                            s(&a["category"]),
                            criticality,
                            s(&a["reaction"]),
                            s(&a["severity"]),
                            s(&a["verification_status"]),
                        ],
                    )
                })
                .collect();
            format!("Allergies for {who}:\n{}", lines.join("\n"))
        }
        "list_care_plans" => {
            let all = items("care_plans");
            if all.is_empty() {
                return Some(format!("No care plans are on file for {who}."));
            }
            let list = |v: &Value| {
                v.as_array()
                    .map(|a| a.iter().map(s).collect::<Vec<_>>().join("; "))
                    .unwrap_or_default()
            };
            let lines: Vec<String> = all
                .iter()
                .map(|c| {
                    let mut line = format!(
                        "- {} ({}, since {})",
                        s(&c["title"]),
                        s(&c["status"]),
                        day(&c["period_start"])
                    );
                    let addresses = list(&c["addresses"]);
                    if !addresses.is_empty() {
                        line.push_str(&format!(" for {addresses}"));
                    }
                    let activities = list(&c["activities"]);
                    if !activities.is_empty() {
                        line.push_str(&format!(". Activities: {activities}"));
                    }
                    line
                })
                .collect();
            format!("Care plans for {who}:\n{}", lines.join("\n"))
        }
        _ => return None,
    })
}

/// Whether a code is a "no known allergy" statement.
fn ward_domain_no_known(code: &Value) -> bool {
    code.as_str()
        .is_some_and(|c| crate::tools::queries::NO_KNOWN_ALLERGY_CODES.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(q: &str) -> Vec<(ToolName, Option<String>)> {
        intents(&format!(" {} ", q.to_lowercase()))
    }

    #[test]
    fn questions_about_the_records_find_their_tools() {
        assert_eq!(
            ask("Which vaccines has she had?"),
            vec![(ToolName::ListImmunizations, None)]
        );
        assert_eq!(
            ask("When was his last colonoscopy?"),
            vec![(ToolName::ListProcedures, Some("colonoscopy".into()))]
        );
        assert_eq!(ask("Any allergies?"), vec![(ToolName::ListAllergies, None)]);
        assert_eq!(
            ask("Did he get his flu shot this year?"),
            vec![(ToolName::ListImmunizations, Some("influenza".into()))]
        );
        assert_eq!(
            ask("Show the lipid panel report"),
            vec![(ToolName::GetDiagnosticReports, Some("lipid".into()))]
        );
        assert_eq!(
            ask("What is the care plan?"),
            vec![(ToolName::ListCarePlans, None)]
        );
        assert!(ask("Latest labs please").is_empty());
    }

    #[test]
    fn a_filtered_procedure_list_leads_with_the_latest() {
        let d = json!({"procedures": [
            {"display": "Colonoscopy", "performed_at": "2021-03-18T08:30:00Z",
             "status": "completed", "outcome": "Two small polyps removed",
             "note": "Repeat in 5 years.", "performer": "Dr. W"},
            {"display": "Colonoscopy", "performed_at": "2011-02-01", "status": "completed",
             "outcome": "Normal", "note": "", "performer": ""}]});
        let text = summarise("list_procedures", &d, "PAT-001").unwrap();
        assert!(
            text.starts_with(
                "The most recent colonoscopy for PAT-001 was on 2021-03-18: Two small polyps removed."
            ),
            "{text}"
        );
    }

    #[test]
    fn no_allergy_rows_is_not_no_allergies() {
        let text = summarise("list_allergies", &json!({"allergies": []}), "X").unwrap();
        assert!(
            text.contains("not a statement that there are none"),
            "{text}"
        );
        let nka = json!({"allergies": [{"substance": "No known allergy", "code": "716186003",
                                        "recorded_date": "2023-01-02"}]});
        let text = summarise("list_allergies", &nka, "X").unwrap();
        assert!(text.starts_with("X has no known allergies"), "{text}");
    }

    #[test]
    fn vaccines_not_given_say_why() {
        let d = json!({"immunizations": [
            {"vaccine": "Influenza", "status": "not-done", "status_reason": "Patient objection",
             "occurred_at": "2024-10-02"},
            {"vaccine": "Tdap", "status": "completed", "dose_number": "1",
             "occurred_at": "2019-06-14", "note": ""}]});
        let text = summarise("list_immunizations", &d, "X").unwrap();
        assert!(
            text.contains("Influenza: not given (Patient objection)"),
            "{text}"
        );
        assert!(text.contains("2019-06-14 Tdap (dose 1)"), "{text}");
        assert!(text.starts_with("Immunizations for X (1 given)"), "{text}");
    }
}

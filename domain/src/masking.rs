//! PHI boundary 1 (tool result → person): per-role field masking, and the one table that
//! says what kind of data each tool-result field holds.
//!
//! Tool results are JSON objects whose keys come from a fixed vocabulary (the result types
//! in `api::records`). [`field_kind`] classifies a key; masking uses it here, and the PHI
//! engine uses it to pseudonymise structured fields before they reach a model.
//!
//! The table of every field, its Safe Harbor identifier and its treatment in each PHI mode
//! is `PHI_FIELDS.md` beside this file; tests below keep the two in step and check that
//! every key of every tool's result type has a row.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// What a tool-result field holds, by key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A patient's name or part of it.
    PatientName,
    /// A staff member's name (attending, author, prescriber).
    StaffName,
    /// A date or timestamp.
    Date,
    /// An identifier of the named Safe Harbor type (`MRN`, `SSN`, `PHONE`, …).
    Identifier(&'static str),
    /// Free text written by people (notes, reasons): run the PHI detector on it.
    FreeText,
    /// An age in years (PHI only above 89: then sent as `90 or older`).
    Age,
    /// A clinical or administrative value that identifies nobody.
    NotPhi,
}

/// Classifies a tool-result key. Unknown keys are treated as free text, so nothing slips
/// past the detector because a new field was added without updating this table.
pub fn field_kind(key: &str) -> FieldKind {
    use FieldKind::*;
    match key {
        "name" | "given_name" | "family_name" | "patient_name" => PatientName,
        "attending" | "author" | "prescriber" | "provider" | "ordered_by" | "performer" => {
            StaffName
        }
        "birth_date" | "admitted_at" | "discharged_at" | "collected_at" | "recorded_at"
        | "written_at" | "start_date" | "end_date" | "service_date" | "submitted_at"
        | "last_payment_date" | "onset_date" | "deceased_date" | "performed_at"
        | "performed_end" | "occurred_at" | "effective_at" | "issued_at" | "recorded_date"
        | "period_start" | "period_end" => Date,
        "mrn" => Identifier("MRN"),
        "ssn" => Identifier("SSN"),
        "phone" => Identifier("PHONE"),
        "email" => Identifier("EMAIL"),
        "line" | "street" => Identifier("STREET_ADDRESS"),
        "city" => Identifier("CITY"),
        "zip" | "postal_code" => Identifier("ZIP"),
        "member_id" => Identifier("HEALTH_PLAN"),
        "account_number" => Identifier("ACCOUNT"),
        "lot_number" => Identifier("DEVICE"),
        "patient_id" | "claim_number" | "encounter_id" | "note_id" | "procedure_id"
        | "immunization_id" | "report_id" | "allergy_id" | "care_plan_id" => Identifier("ID"),
        "facility" | "location" => Identifier("HOSPITAL"),
        "text" | "reason" | "allergies" | "summary" | "note" | "conclusion" | "description"
        | "outcome" | "status_reason" | "addresses" | "activities" | "reaction" => FreeText,
        "age" => Age,
        "sex"
        | "state"
        | "country"
        | "unit"
        | "department"
        | "class"
        | "code"
        | "display"
        | "status"
        | "value"
        | "units"
        | "reference_range"
        | "flag"
        | "dose"
        | "route"
        | "frequency"
        | "payer"
        | "plan"
        | "note_type"
        | "test"
        | "loinc"
        | "heart_rate"
        | "systolic"
        | "diastolic"
        | "respiratory_rate"
        | "temperature_c"
        | "spo2"
        | "weight_kg"
        | "height_cm"
        | "bmi"
        | "billed"
        | "paid"
        | "balance"
        | "total_billed"
        | "total_paid"
        | "open_claims"
        | "diagnosis_codes"
        | "diagnosis"
        | "conditions"
        | "medications"
        | "latest_admission"
        | "address"
        | "insurance"
        | "id"
        | "count"
        | "items"
        | "patients"
        | "admissions"
        | "results"
        | "vitals"
        | "notes"
        | "claims"
        | "access"
        | "clinical_status"
        | "in_care_team"
        | "masked"
        | "currency"
        | "days"
        | "medication"
        | "plan_name"
        | "tool"
        | "break_glass"
        | "procedures"
        | "immunizations"
        | "reports"
        | "care_plans"
        | "vaccine"
        | "vaccine_code"
        | "dose_number"
        | "site"
        | "body_site"
        | "category"
        | "criticality"
        | "severity"
        | "verification_status"
        | "substance"
        | "allergy_type"
        | "intent"
        | "title" => NotPhi,
        _ => FreeText,
    }
}

/// How one field is shown to a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MaskRule {
    /// Replaced by `[MASKED]`.
    Hidden,
    /// Only the year of a date.
    YearOnly,
    /// Only the last four characters, the rest as `*`.
    Last4,
    /// Shown as stored.
    Full,
}

impl MaskRule {
    /// The rule's name in the policy file.
    pub fn as_str(self) -> &'static str {
        match self {
            MaskRule::Hidden => "hidden",
            MaskRule::YearOnly => "year_only",
            MaskRule::Last4 => "last4",
            MaskRule::Full => "full",
        }
    }

    /// Applies the rule to one value.
    pub fn apply(self, value: &Value) -> Value {
        let Some(s) = value.as_str() else {
            return match self {
                MaskRule::Full => value.clone(),
                _ if value.is_null() => Value::Null,
                _ => Value::String(MASKED.into()),
            };
        };
        match self {
            MaskRule::Full => value.clone(),
            MaskRule::Hidden => Value::String(MASKED.into()),
            MaskRule::Last4 => {
                let chars: Vec<char> = s.chars().collect();
                let keep = chars.len().saturating_sub(4);
                let masked: String = chars
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if i < keep && c.is_ascii_alphanumeric() {
                            '*'
                        } else {
                            *c
                        }
                    })
                    .collect();
                Value::String(masked)
            }
            MaskRule::YearOnly => Value::String(s.chars().take(4).collect()),
        }
    }
}

/// The placeholder for a hidden value.
pub const MASKED: &str = "[MASKED]";

impl fmt::Display for MaskRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MaskRule {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "hidden" => Ok(MaskRule::Hidden),
            "year_only" => Ok(MaskRule::YearOnly),
            "last4" => Ok(MaskRule::Last4),
            "full" => Ok(MaskRule::Full),
            other => Err(format!(
                "unknown mask rule '{other}' (use hidden, year_only, last4 or full)"
            )),
        }
    }
}

/// The fields a policy may mask. Each names a result key (an object key masks the whole
/// object, e.g. `address`).
pub const MASKABLE_FIELDS: [&str; 9] = [
    "ssn",
    "birth_date",
    "phone",
    "email",
    "address",
    "member_id",
    "account_number",
    "mrn",
    "text",
];

/// Masking rules for one caller: field → rule; fields not listed are shown in full.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMasks(pub BTreeMap<String, MaskRule>);

impl FieldMasks {
    /// The rule for `field` (full when not listed).
    pub fn rule(&self, field: &str) -> MaskRule {
        self.0.get(field).copied().unwrap_or(MaskRule::Full)
    }

    /// The most permissive combination of two callers' rules, field by field: what either
    /// role may see in full stays visible. A field one side does not list is full.
    pub fn union(&self, other: &FieldMasks) -> FieldMasks {
        let mut out = BTreeMap::new();
        for field in self.0.keys().chain(other.0.keys()) {
            let rule = self.rule(field).max(other.rule(field));
            if rule != MaskRule::Full {
                out.insert(field.clone(), rule);
            }
        }
        FieldMasks(out)
    }

    /// Masks a tool result in place, at any depth.
    pub fn apply(&self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    match self.0.get(key.as_str()) {
                        Some(rule) if *rule != MaskRule::Full => *item = rule.apply(item),
                        _ => self.apply(item),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.apply(i)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn masks(pairs: &[(&str, MaskRule)]) -> FieldMasks {
        FieldMasks(pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect())
    }

    #[test]
    fn last4_keeps_only_the_last_four_digits_of_an_ssn() {
        assert_eq!(
            MaskRule::Last4.apply(&json!("123-45-6789")),
            json!("***-**-6789")
        );
    }

    #[test]
    fn masking_reaches_nested_fields_and_whole_objects() {
        let mut v = json!({
            "patient": {"ssn": "123-45-6789", "birth_date": "1960-04-02",
                        "address": {"line": "1 Main St", "city": "Springfield"}},
            "items": [{"ssn": "987-65-4321"}]
        });
        masks(&[
            ("ssn", MaskRule::Hidden),
            ("birth_date", MaskRule::YearOnly),
            ("address", MaskRule::Hidden),
        ])
        .apply(&mut v);
        assert_eq!(v["patient"]["ssn"], MASKED);
        assert_eq!(v["patient"]["birth_date"], "1960");
        assert_eq!(v["patient"]["address"], MASKED);
        assert_eq!(v["items"][0]["ssn"], MASKED);
    }

    #[test]
    fn union_keeps_the_most_permissive_rule() {
        let a = masks(&[("ssn", MaskRule::Hidden), ("phone", MaskRule::Hidden)]);
        let b = masks(&[("ssn", MaskRule::Last4)]);
        let u = a.union(&b);
        assert_eq!(u.rule("ssn"), MaskRule::Last4);
        assert_eq!(u.rule("phone"), MaskRule::Full);
    }

    #[test]
    fn unknown_keys_are_free_text_so_the_detector_sees_them() {
        assert_eq!(field_kind("brand_new_field"), FieldKind::FreeText);
        assert_eq!(field_kind("ssn"), FieldKind::Identifier("SSN"));
        assert_eq!(field_kind("value"), FieldKind::NotPhi);
    }

    #[test]
    fn the_fields_of_the_record_tools_are_classified() {
        use FieldKind::*;
        for (key, kind) in [
            ("performed_at", Date),
            ("occurred_at", Date),
            ("effective_at", Date),
            ("issued_at", Date),
            ("recorded_date", Date),
            ("period_start", Date),
            ("period_end", Date),
            ("performer", StaffName),
            ("procedure_id", Identifier("ID")),
            ("report_id", Identifier("ID")),
            ("location", Identifier("HOSPITAL")),
            ("conclusion", FreeText),
            ("note", FreeText),
            ("vaccine", NotPhi),
            ("lot_number", Identifier("DEVICE")),
            ("substance", NotPhi),
            ("height_cm", NotPhi),
        ] {
            assert_eq!(field_kind(key), kind, "{key}");
        }
    }

    /// The rows of `PHI_FIELDS.md`: (key, kind as written).
    fn table() -> Vec<(String, String)> {
        include_str!("PHI_FIELDS.md")
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .map(|l| {
                let (key, rest) = l.split_once('`').unwrap();
                let kind = rest
                    .trim_start_matches(" |")
                    .split('|')
                    .next()
                    .unwrap()
                    .trim();
                (key.to_string(), kind.to_string())
            })
            .collect()
    }

    fn kind_name(k: FieldKind) -> String {
        match k {
            FieldKind::Identifier(t) => format!("Identifier({t})"),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn the_field_table_agrees_with_field_kind() {
        let rows = table();
        assert!(rows.len() > 100);
        let mut seen = std::collections::BTreeSet::new();
        for (key, kind) in &rows {
            assert!(seen.insert(key.clone()), "{key} has two rows");
            assert_eq!(&kind_name(field_kind(key)), kind, "{key}");
        }
    }

    /// Every key in `value`, at any depth.
    fn keys(value: &Value, out: &mut std::collections::BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| keys(i, out)),
            _ => {}
        }
    }

    #[test]
    fn every_field_a_tool_can_return_has_a_row() {
        use crate::records::*;
        let s = || "x".to_string();
        let o = || Some("x".to_string());
        let lab = LabResult {
            collected_at: o(),
            test: s(),
            loinc: s(),
            value: s(),
            units: s(),
            reference_range: s(),
            flag: s(),
        };
        let admission = Admission {
            encounter_id: s(),
            class: s(),
            admitted_at: o(),
            discharged_at: o(),
            department: s(),
            reason: s(),
            code: o(),
            display: o(),
            attending: s(),
            facility: s(),
        };
        let results = [
            serde_json::to_value(PatientSearch {
                patients: vec![PatientMatch {
                    patient_id: s(),
                    mrn: o(),
                    name: s(),
                    birth_date: o(),
                    sex: s(),
                }],
                count: 1,
            }),
            serde_json::to_value(PatientOverview {
                patient_id: s(),
                mrn: o(),
                name: s(),
                birth_date: o(),
                age: Some(1),
                sex: s(),
                ssn: s(),
                phone: s(),
                email: s(),
                address: Address {
                    line: s(),
                    city: s(),
                    state: s(),
                    zip: s(),
                },
                insurance: Some(Insurance {
                    payer: s(),
                    member_id: s(),
                }),
                unit: s(),
                allergies: vec![s()],
                conditions: vec![Condition {
                    code: s(),
                    display: s(),
                    clinical_status: s(),
                    onset_date: o(),
                }],
                latest_admission: Some(admission.clone()),
            }),
            serde_json::to_value(AdmissionList {
                patient_id: s(),
                admissions: vec![admission],
                count: 1,
            }),
            serde_json::to_value(LabResultList {
                patient_id: s(),
                results: vec![lab.clone()],
                count: 1,
            }),
            serde_json::to_value(VitalSignsList {
                patient_id: s(),
                vitals: vec![VitalSigns {
                    recorded_at: o(),
                    heart_rate: None,
                    systolic: None,
                    diastolic: None,
                    respiratory_rate: None,
                    temperature_c: None,
                    spo2: None,
                    weight_kg: None,
                    height_cm: None,
                    bmi: None,
                }],
                count: 1,
            }),
            serde_json::to_value(MedicationList {
                patient_id: s(),
                medications: vec![Medication {
                    medication: s(),
                    dose: s(),
                    route: s(),
                    frequency: s(),
                    status: s(),
                    start_date: o(),
                    end_date: o(),
                    prescriber: s(),
                }],
                count: 1,
            }),
            serde_json::to_value(ClinicalNoteList {
                patient_id: s(),
                notes: vec![ClinicalNote {
                    note_id: s(),
                    written_at: o(),
                    note_type: s(),
                    author: s(),
                    text: s(),
                }],
                count: 1,
            }),
            serde_json::to_value(BillingSummary {
                patient_id: s(),
                account_number: s(),
                payer: s(),
                member_id: s(),
                total_billed: 0.0,
                total_paid: 0.0,
                balance: 0.0,
                open_claims: 0,
                last_payment_date: o(),
            }),
            serde_json::to_value(ClaimList {
                patient_id: s(),
                claims: vec![InsuranceClaim {
                    claim_number: s(),
                    service_date: o(),
                    submitted_at: s(),
                    payer: s(),
                    status: s(),
                    billed: 0.0,
                    paid: 0.0,
                    diagnosis_codes: vec![s()],
                }],
                count: 1,
            }),
            serde_json::to_value(ProcedureList {
                patient_id: s(),
                procedures: vec![Procedure {
                    procedure_id: s(),
                    code: s(),
                    display: s(),
                    status: s(),
                    performed_at: o(),
                    performed_end: o(),
                    reason: s(),
                    body_site: s(),
                    outcome: s(),
                    performer: s(),
                    location: s(),
                    note: s(),
                }],
                count: 1,
            }),
            serde_json::to_value(ImmunizationList {
                patient_id: s(),
                immunizations: vec![Immunization {
                    immunization_id: s(),
                    vaccine_code: s(),
                    vaccine: s(),
                    status: s(),
                    status_reason: s(),
                    occurred_at: o(),
                    dose_number: s(),
                    lot_number: s(),
                    site: s(),
                    route: s(),
                    performer: s(),
                    location: s(),
                    note: s(),
                }],
                count: 1,
            }),
            serde_json::to_value(DiagnosticReportList {
                patient_id: s(),
                reports: vec![DiagnosticReport {
                    report_id: s(),
                    code: s(),
                    display: s(),
                    category: s(),
                    status: s(),
                    effective_at: o(),
                    issued_at: o(),
                    performer: s(),
                    conclusion: s(),
                    results: vec![lab],
                }],
                count: 1,
            }),
            serde_json::to_value(AllergyList {
                patient_id: s(),
                allergies: vec![Allergy {
                    allergy_id: s(),
                    substance: s(),
                    code: s(),
                    allergy_type: s(),
                    category: s(),
                    criticality: s(),
                    clinical_status: s(),
                    verification_status: s(),
                    reaction: s(),
                    severity: s(),
                    onset_date: o(),
                    recorded_date: o(),
                    note: s(),
                }],
                count: 1,
            }),
            serde_json::to_value(CarePlanList {
                patient_id: s(),
                care_plans: vec![CarePlan {
                    care_plan_id: s(),
                    title: s(),
                    category: s(),
                    status: s(),
                    intent: s(),
                    period_start: o(),
                    period_end: o(),
                    author: s(),
                    addresses: vec![s()],
                    activities: vec![s()],
                    description: s(),
                }],
                count: 1,
            }),
        ];
        let mut all = std::collections::BTreeSet::new();
        for r in results {
            keys(&r.unwrap(), &mut all);
        }
        let rows: std::collections::BTreeSet<String> =
            table().into_iter().map(|(k, _)| k).collect();
        let missing: Vec<&String> = all.iter().filter(|k| !rows.contains(*k)).collect();
        assert!(
            missing.is_empty(),
            "fields without a row in PHI_FIELDS.md: {missing:?}"
        );
        // The identifiers of the overview and billing are treated as identifiers.
        for (key, kind) in [
            ("age", FieldKind::Age),
            ("member_id", FieldKind::Identifier("HEALTH_PLAN")),
            ("account_number", FieldKind::Identifier("ACCOUNT")),
            ("lot_number", FieldKind::Identifier("DEVICE")),
        ] {
            assert_eq!(field_kind(key), kind);
        }
    }
}

//! The tool registry (docs/contract.md §2): every tool's name, description for the model,
//! JSON Schema for its arguments, the data category it reads, and how its arguments are
//! parsed into a typed request once the schema has accepted them.

use crate::schema::{self, SchemaViolation};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::fmt;
use std::str::FromStr;

/// A tool Ward offers to the chat agent, the proxy and the MCP endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolName {
    /// Find patients by name, MRN or patient id (demographics only).
    SearchPatients,
    /// Demographics, active conditions, allergies and the latest admission.
    GetPatientOverview,
    /// Admissions and encounters.
    ListAdmissions,
    /// Laboratory results.
    GetLabResults,
    /// Vital signs.
    GetVitalSigns,
    /// Medications.
    GetMedications,
    /// Clinical notes (free text).
    GetClinicalNotes,
    /// Account balance and totals.
    GetBillingSummary,
    /// Insurance claims.
    ListInsuranceClaims,
    /// Procedures (operations, endoscopies, biopsies…).
    ListProcedures,
    /// Immunizations given or recorded as not given.
    ListImmunizations,
    /// Diagnostic reports with their results.
    GetDiagnosticReports,
    /// Allergies and intolerances.
    ListAllergies,
    /// Care plans.
    ListCarePlans,
}

/// The kind of data a tool reads; shown in `rbac/effective` and the audit trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataCategory {
    /// Names, identifiers, date of birth.
    Demographics,
    /// Structured clinical data.
    Clinical,
    /// Free-text clinical notes.
    ClinicalNotes,
    /// Accounts, charges and claims.
    Billing,
}

impl DataCategory {
    /// The permission name a tool of this category requires, as shown to people.
    pub fn permission(self) -> &'static str {
        match self {
            DataCategory::Demographics => "patients.search",
            DataCategory::Clinical => "clinical.read",
            DataCategory::ClinicalNotes => "clinical_notes.read",
            DataCategory::Billing => "billing.read",
        }
    }
}

/// Static facts about one tool.
#[derive(Debug, Clone, Copy)]
pub struct ToolSpec {
    /// The tool's identity.
    pub name: ToolName,
    /// What the tool does, written for an LLM.
    pub description: &'static str,
    /// The data the tool reads.
    pub category: DataCategory,
    /// Whether the tool is about one patient (`patient_id` argument).
    pub per_patient: bool,
}

impl ToolName {
    /// Every tool, in a stable order.
    pub const ALL: [ToolName; 14] = [
        ToolName::SearchPatients,
        ToolName::GetPatientOverview,
        ToolName::ListAdmissions,
        ToolName::GetLabResults,
        ToolName::GetVitalSigns,
        ToolName::GetMedications,
        ToolName::GetClinicalNotes,
        ToolName::GetBillingSummary,
        ToolName::ListInsuranceClaims,
        ToolName::ListProcedures,
        ToolName::ListImmunizations,
        ToolName::GetDiagnosticReports,
        ToolName::ListAllergies,
        ToolName::ListCarePlans,
    ];

    /// The tool's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ToolName::SearchPatients => "search_patients",
            ToolName::GetPatientOverview => "get_patient_overview",
            ToolName::ListAdmissions => "list_admissions",
            ToolName::GetLabResults => "get_lab_results",
            ToolName::GetVitalSigns => "get_vital_signs",
            ToolName::GetMedications => "get_medications",
            ToolName::GetClinicalNotes => "get_clinical_notes",
            ToolName::GetBillingSummary => "get_billing_summary",
            ToolName::ListInsuranceClaims => "list_insurance_claims",
            ToolName::ListProcedures => "list_procedures",
            ToolName::ListImmunizations => "list_immunizations",
            ToolName::GetDiagnosticReports => "get_diagnostic_reports",
            ToolName::ListAllergies => "list_allergies",
            ToolName::ListCarePlans => "list_care_plans",
        }
    }

    /// The tool's static facts.
    pub fn spec(self) -> ToolSpec {
        let (description, category, per_patient) = match self {
            ToolName::SearchPatients => (
                "Find patients by name, medical record number (MRN) or patient id. Returns \
                 demographics only (patient id, MRN, name, date of birth, sex), at most `limit` \
                 matches, restricted to the patients the caller may see.",
                DataCategory::Demographics,
                false,
            ),
            ToolName::GetPatientOverview => (
                "Get one patient's overview: demographics, contact details, insurance, active \
                 conditions, allergies and the most recent admission.",
                DataCategory::Clinical,
                true,
            ),
            ToolName::ListAdmissions => (
                "List one patient's admissions and encounters, newest first, with dates, \
                 department, reason, diagnosis and attending physician.",
                DataCategory::Clinical,
                true,
            ),
            ToolName::GetLabResults => (
                "Get one patient's laboratory results, newest first. Optionally filter by test \
                 name or LOINC code (`test`). Each result has value, unit, reference range and \
                 an abnormal flag (H, L or empty).",
                DataCategory::Clinical,
                true,
            ),
            ToolName::GetVitalSigns => (
                "Get one patient's vital signs, newest first: heart rate, blood pressure, \
                 respiratory rate, temperature, SpO2 and weight.",
                DataCategory::Clinical,
                true,
            ),
            ToolName::GetMedications => (
                "Get one patient's medications with dose, route, frequency, status and dates. \
                 `status` filters active or stopped medications (default all).",
                DataCategory::Clinical,
                true,
            ),
            ToolName::GetClinicalNotes => (
                "Get one patient's clinical notes (free text written by clinicians), newest \
                 first. Optionally filter by `note_type` (e.g. progress, discharge, consult).",
                DataCategory::ClinicalNotes,
                true,
            ),
            ToolName::GetBillingSummary => (
                "Get one patient's billing summary: account, payer, total billed, total paid, \
                 balance and open claims.",
                DataCategory::Billing,
                true,
            ),
            ToolName::ListInsuranceClaims => (
                "List one patient's insurance claims, newest first, with payer, status, billed \
                 and paid amounts. `status` filters by claim status.",
                DataCategory::Billing,
                true,
            ),
            ToolName::ListProcedures => (
                "List one patient's procedures (operations, endoscopies such as colonoscopy, \
                 biopsies, bedside and imaging-guided procedures), newest first, with date, \
                 status, reason, body site, outcome and performer. Optionally filter by \
                 `procedure` (a name or code, e.g. colonoscopy). A procedure without a date \
                 is listed last.",
                DataCategory::Clinical,
                true,
            ),
            ToolName::ListImmunizations => (
                "List one patient's immunizations, newest first: vaccines given (date, \
                 vaccine and CVX code, dose number, lot, site, route, performer) and \
                 vaccines recorded as not given (status not-done, with the reason). \
                 Optionally filter by `vaccine` (a name or CVX code, e.g. influenza).",
                DataCategory::Clinical,
                true,
            ),
            ToolName::GetDiagnosticReports => (
                "Get one patient's diagnostic reports (laboratory panels, imaging and \
                 pathology reports), newest first, each with its status, category, \
                 conclusion and the results it contains (test, value, unit, reference \
                 range, H/L flag). Optionally filter by `report` (a name or LOINC code, e.g. \
                 lipid panel).",
                DataCategory::Clinical,
                true,
            ),
            ToolName::ListAllergies => (
                "List one patient's allergies and intolerances: substance, type, category, \
                 criticality, reaction and severity, clinical and verification status, and \
                 statements of no known allergy. `status` active (the default) lists those \
                 in force; all also lists resolved, refuted and entered-in-error ones. An \
                 empty list means none are recorded, not that the patient has none.",
                DataCategory::Clinical,
                true,
            ),
            ToolName::ListCarePlans => (
                "List one patient's care plans, newest first: title, category, status, \
                 period, the conditions each addresses and its planned activities. \
                 `status` filters active or completed plans (default all).",
                DataCategory::Clinical,
                true,
            ),
        };
        ToolSpec {
            name: self,
            description,
            category,
            per_patient,
        }
    }

    /// The JSON Schema of the tool's arguments, built once per process and shared (every
    /// chat turn offers the schemas and every call is validated against one).
    pub fn input_schema(self) -> &'static Value {
        static SCHEMAS: std::sync::LazyLock<Vec<Value>> = std::sync::LazyLock::new(|| {
            ToolName::ALL
                .iter()
                .map(|t| t.build_input_schema())
                .collect()
        });
        let index = ToolName::ALL
            .iter()
            .position(|t| *t == self)
            .expect("every tool is in ToolName::ALL");
        &SCHEMAS[index]
    }

    fn build_input_schema(self) -> Value {
        let patient = json!({
            "type": "string", "minLength": 1, "maxLength": 64,
            "description": "The patient id, as the clinician or search_patients gave it (it may be a placeholder such as [ID_1])."
        });
        let limit = |max: u64, default: u64| {
            json!({"type": "integer", "minimum": 1, "maximum": max,
                   "description": format!("Maximum number of items (default {default}).")})
        };
        let mut properties = serde_json::Map::new();
        let mut required = vec![];
        match self {
            ToolName::SearchPatients => {
                properties.insert(
                    "query".into(),
                    json!({"type": "string", "minLength": 1, "maxLength": 100,
                           "description": "A name, MRN or patient id, or part of one."}),
                );
                properties.insert("limit".into(), limit(50, 10));
                required.push("query");
            }
            _ => {
                properties.insert("patient_id".into(), patient);
                required.push("patient_id");
            }
        }
        match self {
            ToolName::ListAdmissions | ToolName::GetVitalSigns | ToolName::GetClinicalNotes => {
                properties.insert("limit".into(), limit(100, 20));
            }
            ToolName::GetLabResults => {
                properties.insert(
                    "test".into(),
                    json!({"type": "string", "minLength": 1, "maxLength": 64,
                           "description": "A test name or LOINC code to filter by."}),
                );
                properties.insert("limit".into(), limit(200, 50));
            }
            ToolName::GetMedications => {
                properties.insert(
                    "status".into(),
                    json!({"type": "string", "enum": ["active", "stopped", "all"]}),
                );
            }
            ToolName::ListInsuranceClaims => {
                properties.insert(
                    "status".into(),
                    json!({"type": "string",
                           "enum": ["submitted", "pending", "paid", "denied", "all"]}),
                );
            }
            ToolName::ListProcedures => {
                properties.insert(
                    "procedure".into(),
                    json!({"type": "string", "minLength": 1, "maxLength": 64,
                           "description": "A procedure name or code to filter by, e.g. colonoscopy."}),
                );
                properties.insert("limit".into(), limit(200, 50));
            }
            ToolName::ListImmunizations => {
                properties.insert(
                    "vaccine".into(),
                    json!({"type": "string", "minLength": 1, "maxLength": 64,
                           "description": "A vaccine name or CVX code to filter by, e.g. influenza."}),
                );
                properties.insert("limit".into(), limit(200, 100));
            }
            ToolName::GetDiagnosticReports => {
                properties.insert(
                    "report".into(),
                    json!({"type": "string", "minLength": 1, "maxLength": 64,
                           "description": "A report name or LOINC code to filter by, e.g. lipid panel."}),
                );
                properties.insert("limit".into(), limit(50, 10));
            }
            ToolName::ListAllergies => {
                properties.insert(
                    "status".into(),
                    json!({"type": "string", "enum": ["active", "all"],
                           "description": "active (default): allergies in force; all: also resolved, refuted and entered-in-error ones."}),
                );
            }
            ToolName::ListCarePlans => {
                properties.insert(
                    "status".into(),
                    json!({"type": "string", "enum": ["active", "completed", "all"]}),
                );
                properties.insert("limit".into(), limit(50, 20));
            }
            _ => {}
        }
        if self == ToolName::GetClinicalNotes {
            properties.insert(
                "note_type".into(),
                json!({"type": "string", "minLength": 1, "maxLength": 32,
                       "description": "progress, admission, discharge, consult, nursing…"}),
            );
        }
        json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false
        })
    }
}

impl fmt::Display for ToolName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A tool name that is not in the registry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown tool '{0}'")]
pub struct UnknownTool(pub String);

impl FromStr for ToolName {
    type Err = UnknownTool;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ToolName::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownTool(s.chars().take(64).collect()))
    }
}

/// A patient identifier: 1–64 characters of letters, digits, `-`, `_` and `.`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PatientId(String);

/// A string that is not a valid patient id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a patient id is 1-64 letters, digits, '-', '_' or '.'")]
pub struct InvalidPatientId;

impl PatientId {
    /// Parses a patient id.
    pub fn parse(s: &str) -> Result<Self, InvalidPatientId> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if ok {
            Ok(PatientId(s.to_string()))
        } else {
            Err(InvalidPatientId)
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PatientId {
    type Error = InvalidPatientId;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PatientId::parse(&s)
    }
}

impl From<PatientId> for String {
    fn from(p: PatientId) -> Self {
        p.0
    }
}

impl fmt::Display for PatientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The typed arguments of one tool call, after schema validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolArgs {
    /// `search_patients`.
    Search {
        /// Name, MRN or id fragment.
        query: String,
        /// Maximum matches.
        limit: u32,
    },
    /// A per-patient tool with its optional filters.
    Patient {
        /// The patient the call is about.
        patient_id: PatientId,
        /// Maximum items, where the tool has a limit.
        limit: Option<u32>,
        /// A test, note type or status filter, where the tool has one.
        filter: Option<String>,
    },
}

/// A tool call whose name is known and whose arguments passed the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedCall {
    /// The tool.
    pub tool: ToolName,
    /// Its typed arguments.
    pub args: ToolArgs,
}

/// Why a raw call could not be validated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The tool does not exist.
    #[error(transparent)]
    UnknownTool(#[from] UnknownTool),
    /// The arguments do not match the tool's schema.
    #[error("invalid arguments: {0}")]
    InvalidArguments(#[from] SchemaViolation),
}

impl ValidatedCall {
    /// Looks the tool up and validates `arguments` against its schema, then types them.
    pub fn parse(name: &str, arguments: &Value) -> Result<Self, CallError> {
        let tool: ToolName = name.parse()?;
        schema::validate(tool.input_schema(), arguments)?;
        let text = |key: &str| {
            arguments
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let limit = arguments
            .get("limit")
            .and_then(Value::as_u64)
            .map(|n| n as u32);
        let args = if tool == ToolName::SearchPatients {
            ToolArgs::Search {
                query: text("query").unwrap_or_default(),
                limit: limit.unwrap_or(10),
            }
        } else {
            let raw = text("patient_id").unwrap_or_default();
            let patient_id = PatientId::parse(&raw).map_err(|e| SchemaViolation {
                field: "arguments.patient_id".into(),
                problem: e.to_string(),
            })?;
            let status = match tool {
                // Allergies in force unless all are asked for: the safe default.
                ToolName::ListAllergies => Some(text("status").unwrap_or_else(|| "active".into())),
                _ => text("status"),
            };
            let filter = ["test", "note_type", "procedure", "vaccine", "report"]
                .iter()
                .find_map(|k| text(k))
                .or(status)
                .filter(|s| s != "all");
            ToolArgs::Patient {
                patient_id,
                limit,
                filter,
            }
        };
        Ok(ValidatedCall { tool, args })
    }

    /// The patient the call is about, if it is a per-patient tool.
    pub fn patient(&self) -> Option<&PatientId> {
        match &self.args {
            ToolArgs::Patient { patient_id, .. } => Some(patient_id),
            ToolArgs::Search { .. } => None,
        }
    }

    /// The arguments as they may be stored in the audit trail: free text that could hold
    /// PHI (a search query) is replaced by its length; ids and filters are kept.
    pub fn audit_arguments(&self) -> Value {
        match &self.args {
            ToolArgs::Search { query, limit } => json!({
                "query": format!("[{} characters]", query.chars().count()),
                "limit": limit
            }),
            ToolArgs::Patient {
                patient_id,
                limit,
                filter,
            } => {
                let mut m = serde_json::Map::new();
                m.insert("patient_id".into(), json!(patient_id.as_str()));
                if let Some(l) = limit {
                    m.insert("limit".into(), json!(l));
                }
                if let Some(f) = filter {
                    m.insert("filter".into(), json!(f));
                }
                Value::Object(m)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_has_an_object_schema_and_a_description() {
        for t in ToolName::ALL {
            let s = t.input_schema();
            assert_eq!(s["type"], "object");
            assert!(t.spec().description.len() > 40);
            assert_eq!(t.as_str().parse::<ToolName>().unwrap(), t);
            assert_eq!(t.spec().per_patient, t != ToolName::SearchPatients);
        }
    }

    #[test]
    fn a_valid_call_is_typed() {
        let c = ValidatedCall::parse(
            "get_lab_results",
            &json!({"patient_id": "PAT-001", "test": "HbA1c", "limit": 5}),
        )
        .unwrap();
        assert_eq!(c.patient().unwrap().as_str(), "PAT-001");
        assert_eq!(
            c.args,
            ToolArgs::Patient {
                patient_id: PatientId::parse("PAT-001").unwrap(),
                limit: Some(5),
                filter: Some("HbA1c".into())
            }
        );
    }

    #[test]
    fn the_record_tools_take_their_own_filters() {
        let filter = |name: &str, args: Value| match ValidatedCall::parse(name, &args).unwrap().args
        {
            ToolArgs::Patient { filter, .. } => filter,
            other => panic!("{other:?}"),
        };
        let p = |extra: Value| {
            let mut v = json!({"patient_id": "PAT-001"});
            v.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            v
        };
        assert_eq!(
            filter("list_procedures", p(json!({"procedure": "colonoscopy"}))),
            Some("colonoscopy".into())
        );
        assert_eq!(
            filter("list_immunizations", p(json!({"vaccine": "influenza"}))),
            Some("influenza".into())
        );
        assert_eq!(
            filter("get_diagnostic_reports", p(json!({"report": "lipid"}))),
            Some("lipid".into())
        );
        // Allergies in force unless every one is asked for.
        assert_eq!(
            filter("list_allergies", p(json!({}))),
            Some("active".into())
        );
        assert_eq!(filter("list_allergies", p(json!({"status": "all"}))), None);
        assert_eq!(filter("list_care_plans", p(json!({"status": "all"}))), None);
        assert!(ValidatedCall::parse("list_procedures", &p(json!({"vaccine": "x"}))).is_err());
        assert!(ValidatedCall::parse("get_diagnostic_reports", &p(json!({"limit": 51}))).is_err());
    }

    #[test]
    fn an_invalid_call_names_the_field() {
        let e = ValidatedCall::parse("get_lab_results", &json!({"patient_id": 12})).unwrap_err();
        assert!(e.to_string().contains("arguments.patient_id"), "{e}");
        let e = ValidatedCall::parse("get_lab_results", &json!({"patient_id": "a b"})).unwrap_err();
        assert!(e.to_string().contains("arguments.patient_id"), "{e}");
        let e = ValidatedCall::parse("drop_tables", &json!({})).unwrap_err();
        assert!(matches!(e, CallError::UnknownTool(_)));
    }

    #[test]
    fn audit_arguments_hide_the_search_text() {
        let c = ValidatedCall::parse("search_patients", &json!({"query": "John Doe"})).unwrap();
        let a = c.audit_arguments().to_string();
        assert!(!a.contains("John"), "{a}");
        assert!(a.contains("8 characters"));
    }
}

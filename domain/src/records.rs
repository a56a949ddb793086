//! The typed results of the tools. Their field names are the vocabulary that
//! [`crate::masking::field_kind`] classifies, so masking and pseudonymisation know what
//! every field holds.

use serde::{Deserialize, Serialize};

/// One search match: demographics only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatientMatch {
    /// Ward's patient id.
    pub patient_id: String,
    /// Medical record number, if the record has one.
    pub mrn: Option<String>,
    /// Full name.
    pub name: String,
    /// Date of birth (YYYY-MM-DD), if known.
    pub birth_date: Option<String>,
    /// Administrative sex.
    pub sex: String,
}

/// `search_patients`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatientSearch {
    /// Matches, at most the requested limit.
    pub patients: Vec<PatientMatch>,
    /// How many were returned.
    pub count: usize,
}

/// A postal address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// Street line.
    pub line: String,
    /// City.
    pub city: String,
    /// US state.
    pub state: String,
    /// ZIP code.
    pub zip: String,
}

/// Insurance coverage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Insurance {
    /// The payer (insurance company).
    pub payer: String,
    /// Member id of the patient with that payer.
    pub member_id: String,
}

/// A coded diagnosis or condition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// ICD-10 or SNOMED code.
    pub code: String,
    /// Its text.
    pub display: String,
    /// active, resolved…
    pub clinical_status: String,
    /// Onset date, if known.
    pub onset_date: Option<String>,
}

/// An admission or encounter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Admission {
    /// Encounter id.
    pub encounter_id: String,
    /// inpatient, emergency, ambulatory…
    pub class: String,
    /// Start, if the source said.
    pub admitted_at: Option<String>,
    /// End, if discharged.
    pub discharged_at: Option<String>,
    /// Department.
    pub department: String,
    /// Reason for the visit.
    pub reason: String,
    /// Principal diagnosis code.
    pub code: Option<String>,
    /// Principal diagnosis text.
    pub display: Option<String>,
    /// Attending physician.
    pub attending: String,
    /// Hospital.
    pub facility: String,
}

/// `get_patient_overview`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatientOverview {
    /// Ward's patient id.
    pub patient_id: String,
    /// Medical record number, if the record has one.
    pub mrn: Option<String>,
    /// Full name.
    pub name: String,
    /// Date of birth, if known.
    pub birth_date: Option<String>,
    /// Age in years today, if the date of birth is known.
    pub age: Option<i64>,
    /// Administrative sex.
    pub sex: String,
    /// Social security number.
    pub ssn: String,
    /// Phone.
    pub phone: String,
    /// Email.
    pub email: String,
    /// Home address.
    pub address: Address,
    /// Insurance.
    pub insurance: Option<Insurance>,
    /// Care unit.
    pub unit: String,
    /// Allergies.
    pub allergies: Vec<String>,
    /// Active and past conditions.
    pub conditions: Vec<Condition>,
    /// The newest admission.
    pub latest_admission: Option<Admission>,
}

/// `list_admissions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdmissionList {
    /// The patient.
    pub patient_id: String,
    /// Newest first.
    pub admissions: Vec<Admission>,
    /// How many.
    pub count: usize,
}

/// One laboratory result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabResult {
    /// When the sample was collected, if the source said.
    pub collected_at: Option<String>,
    /// Test name.
    pub test: String,
    /// LOINC code.
    pub loinc: String,
    /// Value as reported.
    pub value: String,
    /// Units.
    pub units: String,
    /// Reference range.
    pub reference_range: String,
    /// H, L or empty.
    pub flag: String,
}

/// `get_lab_results`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabResultList {
    /// The patient.
    pub patient_id: String,
    /// Newest first.
    pub results: Vec<LabResult>,
    /// How many.
    pub count: usize,
}

/// One set of vital signs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VitalSigns {
    /// When recorded, if the source said.
    pub recorded_at: Option<String>,
    /// Beats per minute.
    pub heart_rate: Option<f64>,
    /// mmHg.
    pub systolic: Option<f64>,
    /// mmHg.
    pub diastolic: Option<f64>,
    /// Breaths per minute.
    pub respiratory_rate: Option<f64>,
    /// Degrees Celsius.
    pub temperature_c: Option<f64>,
    /// Percent.
    pub spo2: Option<f64>,
    /// Kilograms.
    pub weight_kg: Option<f64>,
    /// Centimetres.
    pub height_cm: Option<f64>,
    /// Body mass index, kg/m².
    pub bmi: Option<f64>,
}

/// `get_vital_signs`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VitalSignsList {
    /// The patient.
    pub patient_id: String,
    /// Newest first.
    pub vitals: Vec<VitalSigns>,
    /// How many.
    pub count: usize,
}

/// One medication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Medication {
    /// Drug name.
    pub medication: String,
    /// Dose.
    pub dose: String,
    /// Route.
    pub route: String,
    /// Frequency.
    pub frequency: String,
    /// active or stopped.
    pub status: String,
    /// Start date (when it was ordered), if the source said.
    pub start_date: Option<String>,
    /// End date, if stopped.
    pub end_date: Option<String>,
    /// Prescriber.
    pub prescriber: String,
}

/// `get_medications`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MedicationList {
    /// The patient.
    pub patient_id: String,
    /// Active first, then by start date.
    pub medications: Vec<Medication>,
    /// How many.
    pub count: usize,
}

/// One clinical note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClinicalNote {
    /// Note id.
    pub note_id: String,
    /// When written, if the source said.
    pub written_at: Option<String>,
    /// progress, admission, discharge…
    pub note_type: String,
    /// Who wrote it.
    pub author: String,
    /// The note (free text; contains PHI as real notes do).
    pub text: String,
}

/// `get_clinical_notes`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClinicalNoteList {
    /// The patient.
    pub patient_id: String,
    /// Newest first.
    pub notes: Vec<ClinicalNote>,
    /// How many.
    pub count: usize,
}

/// `get_billing_summary`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BillingSummary {
    /// The patient.
    pub patient_id: String,
    /// Billing account number.
    pub account_number: String,
    /// Payer.
    pub payer: String,
    /// Member id.
    pub member_id: String,
    /// Sum billed over all claims, USD.
    pub total_billed: f64,
    /// Sum paid, USD.
    pub total_paid: f64,
    /// Patient balance, USD.
    pub balance: f64,
    /// Claims not yet paid or denied.
    pub open_claims: usize,
    /// Last payment.
    pub last_payment_date: Option<String>,
}

/// One insurance claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InsuranceClaim {
    /// Claim number.
    pub claim_number: String,
    /// Date of service, if the source said.
    pub service_date: Option<String>,
    /// Submission date.
    pub submitted_at: String,
    /// Payer.
    pub payer: String,
    /// submitted, pending, paid, denied.
    pub status: String,
    /// Amount billed, USD.
    pub billed: f64,
    /// Amount paid, USD.
    pub paid: f64,
    /// ICD-10 codes.
    pub diagnosis_codes: Vec<String>,
}

/// `list_insurance_claims`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimList {
    /// The patient.
    pub patient_id: String,
    /// Newest first.
    pub claims: Vec<InsuranceClaim>,
    /// How many.
    pub count: usize,
}

/// One procedure. Dates are ISO 8601 at the source's precision (`2013`, `2013-04-05`,
/// `2013-04-05T10:00:00Z`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    /// Procedure id.
    pub procedure_id: String,
    /// SNOMED CT or CPT code.
    pub code: String,
    /// What was done.
    pub display: String,
    /// completed, in-progress, not-done…
    pub status: String,
    /// When it was performed (or began), if known.
    pub performed_at: Option<String>,
    /// When it ended, if recorded.
    pub performed_end: Option<String>,
    /// Why (free text or a coded reason).
    pub reason: String,
    /// Body site.
    pub body_site: String,
    /// Outcome.
    pub outcome: String,
    /// Who performed it.
    pub performer: String,
    /// Where.
    pub location: String,
    /// Notes (free text).
    pub note: String,
}

/// `list_procedures`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcedureList {
    /// The patient.
    pub patient_id: String,
    /// Newest first; undated last.
    pub procedures: Vec<Procedure>,
    /// How many.
    pub count: usize,
}

/// One immunization, given or recorded as not given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Immunization {
    /// Immunization id.
    pub immunization_id: String,
    /// CVX (or other) vaccine code.
    pub vaccine_code: String,
    /// The vaccine.
    pub vaccine: String,
    /// completed, not-done or entered-in-error.
    pub status: String,
    /// Why it was not given, for not-done.
    pub status_reason: String,
    /// When it was given, if known.
    pub occurred_at: Option<String>,
    /// Dose number in its series.
    pub dose_number: String,
    /// Lot number.
    pub lot_number: String,
    /// Body site.
    pub site: String,
    /// Route.
    pub route: String,
    /// Who gave it.
    pub performer: String,
    /// Where.
    pub location: String,
    /// Notes (free text).
    pub note: String,
}

/// `list_immunizations`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImmunizationList {
    /// The patient.
    pub patient_id: String,
    /// Newest first; undated last.
    pub immunizations: Vec<Immunization>,
    /// How many.
    pub count: usize,
}

/// One diagnostic report with its results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticReport {
    /// Report id.
    pub report_id: String,
    /// LOINC (or other) code.
    pub code: String,
    /// What the report is (e.g. Lipid panel).
    pub display: String,
    /// Laboratory, radiology, pathology…
    pub category: String,
    /// final, preliminary, amended…
    pub status: String,
    /// The clinically relevant time, if known.
    pub effective_at: Option<String>,
    /// When it was issued, if known.
    pub issued_at: Option<String>,
    /// Who issued it.
    pub performer: String,
    /// The conclusion (free text).
    pub conclusion: String,
    /// The results it contains that Ward holds, in the report's order.
    pub results: Vec<LabResult>,
}

/// `get_diagnostic_reports`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticReportList {
    /// The patient.
    pub patient_id: String,
    /// Newest first; undated last.
    pub reports: Vec<DiagnosticReport>,
    /// How many.
    pub count: usize,
}

/// One allergy or intolerance, or a statement of no known allergy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Allergy {
    /// Allergy id.
    pub allergy_id: String,
    /// The substance (or "No known allergy").
    pub substance: String,
    /// SNOMED CT or RxNorm code.
    pub code: String,
    /// allergy or intolerance.
    pub allergy_type: String,
    /// food, medication, environment, biologic.
    pub category: String,
    /// low, high or unable-to-assess.
    pub criticality: String,
    /// active, inactive, resolved.
    pub clinical_status: String,
    /// confirmed, unconfirmed, refuted, entered-in-error.
    pub verification_status: String,
    /// The reactions' manifestations.
    pub reaction: String,
    /// mild, moderate or severe.
    pub severity: String,
    /// Onset, if known.
    pub onset_date: Option<String>,
    /// When recorded, if known.
    pub recorded_date: Option<String>,
    /// Notes (free text).
    pub note: String,
}

/// `list_allergies`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllergyList {
    /// The patient.
    pub patient_id: String,
    /// Allergies (by substance).
    pub allergies: Vec<Allergy>,
    /// How many.
    pub count: usize,
}

/// One care plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CarePlan {
    /// Care plan id.
    pub care_plan_id: String,
    /// Its title or category.
    pub title: String,
    /// Its categories.
    pub category: String,
    /// draft, active, completed, revoked…
    pub status: String,
    /// plan, order, proposal…
    pub intent: String,
    /// Start of the period, if known.
    pub period_start: Option<String>,
    /// End of the period, if known.
    pub period_end: Option<String>,
    /// Who wrote it.
    pub author: String,
    /// The conditions it addresses.
    pub addresses: Vec<String>,
    /// Its planned activities, each with its status.
    pub activities: Vec<String>,
    /// Its description (free text).
    pub description: String,
}

/// `list_care_plans`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CarePlanList {
    /// The patient.
    pub patient_id: String,
    /// Newest first; undated last.
    pub care_plans: Vec<CarePlan>,
    /// How many.
    pub count: usize,
}

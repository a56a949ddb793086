//! The typed results of the tools. Their field names are the vocabulary that
//! [`crate::masking::field_kind`] classifies, so masking and pseudonymisation know what
//! every field holds.

use serde::{Deserialize, Serialize};

/// One search match: demographics only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatientMatch {
    /// Ward's patient id.
    pub patient_id: String,
    /// Medical record number.
    pub mrn: String,
    /// Full name.
    pub name: String,
    /// Date of birth (YYYY-MM-DD).
    pub birth_date: String,
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
    /// Start.
    pub admitted_at: String,
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
    /// Medical record number.
    pub mrn: String,
    /// Full name.
    pub name: String,
    /// Date of birth.
    pub birth_date: String,
    /// Age in years today.
    pub age: i64,
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
    /// When the sample was collected.
    pub collected_at: String,
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
    /// When recorded.
    pub recorded_at: String,
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
    /// Start date.
    pub start_date: String,
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
    /// When written.
    pub written_at: String,
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
    /// Date of service.
    pub service_date: String,
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

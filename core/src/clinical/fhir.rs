//! FHIR R4 Bundle import: the shape Synthea and EHR exports produce.
//!
//! [`import_bundle`] turns one Bundle (a `transaction`, `batch`, `collection` or
//! `searchset`; the `type` is not checked) into Ward rows, in one database transaction:
//! either everything in the bundle lands or nothing does. [`import_path`] imports a file,
//! or every `*.json` file of a directory in name order, each bundle in its own transaction.
//!
//! # What is imported
//!
//! | FHIR resource | Ward table |
//! |---|---|
//! | `Patient` | `patients` (and a `billing_accounts` row) |
//! | `Encounter` | `encounters` |
//! | `Condition` | `conditions` |
//! | `Observation`, category `laboratory` | `lab_results` |
//! | `Observation`, category `vital-signs` | `vital_signs` |
//! | `MedicationRequest` | `medications` |
//! | `DocumentReference` with a text attachment | `clinical_notes` |
//! | `Claim` | `insurance_claims` |
//! | `AllergyIntolerance` | the patient's `allergies` list |
//!
//! Every other resource type (Organization, Practitioner, Medication, Immunization,
//! Procedure, ExplanationOfBenefit, Provenance, …) is skipped and counted in
//! [`ImportReport::skipped`]; so are Observations of other categories (survey,
//! social-history, …) or with a vital sign Ward does not store (height, BMI, pain),
//! Observations `entered-in-error` or `cancelled`, DocumentReferences without a text
//! attachment, and Claims whose `use` is not `claim`. A `Medication` resource is read when
//! a MedicationRequest refers to it, and a `Condition` when a Claim's diagnosis refers to it.
//!
//! # Decisions
//!
//! - **Ids.** Rows take the FHIR resource id (or, without one, the uuid of an
//!   `urn:uuid:` `fullUrl`), which must be 1–64 letters, digits, `-`, `_` or `.` (Ward's
//!   patient id rule; a Synthea uuid fits).
//! - **Duplicates.** A bundle holding a resource whose row already exists in Ward (same
//!   id in the same table), or a Patient whose MRN another patient already has, fails as a
//!   whole with an "already imported" error naming the resource, and imports nothing.
//!   Nothing is ever overwritten: importing the same export twice is an error, not an
//!   update. A bundle may refer to a patient imported earlier without containing it, to add
//!   that patient's records.
//! - **References.** `subject` and `patient` are `urn:uuid:<id>` (matched against the
//!   entries' `fullUrl`s), `Patient/<id>` or an absolute `…/Patient/<id>` URL; they must
//!   point to a Patient in the bundle or already in Ward, or the bundle fails naming the
//!   resource and the field.
//! - **Care team.** An imported patient's `unit` is the `valueString` (or `valueCode`) of
//!   the Patient extension [`UNIT_EXTENSION_URL`], else [`IMPORTED_UNIT`], a unit no demo
//!   user belongs to: imported patients are on no care team until a unit is set or users
//!   are assigned to them; until then only break-the-glass reaches them.
//! - **Vital signs.** Observations of one patient with the same effective time become one
//!   `vital_signs` row whose id is the id of the first of them in the bundle (the first
//!   value of a kind wins if the group repeats it). Heart rate 8867-4, systolic 8480-6,
//!   diastolic 8462-4 (also as components of the blood-pressure panel 85354-9), respiratory
//!   rate 9279-1, body temperature 8310-5 or 8331-1 (stored in °C: `[degF]` is converted),
//!   SpO2 2708-6 or 59408-5, body weight 29463-7 (stored in kg: `[lb_av]`, `[oz_av]` and
//!   `g` are converted). A temperature or weight without a unit is taken as °C or kg; an
//!   unknown unit is an error. Converted values are rounded to two decimals.
//! - **Labs.** The value is the number of `valueQuantity` as written (`4.0` stays `4.0`;
//!   with its unit), `valueString`,
//!   the text of `valueCodeableConcept`, or `valueInteger`/`valueBoolean`. The flag is `H`
//!   or `L` from `interpretation` (`H`, `HH`, `HU`, `>`; `L`, `LL`, `LU`, `<`; `N` is no
//!   flag; any other code is kept), else computed from `referenceRange[0]`.
//! - **Dates.** Dates must be full (`YYYY-MM-DD`); a date-time without a time zone is
//!   taken as UTC, and a date alone as midnight UTC. Date columns (onset, start, service
//!   date) take the calendar date as written, not converted to UTC.
//! - **Statuses.** A MedicationRequest `active` stays `active`; `stopped`, `completed`,
//!   `cancelled` and `entered-in-error` become `stopped`; others are kept. A Claim `active`
//!   becomes `submitted` (Ward's word for a claim awaiting adjudication); others are kept;
//!   paid amounts are 0.
//! - **Notes.** A note's type is Ward's word for well-known LOINC note codes (progress
//!   11506-3, discharge 18842-5, consult 11488-4, nursing 34746-8), else `type.coding[0]`'s
//!   display, else `note`. A MedicationRequest with no structured timing keeps
//!   `dosageInstruction[0].text` as its frequency.
//! - **Billing.** Each imported patient gets a billing account numbered `FHIR-` and 16 hex
//!   digits of the SHA-256 of the patient id, with the payer of its first claim in the
//!   bundle (else `Self-pay`), no member id and a zero balance.
//! - **Lengths.** Free text longer than its column is cut, ending in `…`; an id, MRN or SSN
//!   that does not fit is an error.
//! - **Allergies.** Active AllergyIntolerances (not `refuted`, `entered-in-error`,
//!   `inactive` or `resolved`) add their substance to the patient's `allergies`; for a
//!   patient already in Ward the list is merged. (An empty list reads as "none known", so
//!   dropping them would be unsafe.)

use crate::db::begin_serialized;
use crate::entity::{
    billing_accounts, clinical_notes, conditions, encounters, insurance_claims, lab_results,
    medications, patients, vital_signs,
};
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use ward_domain::tool::PatientId;

/// The Patient extension whose value is the patient's unit (care-team unit) in Ward.
pub const UNIT_EXTENSION_URL: &str = "urn:ward:unit";

/// The unit of an imported patient whose Patient resource has no [`UNIT_EXTENSION_URL`]
/// extension. No demo user belongs to it.
pub const IMPORTED_UNIT: &str = "Imported";

/// What an import added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Bundles imported.
    pub bundles: usize,
    /// Patients added.
    pub patients: usize,
    /// Encounters added.
    pub encounters: usize,
    /// Conditions added.
    pub conditions: usize,
    /// Observations imported: laboratory results plus vital-sign Observations (several of
    /// which may share one `vital_signs` row; see the module documentation).
    pub observations: usize,
    /// Medication orders added.
    pub medications: usize,
    /// Clinical notes added.
    pub notes: usize,
    /// Insurance claims added.
    pub claims: usize,
    /// Billing accounts added.
    pub accounts: usize,
    /// Allergies recorded on patients.
    pub allergies: usize,
    /// Resources not imported: other resource types, other Observation categories,
    /// unsupported vital signs, notes without text, and the like.
    pub skipped: usize,
}

impl ImportReport {
    /// Adds another report's counts to this one.
    pub fn add(&mut self, other: &ImportReport) {
        self.bundles += other.bundles;
        self.patients += other.patients;
        self.encounters += other.encounters;
        self.conditions += other.conditions;
        self.observations += other.observations;
        self.medications += other.medications;
        self.notes += other.notes;
        self.claims += other.claims;
        self.accounts += other.accounts;
        self.allergies += other.allergies;
        self.skipped += other.skipped;
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} bundle(s): {} patient(s), {} encounter(s), {} condition(s), {} observation(s), \
             {} medication(s), {} note(s), {} claim(s), {} billing account(s), {} allergy(ies); \
             {} resource(s) skipped",
            self.bundles,
            self.patients,
            self.encounters,
            self.conditions,
            self.observations,
            self.medications,
            self.notes,
            self.claims,
            self.accounts,
            self.allergies,
            self.skipped
        )
    }
}

/// Why a bundle could not be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FhirErrorKind {
    /// A file or directory could not be read.
    Io,
    /// A file is not JSON.
    NotJson,
    /// The bundle or one of its resources is not what Ward can import.
    Invalid,
    /// A resource's row already exists in Ward.
    AlreadyImported,
    /// A reference points to a patient that is neither in the bundle nor in Ward.
    UnknownReference,
    /// The database failed.
    Database,
}

/// A bundle Ward cannot import. Its text names the file (when known), the resource (the
/// 0-based index into the bundle's `entry` array with the resource type and id) and the
/// field, e.g. `bundle.json: entry 3 (Observation/abc): valueQuantity.value is not a
/// number`. It contains ids and field names, never patient names or other values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct FhirError {
    kind: FhirErrorKind,
    file: Option<PathBuf>,
    resource: Option<String>,
    field: Option<String>,
    message: String,
    before: Option<Box<ImportReport>>,
}

impl FhirError {
    fn new(kind: FhirErrorKind, message: impl Into<String>) -> Self {
        FhirError {
            kind,
            file: None,
            resource: None,
            field: None,
            message: message.into(),
            before: None,
        }
    }

    fn at(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }

    fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.to_path_buf());
        self
    }

    fn database(e: DbErr) -> Self {
        FhirError::new(FhirErrorKind::Database, format!("database error: {e}"))
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> FhirErrorKind {
        self.kind
    }

    /// The file the bundle came from, when imported from a path.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The resource at fault, e.g. `entry 3 (Observation/abc)` or `Bundle`.
    pub fn resource(&self) -> Option<&str> {
        self.resource.as_deref()
    }

    /// The field at fault, in FHIR path style, e.g. `valueQuantity.value`.
    pub fn field_name(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// What [`import_path`] imported from the files before the bad one (they stay
    /// imported); zero for [`import_bundle`].
    pub fn imported_before(&self) -> ImportReport {
        self.before.as_deref().copied().unwrap_or_default()
    }

    /// What is wrong, without the file, resource and field.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn render(&self) -> String {
        let mut out = String::new();
        if let Some(file) = &self.file {
            out.push_str(&format!("{}: ", file.display()));
        }
        if let Some(resource) = &self.resource {
            out.push_str(resource);
            out.push_str(": ");
        }
        if let Some(field) = &self.field {
            out.push_str(field);
            out.push(' ');
        }
        out.push_str(&self.message);
        out
    }
}

/// Imports one Bundle in one transaction: either everything in it lands or nothing does.
///
/// The bundle is validated completely before the database is touched; then, inside the
/// transaction, references to patients outside the bundle are resolved and every row is
/// checked against existing ones (see the module documentation for duplicates).
pub async fn import_bundle(
    db: &DatabaseConnection,
    bundle: &Value,
) -> Result<ImportReport, FhirError> {
    let plan = Plan::build(bundle)?;
    let txn = begin_serialized(db).await.map_err(FhirError::database)?;
    match plan.apply(&txn).await {
        Ok(report) => {
            txn.commit().await.map_err(FhirError::database)?;
            tracing::info!(
                patients = report.patients,
                encounters = report.encounters,
                conditions = report.conditions,
                observations = report.observations,
                medications = report.medications,
                notes = report.notes,
                claims = report.claims,
                skipped = report.skipped,
                skipped_types = ?plan.skipped_types,
                "imported a FHIR bundle"
            );
            Ok(report)
        }
        Err(e) => {
            // Roll back now rather than on drop, so that the write lock is released first.
            if let Err(rollback) = txn.rollback().await {
                tracing::warn!(error = %rollback, "FHIR import rollback failed");
            }
            Err(e)
        }
    }
}

/// Imports a Bundle file, or every `*.json` file in a directory (in name order, not
/// recursing), each bundle in its own transaction.
///
/// Stops at the first file that cannot be read, is not JSON or is not an importable
/// bundle, with an error naming that file. Bundles imported before it stay imported (each
/// is atomic on its own); the bad one and those after it import nothing. A directory
/// without `*.json` files is an error. Returns the sum of the bundles' reports.
pub async fn import_path(db: &DatabaseConnection, path: &Path) -> Result<ImportReport, FhirError> {
    let io = |e: std::io::Error| {
        FhirError::new(FhirErrorKind::Io, format!("cannot be read: {e}")).in_file(path)
    };
    let meta = tokio::fs::metadata(path).await.map_err(io)?;
    let files = if meta.is_dir() {
        let mut files = Vec::new();
        let mut dir = tokio::fs::read_dir(path).await.map_err(io)?;
        while let Some(item) = dir.next_entry().await.map_err(io)? {
            let p = item.path();
            let is_json = p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if is_json && tokio::fs::metadata(&p).await.map_err(io)?.is_file() {
                files.push(p);
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(
                FhirError::new(FhirErrorKind::Io, "contains no *.json files").in_file(path),
            );
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut total = ImportReport::default();
    for file in &files {
        let text = tokio::fs::read(file).await.map_err(|e| {
            FhirError::new(FhirErrorKind::Io, format!("cannot be read: {e}")).in_file(file)
        })?;
        let bundle: Value = serde_json::from_slice(&text).map_err(|e| {
            FhirError::new(FhirErrorKind::NotJson, format!("is not valid JSON: {e}")).in_file(file)
        })?;
        let report = import_bundle(db, &bundle).await.map_err(|mut e| {
            e.before = Some(Box::new(total));
            e.in_file(file)
        })?;
        tracing::info!(file = %file.display(), "imported a FHIR bundle file");
        total.add(&report);
    }
    Ok(total)
}

// ---------------------------------------------------------------------------------------
// Reading resources

/// Turns a FHIR path such as `component[1].valueQuantity.value` into a JSON pointer.
fn pointer(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    out.push('/');
    for c in path.chars() {
        match c {
            '.' | '[' => out.push('/'),
            ']' => {}
            c => out.push(c),
        }
    }
    out
}

/// One resource of the bundle being read, with its label for errors.
struct Res<'a> {
    label: String,
    value: &'a Value,
}

impl<'a> Res<'a> {
    fn err(&self, field: &str, message: impl Into<String>) -> FhirError {
        FhirError::new(FhirErrorKind::Invalid, message)
            .at(self.label.clone())
            .field(field)
    }

    fn get(&self, path: &str) -> Option<&'a Value> {
        self.value.pointer(&pointer(path)).filter(|v| !v.is_null())
    }

    /// A non-empty string at `path`, if any.
    fn str(&self, path: &str) -> Option<&'a str> {
        self.get(path)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The first non-empty string among `paths`.
    fn first_str(&self, paths: &[&str]) -> Option<&'a str> {
        paths.iter().find_map(|p| self.str(p))
    }

    fn array(&self, path: &str) -> &'a [Value] {
        self.get(path)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// A number at `path`: `None` when absent, an error when present but not a number.
    fn number(&self, path: &str) -> Result<Option<f64>, FhirError> {
        match self.get(path) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|n| n.is_finite())
                .map(Some)
                .ok_or_else(|| self.err(path, "is not a number")),
        }
    }

    /// A number at `path` as written in the bundle (`4.0` stays `4.0`).
    fn number_text(&self, path: &str) -> Result<Option<String>, FhirError> {
        Ok(self.number(path)?.and(self.get(path)).map(Value::to_string))
    }

    /// A full date (`YYYY-MM-DD`) at `path`; a date-time counts as its calendar date.
    fn date(&self, path: &str) -> Result<Option<NaiveDate>, FhirError> {
        Ok(self.datetime(path)?.map(|(_, d)| d))
    }

    fn required_date(&self, path: &str) -> Result<NaiveDate, FhirError> {
        self.date(path)?.ok_or_else(|| self.err(path, "is missing"))
    }

    /// A date-time at `path` as an instant and as the calendar date written.
    fn datetime(&self, path: &str) -> Result<Option<(DateTime<Utc>, NaiveDate)>, FhirError> {
        let Some(v) = self.get(path) else {
            return Ok(None);
        };
        let bad = || {
            self.err(
                path,
                "is not a valid date (expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a time zone)",
            )
        };
        let s = v.as_str().ok_or_else(bad)?.trim();
        if matches!(s.len(), 4 | 7) && s.chars().all(|c| c.is_ascii_digit() || c == '-') {
            return Err(self.err(
                path,
                "is a partial date; Ward needs at least a full date (YYYY-MM-DD)",
            ));
        }
        let day = s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .ok_or_else(bad)?;
        let at = if s.len() == 10 {
            day.and_hms_opt(0, 0, 0).ok_or_else(bad)?.and_utc()
        } else if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            t.with_timezone(&Utc)
        } else {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
                .map_err(|_| bad())?
                .and_utc()
        };
        Ok(Some((at, day)))
    }

    /// The codes of a CodeableConcept's codings.
    fn codes(&self, path: &str) -> Vec<&'a str> {
        self.array(&format!("{path}.coding"))
            .iter()
            .filter_map(|c| c.get("code").and_then(Value::as_str))
            .collect()
    }

    /// The text of a CodeableConcept: its `text`, else its first coding's display.
    fn concept_text(&self, path: &str) -> Option<&'a str> {
        self.first_str(&[
            &format!("{path}.text"),
            &format!("{path}.coding[0].display"),
        ])
    }
}

/// Cuts `s` to at most `max` characters, ending in `…` when cut.
fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A number as people write it: no trailing `.0`.
fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A valid Ward id, or an error naming `field`.
fn valid_id(res: &Res, id: &str, field: &str) -> Result<String, FhirError> {
    PatientId::parse(id).map(String::from).map_err(|_| {
        res.err(
            field,
            "is not a valid Ward id (1-64 letters, digits, '-', '_' or '.')",
        )
    })
}

/// What a reference string names.
enum Target<'s> {
    FullUrl(&'s str),
    Typed(&'s str, &'s str),
}

fn parse_reference(reference: &str) -> Option<Target<'_>> {
    if reference.starts_with("urn:") {
        return Some(Target::FullUrl(reference));
    }
    if reference.contains('?') || reference.starts_with('#') {
        return None;
    }
    let path = reference
        .split("/_history/")
        .next()
        .unwrap_or(reference)
        .trim_end_matches('/');
    let mut parts = path.rsplit('/');
    let id = parts.next()?;
    let rtype = parts.next()?;
    (!id.is_empty() && rtype.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .then_some(Target::Typed(rtype, id))
}

// ---------------------------------------------------------------------------------------
// The plan: every row of a bundle, built and validated before the database is touched.

/// A row to insert, with its id and the resource it came from.
struct Staged<T> {
    id: String,
    label: String,
    row: T,
}

/// Where a reference to a patient leads.
enum PatientRef {
    /// A Patient in this bundle.
    Bundle(String),
    /// A patient that must already be in Ward.
    External(String),
}

/// One kind of vital sign.
#[derive(Clone, Copy)]
enum Vital {
    HeartRate,
    Systolic,
    Diastolic,
    RespiratoryRate,
    Temperature,
    Spo2,
    Weight,
}

impl Vital {
    fn from_loinc(code: &str) -> Option<Vital> {
        Some(match code {
            "8867-4" => Vital::HeartRate,
            "8480-6" => Vital::Systolic,
            "8462-4" => Vital::Diastolic,
            "9279-1" => Vital::RespiratoryRate,
            "8310-5" | "8331-1" => Vital::Temperature,
            "2708-6" | "59408-5" => Vital::Spo2,
            "29463-7" => Vital::Weight,
            _ => return None,
        })
    }

    /// The value of the Quantity at `quantity` in Ward's unit, read from the Quantity's
    /// UCUM `code`, else its `unit`; an unknown unit is an error naming that field.
    fn normalise(self, res: &Res, value: f64, quantity: &str) -> Result<f64, FhirError> {
        let code_field = format!("{quantity}.code");
        let unit_field = format!("{quantity}.unit");
        let (unit, unit_field) = match res.str(&code_field) {
            Some(code) => (code, code_field),
            None => (res.str(&unit_field).unwrap_or_default(), unit_field),
        };
        let unknown = |kind: &str| {
            res.err(
                &unit_field,
                format!("'{}' is not a {kind} unit Ward knows", fit(unit, 20)),
            )
        };
        Ok(match self {
            Vital::Temperature => match unit {
                "" | "Cel" | "°C" | "C" | "degC" | "cel" => value,
                "[degF]" | "°F" | "F" | "degF" | "[degf]" => round2((value - 32.0) * 5.0 / 9.0),
                _ => return Err(unknown("temperature")),
            },
            Vital::Weight => match unit {
                "" | "kg" => value,
                "[lb_av]" | "lb" | "lbs" => round2(value * 0.453_592_37),
                "[oz_av]" | "oz" => round2(value * 0.028_349_523_125),
                "g" => round2(value / 1000.0),
                _ => return Err(unknown("weight")),
            },
            _ => value,
        })
    }
}

/// One vital-signs row being assembled from Observations.
struct VitalRow {
    id: String,
    label: String,
    patient_id: String,
    at: DateTime<Utc>,
    values: [Option<f64>; 7],
}

/// The index of the bundle: entries by `fullUrl` and by type and id.
struct Index<'a> {
    by_full_url: HashMap<&'a str, usize>,
    by_type_id: HashMap<(&'a str, String), usize>,
    entries: Vec<Entry<'a>>,
}

/// One entry of the bundle.
struct Entry<'a> {
    rtype: &'a str,
    id: Option<String>,
    resource: &'a Value,
    label: String,
}

/// Resource types whose rows take the resource id, which must therefore be valid and
/// unique in the bundle.
const WITH_ROWS: [&str; 7] = [
    "Patient",
    "Encounter",
    "Condition",
    "Observation",
    "MedicationRequest",
    "DocumentReference",
    "Claim",
];

impl<'a> Index<'a> {
    fn build(bundle: &'a Value) -> Result<Index<'a>, FhirError> {
        let bundle_err = |field: &str, message: &str| {
            FhirError::new(FhirErrorKind::Invalid, message)
                .at("Bundle")
                .field(field)
        };
        if !bundle.is_object() {
            return Err(
                FhirError::new(FhirErrorKind::Invalid, "is not a JSON object").at("Bundle"),
            );
        }
        match bundle.get("resourceType").and_then(Value::as_str) {
            Some("Bundle") => {}
            Some(other) => {
                return Err(bundle_err(
                    "resourceType",
                    &format!("is '{}', not 'Bundle'", fit(other, 40)),
                ))
            }
            None => return Err(bundle_err("resourceType", "is missing; not a FHIR Bundle")),
        }
        let entries = match bundle.get("entry") {
            Some(Value::Array(a)) => a,
            Some(_) => return Err(bundle_err("entry", "is not an array")),
            None => return Err(bundle_err("entry", "is missing")),
        };
        let mut index = Index {
            by_full_url: HashMap::new(),
            by_type_id: HashMap::new(),
            entries: Vec::with_capacity(entries.len()),
        };
        for (i, entry) in entries.iter().enumerate() {
            let resource = entry
                .get("resource")
                .filter(|r| r.is_object())
                .ok_or_else(|| {
                    FhirError::new(FhirErrorKind::Invalid, "is missing")
                        .at(format!("entry {i}"))
                        .field("resource")
                })?;
            let rtype = resource
                .get("resourceType")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| {
                    FhirError::new(FhirErrorKind::Invalid, "is missing")
                        .at(format!("entry {i}"))
                        .field("resource.resourceType")
                })?;
            let full_url = entry.get("fullUrl").and_then(Value::as_str);
            let id = resource
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| {
                    full_url
                        .and_then(|u| u.strip_prefix("urn:uuid:"))
                        .map(str::to_string)
                });
            let label = match &id {
                Some(id) => format!("entry {i} ({rtype}/{})", fit(id, 64)),
                None => format!("entry {i} ({rtype})"),
            };
            if WITH_ROWS.contains(&rtype) {
                let res = Res {
                    label: label.clone(),
                    value: resource,
                };
                let id = id.as_deref().ok_or_else(|| res.err("id", "is missing"))?;
                let id = valid_id(&res, id, "id")?;
                if let Some(&other) = index.by_type_id.get(&(rtype, id.clone())) {
                    return Err(res.err(
                        "id",
                        format!("is also the id of entry {other}; ids must be unique"),
                    ));
                }
                index.by_type_id.insert((rtype, id), i);
            } else if let Some(id) = &id {
                // Other resources are only looked up (a Medication, say): the first wins.
                index.by_type_id.entry((rtype, id.clone())).or_insert(i);
            }
            if let Some(u) = full_url {
                index.by_full_url.insert(u, i);
            }
            index.entries.push(Entry {
                rtype,
                id,
                resource,
                label,
            });
        }
        Ok(index)
    }

    /// The entry a reference string points to, if it is in the bundle.
    fn lookup(&self, reference: &str) -> Option<&Entry<'a>> {
        if let Some(&i) = self.by_full_url.get(reference) {
            return Some(&self.entries[i]);
        }
        match parse_reference(reference)? {
            Target::Typed(t, id) => self
                .by_type_id
                .get(&(t, id.to_string()))
                .map(|&i| &self.entries[i]),
            Target::FullUrl(_) => None,
        }
    }
}

/// Everything one bundle will write.
#[derive(Default)]
struct Plan {
    patients: Vec<Staged<patients::ActiveModel>>,
    mrns: Vec<(String, String)>,
    encounters: Vec<Staged<encounters::ActiveModel>>,
    conditions: Vec<Staged<conditions::ActiveModel>>,
    labs: Vec<Staged<lab_results::ActiveModel>>,
    vitals: Vec<VitalRow>,
    meds: Vec<Staged<medications::ActiveModel>>,
    notes: Vec<Staged<clinical_notes::ActiveModel>>,
    claims: Vec<Staged<insurance_claims::ActiveModel>>,
    accounts: Vec<billing_accounts::ActiveModel>,
    /// Allergies per patient id, in bundle order.
    allergies: BTreeMap<String, Vec<String>>,
    /// Patients outside the bundle, with the first resource and field referring to each.
    external: BTreeMap<String, (String, &'static str)>,
    /// Payer of each patient's first claim with one.
    first_payer: HashMap<String, String>,
    observations: usize,
    allergy_count: usize,
    skipped: usize,
    skipped_types: BTreeMap<String, usize>,
}

impl Plan {
    fn build(bundle: &Value) -> Result<Plan, FhirError> {
        let index = Index::build(bundle)?;
        let mut plan = Plan::default();
        let mut vitals_by_key: HashMap<(String, DateTime<Utc>), usize> = HashMap::new();
        for entry in &index.entries {
            let res = Res {
                label: entry.label.clone(),
                value: entry.resource,
            };
            let id = entry.id.clone().unwrap_or_default();
            match entry.rtype {
                "Patient" => plan.patient(&res, id)?,
                "Encounter" => plan.encounter(&index, &res, id)?,
                "Condition" => plan.condition(&index, &res, id)?,
                "Observation" => plan.observation(&index, &res, id, &mut vitals_by_key)?,
                "MedicationRequest" => plan.medication(&index, &res, id)?,
                "DocumentReference" => plan.note(&index, &res, id)?,
                "Claim" => plan.claim(&index, &res, id)?,
                "AllergyIntolerance" => plan.allergy(&index, &res)?,
                other => plan.skip(other),
            }
        }
        let mut seen_mrn: HashMap<&str, &str> = HashMap::new();
        for (mrn, label) in &plan.mrns {
            if let Some(first) = seen_mrn.insert(mrn, label) {
                return Err(FhirError::new(
                    FhirErrorKind::Invalid,
                    format!("has the same MRN as {first}"),
                )
                .at(label.clone())
                .field("identifier"));
            }
        }
        for p in &mut plan.patients {
            if let Some(list) = plan.allergies.remove(&p.id) {
                p.row.allergies = Set(serde_json::to_string(&list).unwrap_or_else(|_| "[]".into()));
            }
            let digest = hex::encode(Sha256::digest(p.id.as_bytes()));
            plan.accounts.push(billing_accounts::ActiveModel {
                patient_id: Set(p.id.clone()),
                account_number: Set(format!("FHIR-{}", digest[..16].to_uppercase())),
                payer: Set(plan
                    .first_payer
                    .get(&p.id)
                    .cloned()
                    .unwrap_or_else(|| "Self-pay".into())),
                member_id: Set(String::new()),
                balance_cents: Set(0),
                last_payment_date: Set(None),
            });
        }
        Ok(plan)
    }

    fn skip(&mut self, what: &str) {
        self.skipped += 1;
        *self.skipped_types.entry(what.to_string()).or_default() += 1;
    }

    /// The patient a reference field (`subject` or `patient`) points to.
    fn patient_ref(
        &mut self,
        index: &Index,
        res: &Res,
        field: &'static str,
    ) -> Result<String, FhirError> {
        if res.get(field).is_none() {
            return Err(res.err(field, "is missing"));
        }
        let path = format!("{field}.reference");
        let reference = res.str(&path).ok_or_else(|| res.err(&path, "is missing"))?;
        let target = match index.lookup(reference) {
            Some(e) if e.rtype == "Patient" => PatientRef::Bundle(e.id.clone().unwrap_or_default()),
            Some(e) => {
                return Err(res.err(field, format!("points to {}, not to a Patient", e.label)))
            }
            None => match parse_reference(reference) {
                Some(Target::FullUrl(u)) => {
                    let id = u.rsplit(':').next().unwrap_or_default();
                    if index.by_type_id.contains_key(&("Patient", id.to_string())) {
                        // urn:uuid:<id> naming a Patient whose fullUrl is written otherwise.
                        PatientRef::Bundle(id.to_string())
                    } else {
                        PatientRef::External(valid_id(res, id, field).map_err(|_| {
                            res.err(
                                field,
                                "points nowhere: no entry of the bundle has that fullUrl",
                            )
                        })?)
                    }
                }
                Some(Target::Typed("Patient", id)) => {
                    PatientRef::External(valid_id(res, id, field)?)
                }
                Some(Target::Typed(..)) => {
                    return Err(res.err(field, "does not point to a Patient"))
                }
                None => {
                    return Err(res.err(
                        &path,
                        "is not a reference Ward can follow (urn:uuid:<id> or Patient/<id>)",
                    ))
                }
            },
        };
        Ok(match target {
            PatientRef::Bundle(id) => id,
            PatientRef::External(id) => {
                self.external
                    .entry(id.clone())
                    .or_insert_with(|| (res.label.clone(), field));
                id
            }
        })
    }

    fn patient(&mut self, res: &Res, id: String) -> Result<(), FhirError> {
        let identifiers = res.array("identifier");
        let has_code = |ident: &Value, code: &str| {
            ident
                .pointer("/type/coding")
                .and_then(Value::as_array)
                .is_some_and(|cs| {
                    cs.iter()
                        .any(|c| c.get("code").and_then(Value::as_str) == Some(code))
                })
        };
        fn value_of(ident: &Value) -> Option<&str> {
            ident
                .get("value")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|v| !v.is_empty())
        }
        let mrn = identifiers
            .iter()
            .filter(|i| has_code(i, "MR"))
            .find_map(value_of)
            .or_else(|| identifiers.iter().find_map(value_of))
            .ok_or_else(|| res.err("identifier", "is missing: Ward needs an MRN"))?;
        if mrn.chars().count() > 64 {
            return Err(res.err("identifier", "holds an MRN longer than 64 characters"));
        }
        let ssn = identifiers
            .iter()
            .filter(|i| {
                has_code(i, "SS")
                    || i.get("system").and_then(Value::as_str)
                        == Some("http://hl7.org/fhir/sid/us-ssn")
            })
            .find_map(value_of)
            .unwrap_or_default();
        if ssn.chars().count() > 16 {
            return Err(res.err("identifier", "holds an SSN longer than 16 characters"));
        }
        let names = res.array("name");
        let name_at = names
            .iter()
            .position(|n| n.get("use").and_then(Value::as_str) == Some("official"))
            .unwrap_or(0);
        let given = res
            .str(&format!("name[{name_at}].given[0]"))
            .unwrap_or_default();
        let family = res
            .str(&format!("name[{name_at}].family"))
            .unwrap_or_default();
        if given.is_empty() && family.is_empty() {
            return Err(res.err("name", "is missing: Ward needs a given or family name"));
        }
        let birth = res
            .date("birthDate")?
            .ok_or_else(|| res.err("birthDate", "is missing"))?;
        let telecom = |system: &str| {
            res.array("telecom")
                .iter()
                .filter(|t| t.get("system").and_then(Value::as_str) == Some(system))
                .find_map(value_of)
                .unwrap_or_default()
        };
        let lines: Vec<&str> = res
            .array("address[0].line")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let unit = res
            .array("extension")
            .iter()
            .filter(|e| e.get("url").and_then(Value::as_str) == Some(UNIT_EXTENSION_URL))
            .find_map(|e| {
                e.get("valueString")
                    .or_else(|| e.get("valueCode"))
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
            })
            .unwrap_or(IMPORTED_UNIT);
        self.mrns.push((mrn.to_string(), res.label.clone()));
        self.patients.push(Staged {
            id: id.clone(),
            label: res.label.clone(),
            row: patients::ActiveModel {
                id: Set(id),
                mrn: Set(mrn.to_string()),
                given_name: Set(fit(given, 100)),
                family_name: Set(fit(family, 100)),
                birth_date: Set(birth),
                sex: Set(fit(res.str("gender").unwrap_or("unknown"), 16)),
                ssn: Set(ssn.to_string()),
                phone: Set(fit(telecom("phone"), 32)),
                email: Set(fit(telecom("email"), 200)),
                address_line: Set(fit(&lines.join(", "), 200)),
                city: Set(fit(res.str("address[0].city").unwrap_or_default(), 100)),
                state: Set(fit(res.str("address[0].state").unwrap_or_default(), 50)),
                zip: Set(fit(
                    res.str("address[0].postalCode").unwrap_or_default(),
                    16,
                )),
                unit: Set(fit(unit, 100)),
                allergies: Set("[]".into()),
                created_at: Set(Utc::now()),
            },
        });
        Ok(())
    }

    fn encounter(&mut self, index: &Index, res: &Res, id: String) -> Result<(), FhirError> {
        let patient_id = self.patient_ref(index, res, "subject")?;
        let class_code = res
            .first_str(&["class.code", "class[0].coding[0].code"])
            .unwrap_or("unknown");
        let class = match class_code {
            "AMB" => "ambulatory",
            "EMER" => "emergency",
            "IMP" => "inpatient",
            other => other,
        };
        let admitted = res
            .datetime("period.start")?
            .ok_or_else(|| res.err("period.start", "is missing"))?
            .0;
        let discharged = res.datetime("period.end")?.map(|(t, _)| t);
        let department = res
            .first_str(&[
                "serviceType.text",
                "serviceType.coding[0].display",
                "type[0].text",
            ])
            .unwrap_or_default();
        let reason = res
            .first_str(&[
                "reasonCode[0].coding[0].display",
                "reasonCode[0].text",
                "type[0].text",
                "type[0].coding[0].display",
            ])
            .unwrap_or_default();
        self.encounters.push(Staged {
            id: id.clone(),
            label: res.label.clone(),
            row: encounters::ActiveModel {
                id: Set(id),
                patient_id: Set(patient_id),
                class: Set(fit(class, 32)),
                admitted_at: Set(admitted),
                discharged_at: Set(discharged),
                department: Set(fit(department, 100)),
                reason: Set(reason.to_string()),
                code: Set(res.str("reasonCode[0].coding[0].code").map(|c| fit(c, 32))),
                display: Set(res
                    .first_str(&["reasonCode[0].coding[0].display", "reasonCode[0].text"])
                    .map(|d| fit(d, 200))),
                attending: Set(fit(
                    res.str("participant[0].individual.display")
                        .unwrap_or_default(),
                    200,
                )),
                facility: Set(fit(
                    res.first_str(&["serviceProvider.display", "location[0].location.display"])
                        .unwrap_or_default(),
                    200,
                )),
            },
        });
        Ok(())
    }

    fn condition(&mut self, index: &Index, res: &Res, id: String) -> Result<(), FhirError> {
        let patient_id = self.patient_ref(index, res, "subject")?;
        let code = res.str("code.coding[0].code").unwrap_or_default();
        let display = res
            .first_str(&["code.coding[0].display", "code.text"])
            .unwrap_or_default();
        if code.is_empty() && display.is_empty() {
            return Err(res.err("code", "is missing"));
        }
        let onset = res.date("onsetDateTime")?;
        self.conditions.push(Staged {
            id: id.clone(),
            label: res.label.clone(),
            row: conditions::ActiveModel {
                id: Set(id),
                patient_id: Set(patient_id),
                code: Set(fit(code, 32)),
                display: Set(fit(display, 200)),
                clinical_status: Set(fit(
                    res.first_str(&["clinicalStatus.coding[0].code", "clinicalStatus.text"])
                        .unwrap_or_default(),
                    32,
                )),
                onset_date: Set(onset),
            },
        });
        Ok(())
    }

    fn observation(
        &mut self,
        index: &Index,
        res: &Res,
        id: String,
        vitals_by_key: &mut HashMap<(String, DateTime<Utc>), usize>,
    ) -> Result<(), FhirError> {
        if matches!(res.str("status"), Some("entered-in-error" | "cancelled")) {
            self.skip("Observation (entered-in-error or cancelled)");
            return Ok(());
        }
        let categories: Vec<&str> = (0..res.array("category").len())
            .flat_map(|i| res.codes(&format!("category[{i}]")))
            .collect();
        let lab = categories.contains(&"laboratory");
        if !lab && !categories.contains(&"vital-signs") {
            let what = categories.first().copied().unwrap_or("uncategorised");
            self.skip(&format!("Observation ({what})"));
            return Ok(());
        }
        let patient_id = self.patient_ref(index, res, "subject")?;
        let at = [
            "effectiveDateTime",
            "effectivePeriod.start",
            "effectiveInstant",
            "issued",
        ]
        .iter()
        .try_fold(None, |found, path| match found {
            Some(t) => Ok(Some(t)),
            None => res.datetime(path),
        })?
        .ok_or_else(|| res.err("effectiveDateTime", "is missing"))?
        .0;
        if lab {
            self.lab(res, id, patient_id, at)
        } else {
            self.vital(res, id, patient_id, at, vitals_by_key)
        }
    }

    fn lab(
        &mut self,
        res: &Res,
        id: String,
        patient_id: String,
        at: DateTime<Utc>,
    ) -> Result<(), FhirError> {
        let test = res
            .first_str(&["code.text", "code.coding[0].display", "code.coding[0].code"])
            .ok_or_else(|| res.err("code", "is missing"))?;
        let loinc = res
            .array("code.coding")
            .iter()
            .find(|c| c.get("system").and_then(Value::as_str) == Some("http://loinc.org"))
            .and_then(|c| c.get("code").and_then(Value::as_str))
            .or_else(|| res.str("code.coding[0].code"))
            .unwrap_or_default();
        let mut numeric = None;
        let (value, units) = if res.get("valueQuantity").is_some() {
            numeric = res.number("valueQuantity.value")?;
            (
                res.number_text("valueQuantity.value")?.unwrap_or_default(),
                res.first_str(&["valueQuantity.unit", "valueQuantity.code"])
                    .unwrap_or_default()
                    .to_string(),
            )
        } else if let Some(s) = res.str("valueString") {
            (s.to_string(), String::new())
        } else if let Some(s) = res.concept_text("valueCodeableConcept") {
            (s.to_string(), String::new())
        } else if let Some(n) = res.get("valueInteger") {
            numeric = res.number("valueInteger")?;
            (n.to_string(), String::new())
        } else if let Some(b) = res.get("valueBoolean").and_then(Value::as_bool) {
            (b.to_string(), String::new())
        } else {
            (String::new(), String::new())
        };
        let low = res.number("referenceRange[0].low.value")?;
        let high = res.number("referenceRange[0].high.value")?;
        let range = match (
            res.number_text("referenceRange[0].low.value")?,
            res.number_text("referenceRange[0].high.value")?,
        ) {
            (Some(l), Some(h)) => format!("{l}-{h}"),
            (Some(l), None) => format!(">={l}"),
            (None, Some(h)) => format!("<={h}"),
            (None, None) => res
                .str("referenceRange[0].text")
                .unwrap_or_default()
                .to_string(),
        };
        let interpretation = res.str("interpretation[0].coding[0].code");
        let flag = match interpretation {
            Some("H" | "HH" | "HU" | ">") => "H".to_string(),
            Some("L" | "LL" | "LU" | "<") => "L".to_string(),
            Some("N") => String::new(),
            Some(other) => fit(other, 8),
            None => match numeric {
                Some(v) if high.is_some_and(|h| v > h) => "H".into(),
                Some(v) if low.is_some_and(|l| v < l) => "L".into(),
                _ => String::new(),
            },
        };
        self.observations += 1;
        self.labs.push(Staged {
            id: id.clone(),
            label: res.label.clone(),
            row: lab_results::ActiveModel {
                id: Set(id),
                patient_id: Set(patient_id),
                collected_at: Set(at),
                test: Set(fit(test, 100)),
                loinc: Set(fit(loinc, 32)),
                value: Set(fit(&value, 64)),
                units: Set(fit(&units, 32)),
                reference_range: Set(fit(&range, 64)),
                flag: Set(flag),
            },
        });
        Ok(())
    }

    fn vital(
        &mut self,
        res: &Res,
        id: String,
        patient_id: String,
        at: DateTime<Utc>,
        vitals_by_key: &mut HashMap<(String, DateTime<Utc>), usize>,
    ) -> Result<(), FhirError> {
        let mut found: Vec<(Vital, f64)> = Vec::new();
        let components = res.array("component");
        if !components.is_empty() {
            for i in 0..components.len() {
                let comp = format!("component[{i}]");
                let Some(kind) = res
                    .codes(&format!("{comp}.code"))
                    .into_iter()
                    .find_map(Vital::from_loinc)
                else {
                    continue;
                };
                if let Some(v) = res.number(&format!("{comp}.valueQuantity.value"))? {
                    let quantity = format!("{comp}.valueQuantity");
                    found.push((kind, kind.normalise(res, v, &quantity)?));
                }
            }
        }
        if let Some(kind) = res.codes("code").into_iter().find_map(Vital::from_loinc) {
            if let Some(v) = res.number("valueQuantity.value")? {
                found.push((kind, kind.normalise(res, v, "valueQuantity")?));
            }
        }
        if found.is_empty() {
            let code = res.codes("code").first().copied().unwrap_or("no code");
            self.skip(&format!("Observation (vital sign {code})"));
            return Ok(());
        }
        let key = (patient_id, at);
        let row = match vitals_by_key.get(&key) {
            Some(&i) => &mut self.vitals[i],
            None => {
                vitals_by_key.insert(key.clone(), self.vitals.len());
                self.vitals.push(VitalRow {
                    id,
                    label: res.label.clone(),
                    patient_id: key.0,
                    at: key.1,
                    values: [None; 7],
                });
                self.vitals.last_mut().expect("just pushed")
            }
        };
        for (kind, v) in found {
            let slot = &mut row.values[kind as usize];
            if slot.is_none() {
                *slot = Some(v);
            }
        }
        self.observations += 1;
        Ok(())
    }

    fn medication(&mut self, index: &Index, res: &Res, id: String) -> Result<(), FhirError> {
        let patient_id = self.patient_ref(index, res, "subject")?;
        let referenced = res
            .str("medicationReference.reference")
            .and_then(|r| index.lookup(r))
            .filter(|e| e.rtype == "Medication")
            .and_then(|e| {
                let m = Res {
                    label: e.label.clone(),
                    value: e.resource,
                };
                m.concept_text("code")
            });
        let name = res
            .concept_text("medicationCodeableConcept")
            .or(referenced)
            .or_else(|| res.str("medicationReference.display"))
            .ok_or_else(|| {
                if res.get("medicationReference").is_some() {
                    res.err(
                        "medicationReference",
                        "points to no Medication with a name in this bundle",
                    )
                } else {
                    res.err("medicationCodeableConcept", "is missing")
                }
            })?;
        let status = match res.str("status").unwrap_or("active") {
            "stopped" | "completed" | "cancelled" | "entered-in-error" => "stopped",
            other => other,
        };
        let start = res.required_date("authoredOn")?;
        let dose = match res.number("dosageInstruction[0].doseAndRate[0].doseQuantity.value")? {
            Some(v) => {
                let unit = res
                    .first_str(&[
                        "dosageInstruction[0].doseAndRate[0].doseQuantity.unit",
                        "dosageInstruction[0].doseAndRate[0].doseQuantity.code",
                    ])
                    .unwrap_or_default();
                format!("{} {unit}", fmt_num(v)).trim().to_string()
            }
            None => String::new(),
        };
        let route = res
            .concept_text("dosageInstruction[0].route")
            .unwrap_or_default();
        let mut frequency = match res.concept_text("dosageInstruction[0].timing.code") {
            Some(t) => t.to_string(),
            None => timing_text(res)?,
        };
        if frequency.is_empty() {
            frequency = res
                .str("dosageInstruction[0].text")
                .unwrap_or_default()
                .to_string();
        }
        self.meds.push(Staged {
            id: id.clone(),
            label: res.label.clone(),
            row: medications::ActiveModel {
                id: Set(id),
                patient_id: Set(patient_id),
                medication: Set(fit(name, 200)),
                dose: Set(fit(&dose, 64)),
                route: Set(fit(route, 32)),
                frequency: Set(fit(&frequency, 64)),
                status: Set(fit(status, 16)),
                start_date: Set(start),
                end_date: Set(None),
                prescriber: Set(fit(res.str("requester.display").unwrap_or_default(), 200)),
            },
        });
        Ok(())
    }

    fn note(&mut self, index: &Index, res: &Res, id: String) -> Result<(), FhirError> {
        let patient_id = self.patient_ref(index, res, "subject")?;
        let content = res.array("content");
        let text_at = (0..content.len()).find(|i| {
            let ct = res
                .str(&format!("content[{i}].attachment.contentType"))
                .unwrap_or("text/plain");
            ct.starts_with("text/") && res.str(&format!("content[{i}].attachment.data")).is_some()
        });
        let Some(i) = text_at else {
            self.skip("DocumentReference (no text attachment)");
            return Ok(());
        };
        let field = format!("content[{i}].attachment.data");
        let data: String = res
            .str(&field)
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.as_bytes())
            .map_err(|_| res.err(&field, "is not valid base64"))?;
        let text = String::from_utf8(bytes).map_err(|_| res.err(&field, "is not UTF-8 text"))?;
        let codes = res.codes("type");
        let note_type = if codes.contains(&"11506-3") {
            "progress"
        } else if codes.contains(&"18842-5") {
            "discharge"
        } else if codes.contains(&"11488-4") {
            "consult"
        } else if codes.contains(&"34746-8") {
            "nursing"
        } else {
            res.first_str(&["type.coding[0].display", "type.text"])
                .unwrap_or("note")
        };
        let written = match res.datetime("date")? {
            Some((t, _)) => t,
            None => {
                res.datetime("context.period.start")?
                    .ok_or_else(|| res.err("date", "is missing"))?
                    .0
            }
        };
        self.notes.push(Staged {
            id: id.clone(),
            label: res.label.clone(),
            row: clinical_notes::ActiveModel {
                id: Set(id),
                patient_id: Set(patient_id),
                written_at: Set(written),
                note_type: Set(fit(note_type, 32)),
                author: Set(fit(res.str("author[0].display").unwrap_or_default(), 200)),
                text: Set(text),
            },
        });
        Ok(())
    }

    fn claim(&mut self, index: &Index, res: &Res, id: String) -> Result<(), FhirError> {
        if res.str("use").is_some_and(|u| u != "claim") {
            self.skip("Claim (not use=claim)");
            return Ok(());
        }
        let patient_id = self.patient_ref(index, res, "patient")?;
        let service = res.required_date("billablePeriod.start")?;
        let submitted = res.required_date("created")?;
        let payer = res
            .first_str(&["insurance[0].coverage.display", "insurer.display"])
            .unwrap_or_default();
        let status = match res.str("status").unwrap_or("active") {
            "active" => "submitted",
            other => other,
        };
        let billed = match res.number("total.value")? {
            Some(v) => v,
            None => {
                let mut sum = 0.0;
                for i in 0..res.array("item").len() {
                    sum += res.number(&format!("item[{i}].net.value"))?.unwrap_or(0.0);
                }
                sum
            }
        };
        let billed_cents = (billed * 100.0).round();
        if billed_cents.abs() > 1e15 {
            return Err(res.err("total.value", "is out of range"));
        }
        let mut codes: Vec<String> = Vec::new();
        for i in 0..res.array("diagnosis").len() {
            let code = res
                .str(&format!(
                    "diagnosis[{i}].diagnosisCodeableConcept.coding[0].code"
                ))
                .or_else(|| {
                    res.str(&format!("diagnosis[{i}].diagnosisReference.reference"))
                        .and_then(|r| index.lookup(r))
                        .filter(|e| e.rtype == "Condition")
                        .and_then(|e| e.resource.pointer("/code/coding/0/code"))
                        .and_then(Value::as_str)
                });
            if let Some(code) = code {
                if !codes.iter().any(|c| c == code) {
                    codes.push(code.to_string());
                }
            }
        }
        if !payer.is_empty() {
            self.first_payer
                .entry(patient_id.clone())
                .or_insert_with(|| fit(payer, 200));
        }
        self.claims.push(Staged {
            id: id.clone(),
            label: res.label.clone(),
            row: insurance_claims::ActiveModel {
                id: Set(id),
                patient_id: Set(patient_id),
                service_date: Set(service),
                submitted_at: Set(submitted),
                payer: Set(fit(payer, 200)),
                status: Set(fit(status, 16)),
                billed_cents: Set(billed_cents as i64),
                paid_cents: Set(0),
                diagnosis_codes: Set(serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into())),
            },
        });
        Ok(())
    }

    fn allergy(&mut self, index: &Index, res: &Res) -> Result<(), FhirError> {
        let verification = res.str("verificationStatus.coding[0].code");
        let clinical = res.str("clinicalStatus.coding[0].code");
        if matches!(verification, Some("refuted" | "entered-in-error"))
            || matches!(clinical, Some("inactive" | "resolved"))
        {
            self.skip("AllergyIntolerance (inactive or refuted)");
            return Ok(());
        }
        let patient_id = self.patient_ref(index, res, "patient")?;
        let substance = res
            .concept_text("code")
            .ok_or_else(|| res.err("code", "is missing"))?;
        let list = self.allergies.entry(patient_id).or_default();
        if !list.iter().any(|a| a == substance) {
            list.push(substance.to_string());
        }
        self.allergy_count += 1;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Writing

    async fn apply(&self, txn: &crate::db::SerializedTxn) -> Result<ImportReport, FhirError> {
        // References to patients outside the bundle must exist.
        let wanted: Vec<String> = self.external.keys().cloned().collect();
        let known = existing::<patients::Entity>(txn, patients::Column::Id, &wanted).await?;
        if let Some((id, (label, field))) =
            self.external.iter().find(|(id, _)| !known.contains(*id))
        {
            return Err(FhirError::new(
                FhirErrorKind::UnknownReference,
                format!("points to Patient/{id}, which is neither in this bundle nor in Ward"),
            )
            .at(label.clone())
            .field(*field));
        }

        // Nothing may exist already.
        macro_rules! refuse_existing {
            ($entity:ident, $rows:expr, $what:expr) => {{
                let ids: Vec<String> = $rows.iter().map(|s| s.id.clone()).collect();
                let found = existing::<$entity::Entity>(txn, $entity::Column::Id, &ids).await?;
                if let Some(s) = $rows.iter().find(|s| found.contains(&s.id)) {
                    return Err(FhirError::new(
                        FhirErrorKind::AlreadyImported,
                        format!("already imported: Ward has {} with id {}", $what, s.id),
                    )
                    .at(s.label.clone()));
                }
            }};
        }
        refuse_existing!(patients, self.patients, "a patient");
        refuse_existing!(encounters, self.encounters, "an encounter");
        refuse_existing!(conditions, self.conditions, "a condition");
        refuse_existing!(lab_results, self.labs, "a lab result");
        refuse_existing!(vital_signs, self.vitals, "a vital-signs row");
        refuse_existing!(medications, self.meds, "a medication");
        refuse_existing!(clinical_notes, self.notes, "a clinical note");
        refuse_existing!(insurance_claims, self.claims, "a claim");

        let mrns: Vec<String> = self.mrns.iter().map(|(m, _)| m.clone()).collect();
        let taken = existing::<patients::Entity>(txn, patients::Column::Mrn, &mrns).await?;
        if let Some((_, label)) = self.mrns.iter().find(|(m, _)| taken.contains(m)) {
            return Err(FhirError::new(
                FhirErrorKind::AlreadyImported,
                "holds an MRN another patient in Ward already has (already imported?)",
            )
            .at(label.clone())
            .field("identifier"));
        }

        macro_rules! insert_all {
            ($entity:ident, $rows:expr) => {
                let rows: Vec<$entity::ActiveModel> = $rows;
                for chunk in rows.chunks(100) {
                    $entity::Entity::insert_many(chunk.to_vec())
                        .exec(txn)
                        .await
                        .map_err(FhirError::database)?;
                }
            };
        }
        insert_all!(
            patients,
            self.patients.iter().map(|s| s.row.clone()).collect()
        );
        insert_all!(billing_accounts, self.accounts.clone());
        insert_all!(
            encounters,
            self.encounters.iter().map(|s| s.row.clone()).collect()
        );
        insert_all!(
            conditions,
            self.conditions.iter().map(|s| s.row.clone()).collect()
        );
        insert_all!(
            lab_results,
            self.labs.iter().map(|s| s.row.clone()).collect()
        );
        insert_all!(
            vital_signs,
            self.vitals
                .iter()
                .map(|v| vital_signs::ActiveModel {
                    id: Set(v.id.clone()),
                    patient_id: Set(v.patient_id.clone()),
                    recorded_at: Set(v.at),
                    heart_rate: Set(v.values[Vital::HeartRate as usize]),
                    systolic: Set(v.values[Vital::Systolic as usize]),
                    diastolic: Set(v.values[Vital::Diastolic as usize]),
                    respiratory_rate: Set(v.values[Vital::RespiratoryRate as usize]),
                    temperature_c: Set(v.values[Vital::Temperature as usize]),
                    spo2: Set(v.values[Vital::Spo2 as usize]),
                    weight_kg: Set(v.values[Vital::Weight as usize]),
                })
                .collect()
        );
        insert_all!(
            medications,
            self.meds.iter().map(|s| s.row.clone()).collect()
        );
        insert_all!(
            clinical_notes,
            self.notes.iter().map(|s| s.row.clone()).collect()
        );
        insert_all!(
            insurance_claims,
            self.claims.iter().map(|s| s.row.clone()).collect()
        );

        // Allergies of patients imported earlier are merged into their list.
        for (patient_id, new) in &self.allergies {
            let Some(p) = patients::Entity::find_by_id(patient_id.clone())
                .one(txn)
                .await
                .map_err(FhirError::database)?
            else {
                continue;
            };
            let mut list: Vec<String> = serde_json::from_str(&p.allergies).unwrap_or_default();
            for a in new {
                if !list.contains(a) {
                    list.push(a.clone());
                }
            }
            let mut row = p.into_active_model();
            row.allergies = Set(serde_json::to_string(&list).unwrap_or_else(|_| "[]".into()));
            row.update(txn).await.map_err(FhirError::database)?;
        }

        Ok(ImportReport {
            bundles: 1,
            patients: self.patients.len(),
            encounters: self.encounters.len(),
            conditions: self.conditions.len(),
            observations: self.observations,
            medications: self.meds.len(),
            notes: self.notes.len(),
            claims: self.claims.len(),
            accounts: self.accounts.len(),
            allergies: self.allergy_count,
            skipped: self.skipped,
        })
    }
}

/// The ones among `values` that `column` of `E` already holds.
async fn existing<E: EntityTrait>(
    txn: &crate::db::SerializedTxn,
    column: E::Column,
    values: &[String],
) -> Result<HashSet<String>, FhirError> {
    let mut found = HashSet::new();
    for chunk in values.chunks(500) {
        let rows: Vec<String> = E::find()
            .select_only()
            .column(column)
            .filter(column.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(txn)
            .await
            .map_err(FhirError::database)?;
        found.extend(rows);
    }
    Ok(found)
}

/// The frequency of `dosageInstruction[0].timing.repeat` in words, e.g. `twice daily`.
fn timing_text(res: &Res) -> Result<String, FhirError> {
    let base = "dosageInstruction[0].timing.repeat";
    let frequency = res.number(&format!("{base}.frequency"))?;
    let period = res.number(&format!("{base}.period"))?;
    let unit = res.str(&format!("{base}.periodUnit"));
    let (Some(f), Some(p), Some(u)) = (frequency, period, unit) else {
        return Ok(String::new());
    };
    let unit_word = match u {
        "s" => "second",
        "min" => "minute",
        "h" => "hour",
        "d" => "day",
        "wk" => "week",
        "mo" => "month",
        "a" => "year",
        other => other,
    };
    const DAILY: [&str; 5] = ["", "once", "twice", "three times", "four times"];
    let mut text = if p == 1.0 && u == "d" {
        if f.fract() == 0.0 && (1.0..=4.0).contains(&f) {
            format!("{} daily", DAILY[f as usize])
        } else {
            format!("{} times daily", fmt_num(f))
        }
    } else if f == 1.0 {
        if p == 1.0 {
            format!("once every {unit_word}")
        } else {
            format!("every {} {unit_word}s", fmt_num(p))
        }
    } else if p == 1.0 {
        format!("{} times every {unit_word}", fmt_num(f))
    } else {
        format!("{} times every {} {unit_word}s", fmt_num(f), fmt_num(p))
    };
    if res
        .get("dosageInstruction[0].asNeededBoolean")
        .and_then(Value::as_bool)
        == Some(true)
    {
        text.push_str(" as needed");
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn res(value: &Value) -> Res<'_> {
        Res {
            label: "entry 0 (Observation/x)".into(),
            value,
        }
    }

    #[test]
    fn fhir_paths_become_json_pointers() {
        assert_eq!(pointer("a.b[0].c"), "/a/b/0/c");
        assert_eq!(
            pointer("component[12].valueQuantity.value"),
            "/component/12/valueQuantity/value"
        );
    }

    #[test]
    fn references_name_their_type_and_id() {
        assert!(matches!(
            parse_reference("Patient/abc"),
            Some(Target::Typed("Patient", "abc"))
        ));
        assert!(matches!(
            parse_reference("https://ehr.example/fhir/Patient/abc/_history/2"),
            Some(Target::Typed("Patient", "abc"))
        ));
        assert!(matches!(
            parse_reference("urn:uuid:1234"),
            Some(Target::FullUrl("urn:uuid:1234"))
        ));
        assert!(parse_reference("Practitioner?identifier=x|1").is_none());
    }

    #[test]
    fn dates_must_be_full_and_valid() {
        let v = json!({"a": "2024-02-30", "b": "2024", "c": "2024-02-03T10:00:00-05:00",
                       "d": "2024-02-03", "e": "2024-02-03T10:00:00"});
        let r = res(&v);
        assert!(r.datetime("a").is_err());
        assert!(r.datetime("b").unwrap_err().to_string().contains("partial"));
        let (t, d) = r.datetime("c").unwrap().unwrap();
        assert_eq!(t.to_rfc3339(), "2024-02-03T15:00:00+00:00");
        assert_eq!(d, NaiveDate::from_ymd_opt(2024, 2, 3).unwrap());
        assert!(r.datetime("d").unwrap().is_some());
        assert!(r.datetime("e").unwrap().is_some());
        assert!(r.datetime("missing").unwrap().is_none());
    }

    #[test]
    fn temperatures_and_weights_are_converted() {
        let v = json!({"f": {"code": "[degF]"}, "lb": {"unit": "lb"}, "k": {"code": "K"},
                       "none": {}});
        let r = res(&v);
        assert_eq!(Vital::Temperature.normalise(&r, 98.6, "f").unwrap(), 37.0);
        assert_eq!(
            Vital::Temperature.normalise(&r, 37.2, "none").unwrap(),
            37.2
        );
        assert_eq!(Vital::Weight.normalise(&r, 150.0, "lb").unwrap(), 68.04);
        let e = Vital::Temperature.normalise(&r, 310.0, "k").unwrap_err();
        assert_eq!(e.field_name(), Some("k.code"));
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(fmt_num(140.0), "140");
        assert_eq!(fmt_num(7.2), "7.2");
    }

    #[test]
    fn errors_name_the_resource_and_field() {
        let v = json!({"valueQuantity": {"value": "high"}});
        let e = res(&v).number("valueQuantity.value").unwrap_err();
        assert_eq!(
            e.in_file(Path::new("bundle.json")).to_string(),
            "bundle.json: entry 0 (Observation/x): valueQuantity.value is not a number"
        );
    }
}

//! FHIR R4 import: Bundles (Synthea, EHR exports) and FHIR Bulk Data files (one NDJSON
//! file per resource type), into Ward's clinical tables.
//!
//! [`import_paths`] takes files and directories (`*.json`: a Bundle, a single resource or
//! a Bulk Data manifest, which is skipped; `*.ndjson` / `*.jsonl`: one resource a line);
//! [`import_bundle`] takes one Bundle already in memory; [`import_file_as`] imports one
//! uploaded file under the name its uploader gave. Each returns an [`ImportReport`]: per
//! resource type, how many were read, created, updated, not used and unusable, and an
//! issue for each resource that could not be used (file, entry or line, `Type/id`, the
//! field and why; never a value from the record).
//!
//! # Lenient where FHIR is, strict where Ward must be
//!
//! A resource needs only what Ward cannot work without; an optional element that is
//! missing is simply absent in Ward. One resource that cannot be used never stops the
//! rest: it is reported and skipped. Only a database failure (or a path that cannot be
//! read at all) stops an import.
//!
//! | FHIR resource | Ward table | Ward needs |
//! |---|---|---|
//! | `Patient` | `patients` (+ a `billing_accounts` row) | nothing (R4 requires nothing); its MRN is the `MR`-typed identifier, else the first that is not an SSN, licence or passport |
//! | `Encounter` | `encounters` | `subject` |
//! | `Condition` | `conditions` | `subject` |
//! | `Observation`, category `laboratory` | `lab_results` | `subject` |
//! | `Observation`, category `vital-signs` (or no category and a vital-sign code) | `vital_signs` | `subject`, a value of a vital sign Ward keeps, in a unit it knows |
//! | `MedicationRequest` | `medications` | `subject`, a medication name (`medicationCodeableConcept`, a contained, bundled or earlier-read `Medication`, or the reference's `display`) |
//! | `DocumentReference` with a text attachment | `clinical_notes` | `subject`, the attachment in base64 UTF-8 |
//! | `Claim` (`use` claim) | `insurance_claims` | `patient`, `created` (required by R4) |
//! | `AllergyIntolerance` | `allergies` | `patient` |
//! | `Procedure` | `procedures` | `subject` |
//! | `Immunization` | `immunizations` | `patient` |
//! | `DiagnosticReport` | `diagnostic_reports` (its `result`s are `lab_results` rows) | `subject` |
//! | `CarePlan` | `care_plans` | `subject` |
//! | `Medication` | — (its name serves the MedicationRequests that refer to it) | |
//!
//! Every other resource type, Observations of other categories (survey, social-history,
//! …), vital signs Ward does not keep (pain, head circumference, …), cancelled
//! Observations, DocumentReferences without a text attachment and Claims whose `use` is
//! not `claim` are counted as *not used*. Present but malformed values (a date that is not
//! a FHIR date, a number that is not a number, an unknown unit, bad base64) make the
//! resource unusable rather than being dropped silently.
//!
//! # Decisions
//!
//! - **Ids and re-import.** A row's id is the FHIR resource id (else the uuid of an
//!   `urn:uuid:` fullUrl, else a digest of the resource). Importing a resource again
//!   updates its row in place; nothing is duplicated. A row whose id Ward already holds
//!   for *another* patient is refused, never moved between patients. A Patient is matched
//!   by its id, by an id an earlier import recorded for it (`patient_aliases`), or by its
//!   MRN (MRNs are unique in Ward; a patient may have none): a Patient with a new id and a known MRN updates that patient, and its id becomes
//!   an alias so later references to it reach the same patient. A Patient whose MRN
//!   belongs to another patient is refused.
//! - **Withdrawn records.** A resource whose status (or, for Conditions and
//!   AllergyIntolerances, verification status) is `entered-in-error` deletes Ward's row of
//!   that id for that patient, if any.
//! - **References.** `subject` / `patient` are `Patient/<id>`, an absolute `…/Patient/<id>`
//!   URL or `urn:uuid:<id>` (a bundle entry's fullUrl, or the id itself), or a logical
//!   reference by `identifier` (an MRN). The patient must be in the same import or in
//!   Ward. In a Bulk Data import, Patient lines of every file are imported before any other
//!   line, so file order does not matter.
//! - **Care team.** A new patient's `unit` is the `valueString` (or `valueCode`) of the
//!   Patient extension [`UNIT_EXTENSION_URL`], else [`IMPORTED_UNIT`], a unit no demo user
//!   belongs to. Re-importing a patient changes the unit only when the extension is there.
//! - **Vital signs.** Observations of one patient at one time share one `vital_signs`
//!   row (heart rate 8867-4, blood pressure 8480-6 / 8462-4 also as components of 85354-9,
//!   respiratory rate 9279-1, temperature 8310-5 / 8331-1 in °C, SpO2 2708-6 / 59408-5,
//!   weight 29463-7 / 3141-9 in kg, height 8302-2 / 8306-3 in cm, BMI 39156-5); within one
//!   batch the first value of a kind wins, and a later import's value replaces an earlier
//!   one. Values converted to Ward's units are rounded to two decimals.
//! - **Labs.** The value as written (`4.0` stays `4.0`) with its unit, or a string, coded
//!   or boolean value, or the `dataAbsentReason` in parentheses. The flag is `H`/`L` from
//!   `interpretation`, else computed from `referenceRange[0]`.
//! - **Dates.** Where Ward keeps an instant or a date (encounters, labs, vitals, notes,
//!   medications, claims, conditions), a date-time without a time zone is taken as UTC and a
//!   date alone as midnight UTC; a partial date (`2013`, `2013-04`) is left out there. The
//!   newer records (procedures, immunizations, reports, allergies, care plans) keep ISO 8601
//!   text at the source's precision. `occurrenceString` / `performedString` /
//!   `onsetString` go into the record's note.
//! - **Statuses.** MedicationRequest `stopped`, `completed` and `cancelled` become
//!   `stopped`; Claim `active` becomes `submitted`; paid amounts are 0. A claim without a
//!   `billablePeriod` takes its first item's service date, if any.
//! - **Billing.** Each new patient gets an account numbered `FHIR-` and 16 hex digits of
//!   the SHA-256 of the patient id, self-pay until one of their claims names a payer.
//! - **Lengths.** Free text longer than its column is cut, ending in `…`; an MRN or SSN
//!   that does not fit makes the Patient unusable.
//! - **Allergies.** Stored with their statuses; the overview lists the substances of those
//!   in force (not inactive, resolved, refuted or entered in error, and not a "no known
//!   allergy" statement) after the patient's own list.
//! - **Memory.** NDJSON is read a line at a time and written in batches of
//!   [`BATCH_SIZE`] resources, each batch one transaction, so memory stays flat whatever
//!   the file size (a Bundle is read whole). The names of Medications are kept for the
//!   import's length.

pub mod convert;
pub mod read;
pub mod write;

use crate::db::begin_serialized;
use convert::{convert, resource_id, Converted, Lookup};
use read::Unusable;
use sea_orm::{DatabaseConnection, DbErr};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, BufReader};
pub use ward_domain::import::{ImportIssue, ImportReport, KindCounts};
use write::{Fate, Item, Origin};

/// The Patient extension whose value is the patient's unit (care-team unit) in Ward.
pub const UNIT_EXTENSION_URL: &str = "urn:ward:unit";

/// The unit of an imported patient whose Patient resource has no [`UNIT_EXTENSION_URL`]
/// extension. No demo user belongs to it.
pub const IMPORTED_UNIT: &str = "Imported";

/// Resources written per transaction when reading NDJSON.
pub const BATCH_SIZE: usize = 1000;

/// An NDJSON line longer than this is reported and skipped, not read into memory.
pub const MAX_LINE_BYTES: usize = 32 * 1024 * 1024;

/// Why an import stopped: a path that cannot be read, or the database.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FhirError {
    kind: FhirErrorKind,
    message: String,
    /// What was imported before the failure (it stays imported).
    pub before: Box<ImportReport>,
}

/// What kind of failure stopped an import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FhirErrorKind {
    /// A path given to the import cannot be read.
    Io,
    /// The database failed.
    Database,
}

impl FhirError {
    /// What kind of failure this is.
    pub fn kind(&self) -> FhirErrorKind {
        self.kind
    }
}

/// Imports files and directories (see the module documentation), returning the report.
/// Records that Ward's clinical data changed when anything was imported.
pub async fn import_paths(
    db: &DatabaseConnection,
    paths: &[PathBuf],
) -> Result<ImportReport, FhirError> {
    let mut files = vec![];
    for path in paths {
        files.extend(list_files(path).await?);
    }
    let mut importer = Importer::new(db);
    importer.files(files).await?;
    importer.finish().await
}

/// Imports one file or directory.
pub async fn import_path(db: &DatabaseConnection, path: &Path) -> Result<ImportReport, FhirError> {
    import_paths(db, &[path.to_path_buf()]).await
}

/// Imports one file, naming it `label` in the report (an upload's own name, not the
/// temporary file's). Its format is told by `label`'s extension: `.ndjson` or `.jsonl`
/// is NDJSON, anything else JSON.
pub async fn import_file_as(
    db: &DatabaseConnection,
    path: &Path,
    label: &str,
) -> Result<ImportReport, FhirError> {
    let mut importer = Importer::new(db);
    importer
        .files(vec![SourceFile {
            path: path.to_path_buf(),
            label: label.to_string(),
            ndjson: is_ndjson(label),
        }])
        .await?;
    importer.finish().await
}

/// Imports one Bundle (or single resource) already in memory.
pub async fn import_bundle(
    db: &DatabaseConnection,
    bundle: &Value,
) -> Result<ImportReport, FhirError> {
    let mut importer = Importer::new(db);
    importer.report.files = 1;
    importer.json_value(None, bundle, Pass::All).await?;
    importer.finish().await
}

/// The report in one line for the audit trail: counts only, no file names (Synthea names
/// its files after the patient) and no issues.
pub fn audit_summary(report: &ImportReport) -> String {
    let t = report.totals();
    format!(
        "{} file(s), {} resource(s) read, {} imported ({} new, {} updated), {} not used, {} \
         unusable",
        report.files,
        t.read,
        t.imported(),
        t.created,
        t.updated,
        t.not_used,
        t.failed
    )
}

/// A file to import.
#[derive(Clone, Debug)]
struct SourceFile {
    path: PathBuf,
    label: String,
    ndjson: bool,
}

fn is_ndjson(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".ndjson") || lower.ends_with(".jsonl")
}

fn io_error(path: &Path, e: std::io::Error) -> FhirError {
    FhirError {
        kind: FhirErrorKind::Io,
        message: format!("{}: cannot be read: {e}", path.display()),
        before: Box::default(),
    }
}

/// The files of a path: the file itself, or a directory's `*.json`, `*.ndjson` and
/// `*.jsonl` files in name order (not recursing).
async fn list_files(path: &Path) -> Result<Vec<SourceFile>, FhirError> {
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| io_error(path, e))?;
    let file = |p: PathBuf| {
        let label = p.display().to_string();
        SourceFile {
            ndjson: is_ndjson(&label),
            path: p,
            label,
        }
    };
    if !meta.is_dir() {
        return Ok(vec![file(path.to_path_buf())]);
    }
    let mut found = vec![];
    let mut dir = tokio::fs::read_dir(path)
        .await
        .map_err(|e| io_error(path, e))?;
    while let Some(item) = dir.next_entry().await.map_err(|e| io_error(path, e))? {
        let p = item.path();
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let wanted = name.ends_with(".json") || is_ndjson(&name);
        if wanted && tokio::fs::metadata(&p).await.is_ok_and(|m| m.is_file()) {
            found.push(p);
        }
    }
    found.sort();
    if found.is_empty() {
        return Err(FhirError {
            kind: FhirErrorKind::Io,
            message: format!(
                "{}: contains no *.json, *.ndjson or *.jsonl files",
                path.display()
            ),
            before: Box::default(),
        });
    }
    Ok(found.into_iter().map(file).collect())
}

/// Which resources a read of a file takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pass {
    /// Patients and Medications, which other resources refer to.
    First,
    /// Everything else.
    Second,
    /// Everything (a bundle, which resolves its own references).
    All,
}

impl Pass {
    fn takes(self, rtype: &str) -> bool {
        let first = matches!(rtype, "Patient" | "Medication");
        match self {
            Pass::First => first,
            Pass::Second => !first,
            Pass::All => true,
        }
    }
}

/// The order in which resource types are written in the second pass, so that references
/// between them resolve (Conditions before the Claims and CarePlans that cite them).
fn type_rank(rtype: &str) -> usize {
    const ORDER: [&str; 12] = [
        "Patient",
        "Medication",
        "Encounter",
        "Condition",
        "Observation",
        "AllergyIntolerance",
        "MedicationRequest",
        "Procedure",
        "Immunization",
        "DiagnosticReport",
        "DocumentReference",
        "CarePlan",
    ];
    ORDER
        .iter()
        .position(|t| *t == rtype)
        .unwrap_or(ORDER.len())
}

/// The first bytes of a resource: its type.
#[derive(serde::Deserialize)]
struct Head {
    #[serde(rename = "resourceType")]
    resource_type: Option<String>,
}

/// One import: the report so far, the Medication names read, and the batch being built.
struct Importer<'a> {
    db: &'a DatabaseConnection,
    report: ImportReport,
    medications: HashMap<String, String>,
    pending: Vec<(Origin, Item)>,
}

/// Lookups for resources read one at a time (NDJSON, single files): only Medication
/// names read earlier in the import.
struct Session<'m> {
    medications: &'m HashMap<String, String>,
}

impl Lookup for Session<'_> {
    fn find(&self, _reference: &str) -> Option<(&str, &str, &Value)> {
        None
    }
    fn medication_name(&self, id: &str) -> Option<&str> {
        self.medications.get(id).map(String::as_str)
    }
}

/// A bundle's entries, by fullUrl and by type and id.
struct BundleIndex<'b, 'm> {
    by_full_url: HashMap<&'b str, usize>,
    by_type_id: HashMap<(String, String), usize>,
    entries: Vec<(&'b str, String, &'b Value)>,
    medications: &'m HashMap<String, String>,
}

impl Lookup for BundleIndex<'_, '_> {
    fn find(&self, reference: &str) -> Option<(&str, &str, &Value)> {
        let i = match self.by_full_url.get(reference) {
            Some(i) => *i,
            None => match read::parse_reference(reference)? {
                read::Target::Typed(t, id) => *self.by_type_id.get(&(t, id))?,
                _ => return None,
            },
        };
        let (t, id, v) = &self.entries[i];
        Some((t, id.as_str(), v))
    }
    fn medication_name(&self, id: &str) -> Option<&str> {
        self.medications.get(id).map(String::as_str)
    }
}

impl<'a> Importer<'a> {
    fn new(db: &'a DatabaseConnection) -> Self {
        Importer {
            db,
            report: ImportReport::default(),
            medications: HashMap::new(),
            pending: Vec::new(),
        }
    }

    fn issue(&mut self, origin: &Origin, reason: String) {
        self.report.issue(ImportIssue {
            file: origin.file.clone(),
            entry: origin.entry.clone(),
            resource: (!origin.label.is_empty()).then(|| origin.label.clone()),
            reason,
        });
    }

    fn file_issue(&mut self, file: &str, entry: Option<String>, reason: &str) {
        self.report.issue(ImportIssue {
            file: Some(file.to_string()),
            entry,
            resource: None,
            reason: reason.to_string(),
        });
    }

    /// Reads, converts and queues one resource.
    async fn resource(
        &mut self,
        mut origin: Origin,
        resource: &Value,
        full_url: Option<&str>,
        lookup: Option<&BundleIndex<'_, '_>>,
    ) -> Result<(), FhirError> {
        let rtype = resource
            .get("resourceType")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 64)
            .unwrap_or("(no resourceType)")
            .to_string();
        origin.rtype = rtype.clone();
        origin.label = rtype.clone();
        self.report.kind(&rtype).read += 1;
        if rtype == "(no resourceType)" {
            self.report.kind(&rtype).failed += 1;
            self.issue(&origin, "resourceType is missing".into());
            return Ok(());
        }
        let id = match resource_id(resource, full_url) {
            Ok(id) => id,
            Err(e) => {
                self.report.kind(&rtype).failed += 1;
                self.issue(&origin, e.reason());
                return Ok(());
            }
        };
        origin.label = format!("{rtype}/{id}");
        let converted = match lookup {
            Some(index) => convert(&rtype, &id, resource, index),
            None => convert(
                &rtype,
                &id,
                resource,
                &Session {
                    medications: &self.medications,
                },
            ),
        };
        match converted {
            Err(Unusable { field, message }) => {
                self.report.kind(&rtype).failed += 1;
                let reason = if field.is_empty() {
                    message
                } else {
                    format!("{field} {message}")
                };
                self.issue(&origin, reason);
            }
            Ok(Converted::NotUsed(what)) => self.report.not_used(&rtype, &what),
            Ok(Converted::MedicationName(mid, name)) => {
                self.medications.insert(mid, name);
                self.report
                    .not_used(&rtype, "Medication (its name serves medication orders)");
            }
            Ok(Converted::Row(row)) => {
                self.pending.push((origin, Item::Row(row)));
            }
            Ok(Converted::Withdrawn { table, id, patient }) => {
                self.pending
                    .push((origin, Item::Withdrawn { table, id, patient }));
            }
        }
        if self.pending.len() >= BATCH_SIZE {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes the queued resources in one transaction and records their fates.
    async fn flush(&mut self) -> Result<(), FhirError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let (origins, items): (Vec<Origin>, Vec<Item>) = pending.into_iter().unzip();
        let fates = self.write(items).await.map_err(|e| {
            tracing::error!(error = %e, "FHIR import: a batch failed and was rolled back");
            FhirError {
                kind: FhirErrorKind::Database,
                message: "the database failed; the current batch was rolled back".into(),
                before: Box::new(self.report.clone()),
            }
        })?;
        for (origin, fate) in origins.iter().zip(fates) {
            let counts = self.report.kind(&origin.rtype);
            match fate {
                Fate::Created => counts.created += 1,
                Fate::Updated => counts.updated += 1,
                Fate::NotUsed(what) => {
                    let what = format!("{} ({what})", origin.rtype);
                    self.report.not_used(&origin.rtype, &what);
                }
                Fate::Failed(reason) => {
                    counts.failed += 1;
                    self.issue(origin, reason);
                }
            }
        }
        Ok(())
    }

    async fn write(&self, items: Vec<Item>) -> Result<Vec<Fate>, DbErr> {
        let txn = begin_serialized(self.db).await?;
        match write::apply(&txn, items).await {
            Ok(fates) => {
                txn.commit().await?;
                Ok(fates)
            }
            Err(e) => {
                if let Err(rollback) = txn.rollback().await {
                    tracing::warn!(error = %rollback, "FHIR import rollback failed");
                }
                Err(e)
            }
        }
    }

    /// A JSON document: a Bundle, a single resource or a Bulk Data manifest.
    async fn json_value(
        &mut self,
        file: Option<&str>,
        value: &Value,
        pass: Pass,
    ) -> Result<(), FhirError> {
        let origin = Origin {
            file: file.map(str::to_string),
            ..Origin::default()
        };
        let Some(object) = value.as_object() else {
            if pass != Pass::First {
                self.issue(&origin, "is not a JSON object".into());
            }
            return Ok(());
        };
        match object.get("resourceType").and_then(Value::as_str) {
            Some("Bundle") => {
                if pass != Pass::First {
                    self.bundle(file, value).await?;
                }
            }
            Some(rtype) => {
                if pass.takes(rtype) {
                    self.resource(origin, value, None, None).await?;
                }
            }
            None if object.contains_key("output") && object.contains_key("transactionTime") => {
                // A Bulk Data manifest: the NDJSON files beside it are the data.
            }
            None => {
                if pass != Pass::First {
                    self.issue(
                        &origin,
                        "resourceType is missing: not a FHIR resource or Bundle".into(),
                    );
                }
            }
        }
        Ok(())
    }

    /// One Bundle: Patients first, then the other entries in order, with references
    /// resolved against the bundle's own entries.
    async fn bundle(&mut self, file: Option<&str>, bundle: &Value) -> Result<(), FhirError> {
        let origin = |entry: Option<String>| Origin {
            file: file.map(str::to_string),
            entry,
            ..Origin::default()
        };
        let entries = match bundle.get("entry") {
            Some(Value::Array(a)) => a.as_slice(),
            None => &[],
            Some(_) => {
                self.issue(&origin(None), "Bundle.entry is not an array".into());
                return Ok(());
            }
        };
        let medications = std::mem::take(&mut self.medications);
        let mut index = BundleIndex {
            by_full_url: HashMap::new(),
            by_type_id: HashMap::new(),
            entries: Vec::with_capacity(entries.len()),
            medications: &medications,
        };
        let mut positions = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let Some(resource) = entry.get("resource").filter(|r| r.is_object()) else {
                continue;
            };
            let rtype = resource
                .get("resourceType")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let full_url = entry.get("fullUrl").and_then(Value::as_str);
            let id = resource_id(resource, full_url).unwrap_or_default();
            let k = index.entries.len();
            index.entries.push((rtype, id, resource));
            positions.push(i);
            if let Some(u) = full_url {
                index.by_full_url.insert(u, k);
            }
        }
        for (k, (t, id, _)) in index.entries.iter().enumerate() {
            index
                .by_type_id
                .entry((t.to_string(), id.clone()))
                .or_insert(k);
        }
        // Entries without a resource are reported where they are.
        for (i, entry) in entries.iter().enumerate() {
            if entry.get("resource").filter(|r| r.is_object()).is_none() {
                self.report.kind("(no resource)").read += 1;
                self.report.kind("(no resource)").failed += 1;
                self.issue(
                    &origin(Some(format!("entry {i}"))),
                    "resource is missing".into(),
                );
            }
        }
        let mut order: Vec<usize> = (0..index.entries.len()).collect();
        order.sort_by_key(|&k| index.entries[k].0 != "Patient");
        let mut result = Ok(());
        for k in order {
            let (_, _, resource) = index.entries[k];
            let i = positions[k];
            let full_url = entries[i].get("fullUrl").and_then(Value::as_str);
            result = self
                .resource(
                    origin(Some(format!("entry {i}"))),
                    resource,
                    full_url,
                    Some(&index),
                )
                .await;
            if result.is_err() {
                break;
            }
        }
        let read_here = std::mem::replace(&mut self.medications, medications);
        self.medications.extend(read_here);
        result?;
        self.flush().await
    }

    /// Imports files: Patients and Medications of every file first, then Bundles, then
    /// the other resources, file by file in the order of their resource types.
    async fn files(&mut self, files: Vec<SourceFile>) -> Result<(), FhirError> {
        self.report.files += files.len();
        // First pass: Patients and Medications; note each file's first resource type.
        let mut ranked: Vec<(usize, usize, SourceFile, bool)> = vec![];
        for (n, f) in files.into_iter().enumerate() {
            let (first_type, is_bundle) = if f.ndjson {
                (self.ndjson(&f, Pass::First).await?, false)
            } else {
                match self.json_file(&f, Pass::First).await? {
                    Some(rtype) => {
                        let bundle = rtype == "Bundle";
                        (Some(rtype), bundle)
                    }
                    None => (None, false),
                }
            };
            let rank = if is_bundle {
                0
            } else {
                1 + type_rank(first_type.as_deref().unwrap_or_default())
            };
            ranked.push((rank, n, f, is_bundle));
        }
        self.flush().await?;
        ranked.sort_by_key(|(rank, n, _, _)| (*rank, *n));
        for (_, _, f, _) in ranked {
            if f.ndjson {
                self.ndjson(&f, Pass::Second).await?;
            } else {
                self.json_file(&f, Pass::Second).await?;
            }
        }
        self.flush().await
    }

    /// A `.json` file in one pass. Returns its resourceType (`Bundle` for a bundle), or
    /// `None` if it is not a resource.
    async fn json_file(&mut self, f: &SourceFile, pass: Pass) -> Result<Option<String>, FhirError> {
        let bytes = match tokio::fs::read(&f.path).await {
            Ok(b) => b,
            Err(e) => {
                if pass == Pass::Second {
                    let reason = format!("cannot be read ({})", e.kind());
                    self.file_issue(&f.label, None, &reason);
                }
                return Ok(None);
            }
        };
        let value: Value = match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => {
                if pass == Pass::Second {
                    let reason = format!(
                        "is not valid JSON (line {}, column {})",
                        e.line(),
                        e.column()
                    );
                    self.file_issue(&f.label, None, &reason);
                }
                return Ok(None);
            }
        };
        drop(bytes);
        let rtype = value
            .get("resourceType")
            .and_then(Value::as_str)
            .map(str::to_string);
        self.json_value(Some(&f.label), &value, pass).await?;
        Ok(rtype)
    }

    /// An NDJSON file in one pass, a line at a time. Returns the first line's resourceType.
    async fn ndjson(&mut self, f: &SourceFile, pass: Pass) -> Result<Option<String>, FhirError> {
        let file = match tokio::fs::File::open(&f.path).await {
            Ok(file) => file,
            Err(e) => {
                if pass == Pass::Second {
                    let reason = format!("cannot be read ({})", e.kind());
                    self.file_issue(&f.label, None, &reason);
                }
                return Ok(None);
            }
        };
        let mut reader = BufReader::with_capacity(256 * 1024, file);
        let mut line = Vec::new();
        let mut number = 0usize;
        let mut first_type = None;
        loop {
            number += 1;
            let read = match read_line(&mut reader, &mut line, MAX_LINE_BYTES).await {
                Ok(r) => r,
                Err(e) => {
                    if pass == Pass::Second {
                        let reason = format!("cannot be read further ({})", e.kind());
                        self.file_issue(&f.label, Some(format!("line {number}")), &reason);
                    }
                    break;
                }
            };
            let entry = || Some(format!("line {number}"));
            match read {
                Line::End => break,
                Line::TooLong => {
                    if pass == Pass::Second {
                        let reason = format!("is longer than {MAX_LINE_BYTES} bytes");
                        self.file_issue(&f.label, entry(), &reason);
                    }
                    continue;
                }
                Line::Text => {}
            }
            let text = trim_ascii(&line);
            if text.is_empty() {
                continue;
            }
            let value: Value = if pass == Pass::First {
                // Only Patient and Medication lines matter now: skip the others without
                // parsing them (a line that does not hold `"Patient"` or `"Medication"`,
                // quotes included, is neither; references read `"Patient/…`).
                let Ok(s) = std::str::from_utf8(text) else {
                    continue;
                };
                let candidate = first_type.is_none()
                    || s.contains("\"Patient\"")
                    || s.contains("\"Medication\"");
                if !candidate {
                    continue;
                }
                let rtype = serde_json::from_str::<Head>(s)
                    .ok()
                    .and_then(|h| h.resource_type);
                if first_type.is_none() {
                    first_type = Some(rtype.clone().unwrap_or_default());
                }
                match rtype {
                    Some(t) if pass.takes(&t) => match serde_json::from_str(s) {
                        Ok(v) => v,
                        Err(_) => continue,
                    },
                    _ => continue,
                }
            } else {
                match serde_json::from_slice::<Value>(text) {
                    Ok(v) if v.get("resourceType").and_then(Value::as_str).is_some() => v,
                    _ => {
                        self.file_issue(
                            &f.label,
                            entry(),
                            "is not a JSON resource with a resourceType",
                        );
                        continue;
                    }
                }
            };
            let rtype = value
                .get("resourceType")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            if !pass.takes(&rtype) {
                continue;
            }
            let origin = Origin {
                file: Some(f.label.clone()),
                entry: entry(),
                ..Origin::default()
            };
            if rtype == "Bundle" {
                self.bundle(Some(&f.label), &value).await?;
            } else {
                self.resource(origin, &value, None, None).await?;
            }
        }
        Ok(first_type.filter(|t| !t.is_empty()))
    }

    /// Writes what is queued, notes that clinical data changed if anything was imported,
    /// and returns the report.
    async fn finish(mut self) -> Result<ImportReport, FhirError> {
        self.flush().await?;
        if !self.report.nothing_imported() {
            if let Err(e) = super::data_changed(self.db).await {
                tracing::warn!(error = %e, "could not record that clinical data changed");
            }
        }
        let t = self.report.totals();
        tracing::info!(
            files = self.report.files,
            read = t.read,
            created = t.created,
            updated = t.updated,
            not_used = t.not_used,
            failed = t.failed,
            "FHIR import finished"
        );
        Ok(self.report)
    }
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    // A UTF-8 byte-order mark at the start of a file.
    let s = &bytes[start..end];
    s.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(s)
}

/// What [`read_line`] read.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// A line is in the buffer (without its newline).
    Text,
    /// The line was longer than the limit; it was skipped.
    TooLong,
    /// The end of the input.
    End,
}

/// Reads one line into `buf` (cleared first), holding at most `max` bytes of it: a longer
/// line is read past and reported as [`Line::TooLong`].
async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Line> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let chunk = reader.fill_buf().await?;
        if chunk.is_empty() {
            return Ok(match (any, too_long) {
                (false, _) => Line::End,
                (true, true) => Line::TooLong,
                (true, false) => Line::Text,
            });
        }
        any = true;
        let (part, done) = match chunk.iter().position(|b| *b == b'\n') {
            Some(at) => (&chunk[..at], Some(at + 1)),
            None => (chunk, None),
        };
        if !too_long {
            if buf.len() + part.len() > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(part);
            }
        }
        let used = done.unwrap_or(chunk.len());
        reader.consume(used);
        if done.is_some() {
            return Ok(if too_long { Line::TooLong } else { Line::Text });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lines_are_read_one_at_a_time_and_overlong_ones_are_skipped() {
        let input: &[u8] = b"{\"a\":1}\n0123456789abcdef\n\n{\"b\":2}";
        let mut reader = BufReader::with_capacity(4, input);
        let mut buf = Vec::new();
        assert_eq!(
            read_line(&mut reader, &mut buf, 10).await.unwrap(),
            Line::Text
        );
        assert_eq!(buf, b"{\"a\":1}");
        assert_eq!(
            read_line(&mut reader, &mut buf, 10).await.unwrap(),
            Line::TooLong
        );
        assert_eq!(
            read_line(&mut reader, &mut buf, 10).await.unwrap(),
            Line::Text
        );
        assert!(buf.is_empty());
        assert_eq!(
            read_line(&mut reader, &mut buf, 10).await.unwrap(),
            Line::Text
        );
        assert_eq!(buf, b"{\"b\":2}");
        assert_eq!(
            read_line(&mut reader, &mut buf, 10).await.unwrap(),
            Line::End
        );
    }

    #[test]
    fn patients_and_medications_come_first() {
        assert!(Pass::First.takes("Patient") && Pass::First.takes("Medication"));
        assert!(!Pass::First.takes("Observation") && Pass::Second.takes("Observation"));
        assert!(type_rank("Condition") < type_rank("Claim"));
        assert!(type_rank("Condition") < type_rank("CarePlan"));
    }

    #[test]
    fn a_byte_order_mark_and_blanks_are_trimmed() {
        assert_eq!(trim_ascii(b"  \xEF\xBB\xBF{}\r"), b"{}");
        assert_eq!(trim_ascii(b"   "), b"");
    }
}

//! The FHIR R4 Bundle importer against a real SQLite database: a Synthea-shaped bundle
//! fills every table, a directory imports in name order, and every broken bundle is
//! refused with an error naming the resource and the field, leaving the database as it was.

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use ward_core::clinical::fhir::{
    import_bundle, import_path, FhirError, FhirErrorKind, ImportReport, IMPORTED_UNIT,
};
use ward_core::entity::{
    billing_accounts, clinical_notes, conditions, encounters, insurance_claims, lab_results,
    medications, patients, vital_signs,
};

const PATIENT_A: &str = "8f2c1b7e-4a6d-4e1f-9b3a-2d5c7e9f1a04";
const PATIENT_B: &str = "3d7e5a91-c2f4-4b8e-a6d0-91f2e4c8b357";
const PATIENT_C: &str = "4a6c8e0f-2b3d-4e5f-a7b9-c1d3e5f7a9b1";
const HBA1C: &str = "5b1d3f7a-9c2e-4a6b-8d0f-3e5a7c9b1d42";
const BP_PANEL: &str = "9a1c3e5f-7b2d-4c8a-b0e4-6d8f0a2c4e86";
const NOTE: &str = "9b1d3f5a-7c8e-4cae-b0ce-a6c8e0f2aeb4";
const CLAIM_A: &str = "b3d5f7a9-1e2c-4e4f-a1c3-e5f7a9b1c3d5";

/// A directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("ward-fhir-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh, migrated SQLite database file in its own temp dir.
async fn fresh_db() -> (TempDir, DatabaseConnection) {
    let dir = TempDir::new();
    let url = format!("sqlite://{}?mode=rwc", dir.0.join("ward.db").display());
    let db = ward_core::db::connect(&url).await.expect("connect");
    ward_core::db::migrate(&db).await.expect("migrate");
    (dir, db)
}

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fhir")
        .join(name)
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture_path(name)).expect("fixture");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// The two-patient Synthea bundle.
fn synthea() -> Value {
    fixture("synthea-two-patients.json")
}

/// The resource with this id in a bundle, to break it.
fn resource_mut<'a>(bundle: &'a mut Value, id: &str) -> &'a mut Value {
    bundle["entry"]
        .as_array_mut()
        .expect("entries")
        .iter_mut()
        .map(|e| &mut e["resource"])
        .find(|r| r["id"] == id)
        .expect("resource in fixture")
}

/// The index of the entry holding the resource with this id.
fn entry_index(bundle: &Value, id: &str) -> usize {
    bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .position(|e| e["resource"]["id"] == id)
        .expect("resource in fixture")
}

/// Every row of every table the importer writes.
#[derive(Debug, PartialEq)]
struct Snapshot {
    patients: Vec<patients::Model>,
    encounters: Vec<encounters::Model>,
    conditions: Vec<conditions::Model>,
    labs: Vec<lab_results::Model>,
    vitals: Vec<vital_signs::Model>,
    meds: Vec<medications::Model>,
    notes: Vec<clinical_notes::Model>,
    claims: Vec<insurance_claims::Model>,
    accounts: Vec<billing_accounts::Model>,
}

impl Snapshot {
    fn rows(&self) -> usize {
        self.patients.len()
            + self.encounters.len()
            + self.conditions.len()
            + self.labs.len()
            + self.vitals.len()
            + self.meds.len()
            + self.notes.len()
            + self.claims.len()
            + self.accounts.len()
    }
}

async fn snapshot(db: &DatabaseConnection) -> Snapshot {
    macro_rules! all {
        ($m:ident, $col:expr) => {
            $m::Entity::find()
                .order_by_asc($col)
                .all(db)
                .await
                .expect("query")
        };
    }
    Snapshot {
        patients: all!(patients, patients::Column::Id),
        encounters: all!(encounters, encounters::Column::Id),
        conditions: all!(conditions, conditions::Column::Id),
        labs: all!(lab_results, lab_results::Column::Id),
        vitals: all!(vital_signs, vital_signs::Column::Id),
        meds: all!(medications, medications::Column::Id),
        notes: all!(clinical_notes, clinical_notes::Column::Id),
        claims: all!(insurance_claims, insurance_claims::Column::Id),
        accounts: all!(billing_accounts, billing_accounts::Column::PatientId),
    }
}

/// A database that already holds one imported patient (the directory's bundles), so that
/// "unchanged" means something.
async fn db_with_a_patient() -> (TempDir, DatabaseConnection, Snapshot) {
    let (dir, db) = fresh_db().await;
    import_path(&db, &fixture_path("dir"))
        .await
        .expect("the directory imports");
    let before = snapshot(&db).await;
    assert!(before.rows() > 0);
    (dir, db, before)
}

/// Imports a broken bundle into a database holding a patient, checks that it fails and
/// that nothing changed, and returns the error.
async fn refused(bundle: Value) -> FhirError {
    let (_dir, db, before) = db_with_a_patient().await;
    let err = import_bundle(&db, &bundle)
        .await
        .expect_err("a broken bundle is refused");
    assert_eq!(snapshot(&db).await, before, "nothing was imported ({err})");
    err
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid")
}

#[tokio::test]
async fn a_synthea_bundle_fills_every_table() {
    let (_dir, db) = fresh_db().await;
    let report = import_bundle(&db, &synthea()).await.expect("imports");
    assert_eq!(
        report,
        ImportReport {
            bundles: 1,
            patients: 2,
            encounters: 2,
            conditions: 3,
            observations: 10,
            medications: 2,
            notes: 1,
            claims: 2,
            accounts: 2,
            allergies: 1,
            // Organization, Practitioner, Medication, Immunization, ExplanationOfBenefit,
            // Provenance, and the height, survey and social-history Observations.
            skipped: 9,
        }
    );
    let s = snapshot(&db).await;

    // Patients: the official name as Synthea writes it, the MR identifier (not the first
    // one), the SSN, and the unit from the Ward extension or "Imported".
    let a = s.patients.iter().find(|p| p.id == PATIENT_A).expect("A");
    assert_eq!(
        (a.given_name.as_str(), a.family_name.as_str()),
        ("Marisol742", "Quintero318")
    );
    assert_eq!(a.mrn, "a91f3c62-0b7d-4c55-8e21-6f4d2b9c7e10");
    assert_eq!(a.birth_date, day(1961, 7, 19));
    assert_eq!(a.sex, "female");
    assert_eq!(a.ssn, "999-41-7263");
    assert_eq!(a.phone, "555-207-3391");
    assert_eq!(a.email, "");
    assert_eq!(a.address_line, "482 Kessler Glen Apt 12");
    assert_eq!(
        (a.city.as_str(), a.state.as_str(), a.zip.as_str()),
        ("Worcester", "Massachusetts", "01604")
    );
    assert_eq!(a.unit, IMPORTED_UNIT);
    assert_eq!(a.allergies, "[]");
    let b = s.patients.iter().find(|p| p.id == PATIENT_B).expect("B");
    assert_eq!(b.unit, "4 West");
    assert_eq!(b.email, "darnell415.okafor902@example.com");
    assert_eq!(b.allergies, r#"["Peanut (substance)"]"#);

    // Encounters.
    let e = s
        .encounters
        .iter()
        .find(|e| e.patient_id == PATIENT_A)
        .expect("A's visit");
    assert_eq!(e.class, "ambulatory");
    assert_eq!(e.admitted_at, at(2024, 3, 11, 13, 15));
    assert_eq!(e.discharged_at, Some(at(2024, 3, 11, 13, 45)));
    assert_eq!(e.department, "Encounter for symptom");
    assert_eq!(e.reason, "Viral sinusitis (disorder)");
    assert_eq!(e.code.as_deref(), Some("444814009"));
    assert_eq!(e.attending, "Dr. Reginald803 Vandervort697");
    assert_eq!(e.facility, "WORCESTER FAMILY MEDICINE");
    let e = s
        .encounters
        .iter()
        .find(|e| e.patient_id == PATIENT_B)
        .expect("B's visit");
    assert_eq!(e.class, "emergency");
    assert_eq!(e.facility, "BAYSTATE MEDICAL CENTER");

    // Conditions.
    let c = s
        .conditions
        .iter()
        .find(|c| c.code == "444814009")
        .expect("sinusitis");
    assert_eq!(c.patient_id, PATIENT_A);
    assert_eq!(c.display, "Viral sinusitis (disorder)");
    assert_eq!(c.clinical_status, "resolved");
    assert_eq!(c.onset_date, Some(day(2024, 3, 11)));

    // Labs: the value as written, the range, and a flag computed from it.
    assert_eq!(s.labs.len(), 2);
    let l = s.labs.iter().find(|l| l.id == HBA1C).expect("HbA1c");
    assert_eq!(l.patient_id, PATIENT_A);
    assert_eq!(l.test, "Hemoglobin A1c/Hemoglobin.total in Blood");
    assert_eq!(l.loinc, "4548-4");
    assert_eq!((l.value.as_str(), l.units.as_str()), ("6.1", "%"));
    assert_eq!(l.reference_range, "4.0-5.6");
    assert_eq!(l.flag, "H");
    assert_eq!(l.collected_at, at(2024, 3, 11, 13, 30));
    let g = s
        .labs
        .iter()
        .find(|l| l.loinc == "2345-7")
        .expect("glucose");
    assert_eq!(
        (
            g.value.as_str(),
            g.reference_range.as_str(),
            g.flag.as_str()
        ),
        ("92", "70-99", "")
    );

    // Vitals: one row per patient and time, °F and lb converted.
    assert_eq!(s.vitals.len(), 2);
    let v = s
        .vitals
        .iter()
        .find(|v| v.patient_id == PATIENT_A)
        .expect("A's vitals");
    assert_eq!(v.id, BP_PANEL);
    assert_eq!(v.recorded_at, at(2024, 3, 11, 13, 20));
    assert_eq!((v.systolic, v.diastolic), (Some(128.0), Some(82.0)));
    assert_eq!(v.heart_rate, Some(76.0));
    assert_eq!(v.respiratory_rate, Some(16.0));
    assert_eq!(v.temperature_c, Some(37.5));
    assert_eq!(v.spo2, Some(97.0));
    assert_eq!(v.weight_kg, Some(68.2));
    let v = s
        .vitals
        .iter()
        .find(|v| v.patient_id == PATIENT_B)
        .expect("B's vitals");
    assert_eq!((v.heart_rate, v.weight_kg), (Some(88.0), Some(82.55)));
    assert_eq!((v.systolic, v.temperature_c), (None, None));

    // Medications: inline and by reference to a Medication resource.
    let m = s
        .meds
        .iter()
        .find(|m| m.patient_id == PATIENT_A)
        .expect("A's med");
    assert_eq!(m.medication, "Amoxicillin 250 MG Oral Capsule");
    assert_eq!((m.dose.as_str(), m.route.as_str()), ("1", ""));
    assert_eq!(m.frequency, "three times daily");
    assert_eq!(m.status, "stopped");
    assert_eq!(m.start_date, day(2024, 3, 11));
    assert_eq!(m.prescriber, "Dr. Reginald803 Vandervort697");
    let m = s
        .meds
        .iter()
        .find(|m| m.patient_id == PATIENT_B)
        .expect("B's med");
    assert_eq!(m.medication, "Hydrochlorothiazide 25 MG Oral Tablet");
    assert_eq!((m.dose.as_str(), m.route.as_str()), ("25 mg", "Oral"));
    assert_eq!(
        (m.frequency.as_str(), m.status.as_str()),
        ("once daily", "active")
    );

    // The note, decoded.
    let n = s.notes.iter().find(|n| n.id == NOTE).expect("note");
    assert_eq!(n.patient_id, PATIENT_A);
    assert_eq!(n.note_type, "History and physical note");
    assert_eq!(n.author, "Dr. Reginald803 Vandervort697");
    assert_eq!(n.written_at, at(2024, 3, 11, 13, 15));
    assert!(
        n.text.starts_with("2024-03-11\n\n# Chief Complaint\n"),
        "{}",
        n.text
    );
    assert!(n
        .text
        .contains("Patient is presenting with viral sinusitis (disorder)."));

    // Claims, with diagnoses from the referenced Conditions, and accounts.
    let c = s
        .claims
        .iter()
        .find(|c| c.id == CLAIM_A)
        .expect("A's claim");
    assert_eq!(c.patient_id, PATIENT_A);
    assert_eq!(c.billed_cents, 12_916);
    assert_eq!(c.paid_cents, 0);
    assert_eq!(c.payer, "Blue Cross Blue Shield");
    assert_eq!(c.status, "submitted");
    assert_eq!(
        (c.service_date, c.submitted_at),
        (day(2024, 3, 11), day(2024, 3, 11))
    );
    assert_eq!(c.diagnosis_codes, r#"["444814009"]"#);
    let c = s
        .claims
        .iter()
        .find(|c| c.patient_id == PATIENT_B)
        .expect("B's claim");
    assert_eq!((c.billed_cents, c.payer.as_str()), (158_050, "Medicaid"));
    assert_eq!(c.submitted_at, day(2024, 5, 3));
    let acct = s
        .accounts
        .iter()
        .find(|a| a.patient_id == PATIENT_A)
        .expect("account");
    assert_eq!(acct.payer, "Blue Cross Blue Shield");
    assert!(acct.account_number.starts_with("FHIR-") && acct.account_number.len() == 21);
    assert_eq!((acct.member_id.as_str(), acct.balance_cents), ("", 0));
    let acct_b = s
        .accounts
        .iter()
        .find(|a| a.patient_id == PATIENT_B)
        .expect("account");
    assert_eq!(acct_b.payer, "Medicaid");
    assert_ne!(acct.account_number, acct_b.account_number);
}

#[tokio::test]
async fn importing_a_directory_imports_its_bundles_in_name_order() {
    let (_dir, db) = fresh_db().await;
    let report = import_path(&db, &fixture_path("dir"))
        .await
        .expect("imports");
    // The follow-up refers to the patient of the first bundle as Patient/<id>, so it only
    // imports after it; README.txt is not read.
    assert_eq!(report.bundles, 2);
    assert_eq!(
        (report.patients, report.encounters, report.observations),
        (1, 1, 1)
    );
    let s = snapshot(&db).await;
    assert_eq!(s.patients.len(), 1);
    assert_eq!(s.patients[0].id, PATIENT_C);
    assert_eq!(s.accounts[0].payer, "Self-pay");
    assert_eq!(s.encounters[0].class, "inpatient");
    let wbc = &s.labs[0];
    assert_eq!(
        (wbc.id.as_str(), wbc.patient_id.as_str()),
        ("lab-7f2a91", PATIENT_C)
    );
    assert_eq!(
        (wbc.test.as_str(), wbc.value.as_str()),
        ("White blood cell count", "13.8")
    );
    assert_eq!(
        (wbc.reference_range.as_str(), wbc.flag.as_str()),
        ("4.5-11.0", "H")
    );
}

#[tokio::test]
async fn a_bad_bundle_in_a_directory_stops_the_import_and_names_the_file() {
    let (_dir, db) = fresh_db().await;
    let import = TempDir::new();
    std::fs::copy(
        fixture_path("dir/01-admission.json"),
        import.0.join("01-good.json"),
    )
    .expect("copy");
    let mut bad = synthea();
    resource_mut(&mut bad, PATIENT_A)
        .as_object_mut()
        .expect("object")
        .remove("birthDate");
    std::fs::write(import.0.join("02-bad.json"), bad.to_string()).expect("write");
    std::fs::copy(
        fixture_path("dir/02-follow-up.json"),
        import.0.join("03-after.json"),
    )
    .expect("copy");

    let err = import_path(&db, &import.0).await.expect_err("stops");
    assert_eq!(err.file(), Some(import.0.join("02-bad.json").as_path()));
    assert!(
        err.to_string().contains("02-bad.json: entry 0 (Patient/"),
        "{err}"
    );
    let before = err.imported_before();
    assert_eq!((before.bundles, before.patients), (1, 1));
    // The bundle before the bad one stays imported; nothing of the bad one or after it.
    let s = snapshot(&db).await;
    assert_eq!(s.patients.len(), 1);
    assert_eq!(s.patients[0].id, PATIENT_C);
    assert!(s.labs.is_empty() && s.claims.is_empty());
}

#[tokio::test]
async fn importing_the_same_bundle_twice_fails_as_already_imported_and_changes_nothing() {
    let (_dir, db) = fresh_db().await;
    import_bundle(&db, &synthea()).await.expect("first import");
    let before = snapshot(&db).await;
    let err = import_bundle(&db, &synthea())
        .await
        .expect_err("second import");
    assert_eq!(err.kind(), FhirErrorKind::AlreadyImported);
    assert_eq!(
        err.resource(),
        Some(format!("entry 0 (Patient/{PATIENT_A})").as_str())
    );
    assert!(err.to_string().contains("already imported"), "{err}");
    assert_eq!(snapshot(&db).await, before);

    // A bundle adding records to a patient imported earlier is welcome once, not twice.
    let follow_up = fixture("dir/02-follow-up.json");
    let (_dir2, db2, _) = db_with_a_patient().await;
    let err = import_bundle(&db2, &follow_up)
        .await
        .expect_err("lab already there");
    assert_eq!(err.kind(), FhirErrorKind::AlreadyImported);
    assert_eq!(err.resource(), Some("entry 0 (Observation/lab-7f2a91)"));
}

#[tokio::test]
async fn a_patient_whose_mrn_is_taken_imports_nothing() {
    let mut bundle = synthea();
    resource_mut(&mut bundle, PATIENT_A)["identifier"][1]["value"] =
        json!("7c3e9a15-4f2b-4d8e-b1a6-0e9d5c2f7b38");
    let err = refused(bundle).await;
    assert_eq!(err.kind(), FhirErrorKind::AlreadyImported);
    assert_eq!(err.field_name(), Some("identifier"));
}

#[tokio::test]
async fn a_file_that_is_not_json_imports_nothing() {
    let (_dir, db, before) = db_with_a_patient().await;
    let path = fixture_path("not-json.json");
    let err = import_path(&db, &path).await.expect_err("not JSON");
    assert_eq!(err.kind(), FhirErrorKind::NotJson);
    assert_eq!(err.file(), Some(path.as_path()));
    assert!(
        err.to_string()
            .starts_with(&format!("{}: is not valid JSON", path.display())),
        "{err}"
    );
    assert_eq!(snapshot(&db).await, before);
}

#[tokio::test]
async fn a_resource_that_is_not_a_bundle_imports_nothing() {
    let bundle = synthea();
    let patient = bundle["entry"][0]["resource"].clone();
    let err = refused(patient).await;
    assert_eq!(err.resource(), Some("Bundle"));
    assert_eq!(err.field_name(), Some("resourceType"));
    assert_eq!(
        err.to_string(),
        "Bundle: resourceType is 'Patient', not 'Bundle'"
    );
}

#[tokio::test]
async fn a_bundle_without_entry_imports_nothing() {
    let err = refused(json!({"resourceType": "Bundle", "type": "collection"})).await;
    assert_eq!(err.to_string(), "Bundle: entry is missing");
}

#[tokio::test]
async fn an_entry_without_resource_imports_nothing() {
    let mut bundle = synthea();
    let entries = bundle["entry"].as_array_mut().expect("entries");
    entries.push(
        json!({"fullUrl": "urn:uuid:0f0e0d0c-0b0a-4908-8706-050403020100",
                        "request": {"method": "POST", "url": "Observation"}}),
    );
    let last = entries.len() - 1;
    let err = refused(bundle).await;
    assert_eq!(
        err.to_string(),
        format!("entry {last}: resource is missing")
    );
}

#[tokio::test]
async fn a_bundle_without_birth_date_imports_nothing() {
    let mut bundle = synthea();
    // Patient B is late in the bundle: patient A and everything of theirs come first.
    resource_mut(&mut bundle, PATIENT_B)
        .as_object_mut()
        .expect("object")
        .remove("birthDate");
    let index = entry_index(&bundle, PATIENT_B);
    let err = refused(bundle).await;
    assert_eq!(err.kind(), FhirErrorKind::Invalid);
    assert_eq!(
        err.to_string(),
        format!("entry {index} (Patient/{PATIENT_B}): birthDate is missing")
    );
}

#[tokio::test]
async fn a_bad_date_imports_nothing() {
    let mut bundle = synthea();
    let claim = resource_mut(&mut bundle, CLAIM_A);
    claim["billablePeriod"]["start"] = json!("2024-02-30T09:15:00-04:00");
    let index = entry_index(&bundle, CLAIM_A);
    let err = refused(bundle).await;
    assert_eq!(
        err.resource(),
        Some(format!("entry {index} (Claim/{CLAIM_A})").as_str())
    );
    assert_eq!(err.field_name(), Some("billablePeriod.start"));
    assert!(err.message().contains("not a valid date"), "{err}");

    let mut bundle = synthea();
    resource_mut(&mut bundle, PATIENT_A)["birthDate"] = json!("19/07/1961");
    let err = refused(bundle).await;
    assert_eq!(err.field_name(), Some("birthDate"));
}

#[tokio::test]
async fn a_non_numeric_quantity_imports_nothing() {
    let mut bundle = synthea();
    resource_mut(&mut bundle, HBA1C)["valueQuantity"]["value"] = json!("6.1%");
    let index = entry_index(&bundle, HBA1C);
    let err = refused(bundle).await;
    assert_eq!(
        err.to_string(),
        format!("entry {index} (Observation/{HBA1C}): valueQuantity.value is not a number")
    );

    // A blood-pressure component names its place in the panel.
    let mut bundle = synthea();
    resource_mut(&mut bundle, BP_PANEL)["component"][1]["valueQuantity"]["value"] = json!("high");
    let err = refused(bundle).await;
    assert_eq!(err.field_name(), Some("component[1].valueQuantity.value"));
}

#[tokio::test]
async fn an_observation_whose_subject_points_nowhere_imports_nothing() {
    let mut bundle = synthea();
    resource_mut(&mut bundle, HBA1C)["subject"] =
        json!({"reference": "urn:uuid:00000000-1111-4222-8333-444444444444"});
    let index = entry_index(&bundle, HBA1C);
    let err = refused(bundle).await;
    assert_eq!(err.kind(), FhirErrorKind::UnknownReference);
    assert_eq!(
        err.resource(),
        Some(format!("entry {index} (Observation/{HBA1C})").as_str())
    );
    assert_eq!(err.field_name(), Some("subject"));

    // Also by Patient/<id>, and for a Claim's `patient`.
    let mut bundle = synthea();
    resource_mut(&mut bundle, CLAIM_A)["patient"] = json!({"reference": "Patient/PAT-999"});
    let err = refused(bundle).await;
    assert_eq!(err.field_name(), Some("patient"));
    assert!(err.to_string().contains("Patient/PAT-999"), "{err}");
}

#[tokio::test]
async fn a_temperature_in_an_unknown_unit_imports_nothing() {
    let mut bundle = synthea();
    let temp = "6a8c0e2f-4b5d-4c7e-b9f1-a3c5d7e9f1b2";
    resource_mut(&mut bundle, temp)["valueQuantity"]["code"] = json!("K");
    let err = refused(bundle).await;
    assert_eq!(err.field_name(), Some("valueQuantity.code"));
    assert!(err.message().contains("'K'"), "{err}");
}

#[tokio::test]
async fn a_bad_note_attachment_imports_nothing() {
    let mut bundle = synthea();
    resource_mut(&mut bundle, NOTE)["content"][0]["attachment"]["data"] = json!("not base64!");
    let err = refused(bundle).await;
    assert_eq!(err.field_name(), Some("content[0].attachment.data"));
}

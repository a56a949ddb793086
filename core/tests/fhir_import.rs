//! The FHIR R4 importer against real databases (each test on SQLite and on PostgreSQL):
//! a Synthea-shaped bundle fills every table; a broken resource among good ones is
//! reported and the rest imported; resources with only their required elements and with
//! everything import; re-import updates in place; Bulk Data NDJSON imports patients first
//! whatever the file order; and exports written by the FHIR specification's authors and by
//! two real generators (PySynthea, carebundle) import with what Ward can use.

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use ward_core::clinical::fhir::{import_bundle, import_path, ImportReport, IMPORTED_UNIT};
use ward_core::entity::{
    allergies, billing_accounts, care_plans, clinical_notes, conditions, diagnostic_reports,
    encounters, immunizations, insurance_claims, lab_results, medications, patient_aliases,
    patients, procedures, vital_signs,
};
use ward_core::testing::{Backend, TestDb};

const PATIENT_A: &str = "8f2c1b7e-4a6d-4e1f-9b3a-2d5c7e9f1a04";
const PATIENT_B: &str = "3d7e5a91-c2f4-4b8e-a6d0-91f2e4c8b357";
const PATIENT_C: &str = "4a6c8e0f-2b3d-4e5f-a7b9-c1d3e5f7a9b1";
const HBA1C: &str = "5b1d3f7a-9c2e-4a6b-8d0f-3e5a7c9b1d42";
const NOTE: &str = "9b1d3f5a-7c8e-4cae-b0ce-a6c8e0f2aeb4";
const CLAIM_A: &str = "b3d5f7a9-1e2c-4e4f-a1c3-e5f7a9b1c3d5";
const IMMUNIZATION_A: &str = "d5f7b9c1-3a4e-4b6f-83e5-a7b9c1d3e5f7";

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fhir")
        .join(name)
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture_path(name)).expect("fixture");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// The two-patient Synthea-shaped bundle.
fn synthea() -> Value {
    fixture("synthea-two-patients.json")
}

/// The resource with this id in a bundle, to change it.
fn resource_mut<'a>(bundle: &'a mut Value, id: &str) -> &'a mut Value {
    bundle["entry"]
        .as_array_mut()
        .expect("entries")
        .iter_mut()
        .map(|e| &mut e["resource"])
        .find(|r| r["id"] == id)
        .expect("resource in fixture")
}

fn entry_index(bundle: &Value, id: &str) -> usize {
    bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .position(|e| e["resource"]["id"] == id)
        .expect("resource in fixture")
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid")
}

/// A temporary directory of files, removed when dropped.
fn temp_dir(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

/// Lines of NDJSON.
fn ndjson(resources: &[Value]) -> String {
    resources
        .iter()
        .map(|r| format!("{r}\n"))
        .collect::<String>()
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
    allergies: Vec<allergies::Model>,
    procedures: Vec<procedures::Model>,
    immunizations: Vec<immunizations::Model>,
    reports: Vec<diagnostic_reports::Model>,
    care_plans: Vec<care_plans::Model>,
    aliases: Vec<patient_aliases::Model>,
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
    let mut s = Snapshot {
        patients: all!(patients, patients::Column::Id),
        encounters: all!(encounters, encounters::Column::Id),
        conditions: all!(conditions, conditions::Column::Id),
        labs: all!(lab_results, lab_results::Column::Id),
        vitals: all!(vital_signs, vital_signs::Column::Id),
        meds: all!(medications, medications::Column::Id),
        notes: all!(clinical_notes, clinical_notes::Column::Id),
        claims: all!(insurance_claims, insurance_claims::Column::Id),
        accounts: all!(billing_accounts, billing_accounts::Column::PatientId),
        allergies: all!(allergies, allergies::Column::Id),
        procedures: all!(procedures, procedures::Column::Id),
        immunizations: all!(immunizations, immunizations::Column::Id),
        reports: all!(diagnostic_reports, diagnostic_reports::Column::Id),
        care_plans: all!(care_plans, care_plans::Column::Id),
        aliases: all!(patient_aliases, patient_aliases::Column::Alias),
    };
    // Creation times differ between runs; they are not what these tests compare.
    for p in &mut s.patients {
        p.created_at = at(2000, 1, 1, 0, 0);
    }
    s
}

fn counts(r: &ImportReport, kind: &str) -> (usize, usize, usize, usize, usize) {
    let c = r.kinds.get(kind).copied().unwrap_or_default();
    (c.read, c.created, c.updated, c.not_used, c.failed)
}

async fn a_synthea_bundle_fills_every_table(b: Backend) {
    let t = TestDb::new(b).await;
    let db = &t.db;
    let report = import_bundle(db, &synthea()).await.expect("imports");
    assert!(report.issues.is_empty(), "{report}");
    assert_eq!(counts(&report, "Patient"), (2, 2, 0, 0, 0));
    assert_eq!(counts(&report, "Encounter"), (2, 2, 0, 0, 0));
    assert_eq!(counts(&report, "Condition"), (3, 3, 0, 0, 0));
    // Two labs and nine vital signs (height now included); survey and social history
    // are not used.
    assert_eq!(counts(&report, "Observation"), (13, 11, 0, 2, 0));
    assert_eq!(counts(&report, "MedicationRequest"), (2, 2, 0, 0, 0));
    assert_eq!(counts(&report, "DocumentReference"), (1, 1, 0, 0, 0));
    assert_eq!(counts(&report, "Claim"), (2, 2, 0, 0, 0));
    assert_eq!(counts(&report, "AllergyIntolerance"), (1, 1, 0, 0, 0));
    assert_eq!(counts(&report, "Immunization"), (1, 1, 0, 0, 0));
    for other in [
        "Organization",
        "Practitioner",
        "ExplanationOfBenefit",
        "Provenance",
        "Medication",
    ] {
        assert_eq!(counts(&report, other), (1, 0, 0, 1, 0), "{other}");
    }
    assert_eq!(report.totals().read, 32);
    assert_eq!(report.not_used["Observation (survey)"], 1);

    let s = snapshot(db).await;
    let a = s.patients.iter().find(|p| p.id == PATIENT_A).expect("A");
    // Every given name of the official name.
    assert_eq!(
        (a.given_name.as_str(), a.family_name.as_str()),
        ("Marisol742 Elena", "Quintero318")
    );
    assert_eq!(
        a.mrn.as_deref(),
        Some("a91f3c62-0b7d-4c55-8e21-6f4d2b9c7e10")
    );
    assert_eq!(a.birth_date, Some(day(1961, 7, 19)));
    assert_eq!(a.ssn, "999-41-7263");
    assert_eq!(a.address_line, "482 Kessler Glen Apt 12");
    assert_eq!(a.unit, IMPORTED_UNIT);
    let b_ = s.patients.iter().find(|p| p.id == PATIENT_B).expect("B");
    assert_eq!(b_.unit, "4 West");

    let e = s
        .encounters
        .iter()
        .find(|e| e.patient_id == PATIENT_A)
        .expect("A's visit");
    assert_eq!(e.class, "ambulatory");
    assert_eq!(e.admitted_at, Some(at(2024, 3, 11, 13, 15)));
    assert_eq!(e.attending, "Dr. Reginald803 Vandervort697");

    let l = s.labs.iter().find(|l| l.id == HBA1C).expect("HbA1c");
    assert_eq!((l.value.as_str(), l.units.as_str()), ("6.1", "%"));
    assert_eq!(
        (l.reference_range.as_str(), l.flag.as_str()),
        ("4.0-5.6", "H")
    );
    assert_eq!(l.collected_at, Some(at(2024, 3, 11, 13, 30)));

    // Vitals: one row per patient and time, °F and lb converted, height in cm.
    assert_eq!(s.vitals.len(), 2);
    let v = s
        .vitals
        .iter()
        .find(|v| v.patient_id == PATIENT_A)
        .expect("A's vitals");
    assert_eq!(v.recorded_at, Some(at(2024, 3, 11, 13, 20)));
    assert_eq!((v.systolic, v.diastolic), (Some(128.0), Some(82.0)));
    assert_eq!((v.temperature_c, v.weight_kg), (Some(37.5), Some(68.2)));
    assert!(v.height_cm.is_some());

    let m = s
        .meds
        .iter()
        .find(|m| m.patient_id == PATIENT_B)
        .expect("B's med");
    assert_eq!(m.medication, "Hydrochlorothiazide 25 MG Oral Tablet");
    let n = s.notes.iter().find(|n| n.id == NOTE).expect("note");
    assert!(n
        .text
        .contains("Patient is presenting with viral sinusitis (disorder)."));

    let c = s.claims.iter().find(|c| c.id == CLAIM_A).expect("claim");
    assert_eq!((c.billed_cents, c.status.as_str()), (12_916, "submitted"));
    assert_eq!(c.service_date, Some(day(2024, 3, 11)));
    assert_eq!(c.diagnosis_codes, r#"["444814009"]"#);
    let acct = s
        .accounts
        .iter()
        .find(|a| a.patient_id == PATIENT_A)
        .expect("account");
    assert_eq!(acct.payer, "Blue Cross Blue Shield");
    assert!(acct.account_number.starts_with("FHIR-") && acct.account_number.len() == 21);

    let allergy = &s.allergies[0];
    assert_eq!(allergy.patient_id, PATIENT_B);
    assert_eq!(allergy.substance, "Peanut (substance)");
    let imm = s
        .immunizations
        .iter()
        .find(|i| i.id == IMMUNIZATION_A)
        .expect("immunization");
    assert_eq!(imm.patient_id, PATIENT_A);
    assert_eq!(imm.status, "completed");
    assert!(imm.occurred_at.is_some());
}

async fn a_claim_without_a_billable_period_imports(b: Backend) {
    // Issue 31's first failure: Claim.billablePeriod is 0..1 in R4.
    let t = TestDb::new(b).await;
    let mut bundle = synthea();
    resource_mut(&mut bundle, CLAIM_A)
        .as_object_mut()
        .expect("object")
        .remove("billablePeriod");
    let report = import_bundle(&t.db, &bundle).await.expect("imports");
    assert_eq!(counts(&report, "Claim"), (2, 2, 0, 0, 0), "{report}");
    let c = insurance_claims::Entity::find_by_id(CLAIM_A.to_string())
        .one(&t.db)
        .await
        .unwrap()
        .expect("claim");
    // The first item's service date stands in; the claim was created on the 11th.
    assert_eq!(c.submitted_at, day(2024, 3, 11));
}

async fn one_broken_resource_is_reported_and_the_rest_is_imported(b: Backend) {
    let t = TestDb::new(b).await;
    let mut bundle = synthea();
    resource_mut(&mut bundle, HBA1C)["valueQuantity"]["value"] = json!("6.1%");
    resource_mut(&mut bundle, CLAIM_A)["patient"] = json!({"reference": "Patient/PAT-999"});
    let hba1c = entry_index(&bundle, HBA1C);
    let claim = entry_index(&bundle, CLAIM_A);
    let report = import_bundle(&t.db, &bundle).await.expect("imports");
    assert_eq!(report.totals().failed, 2, "{report}");
    assert_eq!(counts(&report, "Observation"), (13, 10, 0, 2, 1));
    let issue = &report.issues[0];
    assert_eq!(
        issue.entry.as_deref(),
        Some(format!("entry {hba1c}").as_str())
    );
    assert_eq!(
        issue.resource.as_deref(),
        Some(format!("Observation/{HBA1C}").as_str())
    );
    assert_eq!(issue.reason, "valueQuantity.value is not a number");
    let issue = &report.issues[1];
    assert_eq!(
        issue.entry.as_deref(),
        Some(format!("entry {claim}").as_str())
    );
    assert!(issue.reason.contains("Patient/PAT-999"), "{}", issue.reason);
    assert!(
        !issue.reason.contains("6.1%"),
        "values never appear in issues"
    );
    let s = snapshot(&t.db).await;
    assert_eq!((s.patients.len(), s.labs.len(), s.claims.len()), (2, 1, 1));
}

/// A bundle with a Patient that has only what Ward needs, and one resource of each kind
/// with only its required elements (R4's, and the patient Ward files it under).
fn minimal_bundle() -> Value {
    let subject = json!({"reference": "Patient/min"});
    let entries = vec![
        json!({"resourceType": "Patient", "id": "min"}),
        json!({"resourceType": "Encounter", "id": "enc-min", "status": "finished",
               "class": {"code": "AMB"}, "subject": subject}),
        json!({"resourceType": "Condition", "id": "cond-min", "subject": subject}),
        json!({"resourceType": "Observation", "id": "obs-min", "status": "final",
               "category": [{"coding": [{"code": "laboratory"}]}],
               "code": {"text": "Glucose"}, "subject": subject}),
        json!({"resourceType": "Observation", "id": "vital-min", "status": "final",
               "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
               "subject": subject, "valueQuantity": {"value": 72}}),
        json!({"resourceType": "MedicationRequest", "id": "med-min", "status": "active",
               "intent": "order", "medicationCodeableConcept": {"text": "Metformin"},
               "subject": subject}),
        json!({"resourceType": "DocumentReference", "id": "doc-min", "status": "current",
               "subject": subject,
               "content": [{"attachment": {"contentType": "text/plain", "data": "SGVsbG8="}}]}),
        json!({"resourceType": "Claim", "id": "claim-min", "status": "active",
               "type": {"text": "professional"}, "use": "claim", "patient": subject,
               "created": "2024-05-06", "provider": {"display": "Clinic"},
               "priority": {"text": "normal"}, "insurance": []}),
        json!({"resourceType": "AllergyIntolerance", "id": "allergy-min",
               "patient": subject}),
        json!({"resourceType": "Procedure", "id": "proc-min", "status": "completed",
               "subject": subject}),
        json!({"resourceType": "Immunization", "id": "imm-min", "status": "completed",
               "vaccineCode": {"text": "Influenza"}, "patient": subject,
               "occurrenceDateTime": "2024"}),
        json!({"resourceType": "DiagnosticReport", "id": "rep-min", "status": "final",
               "code": {"text": "Panel"}, "subject": subject}),
        json!({"resourceType": "CarePlan", "id": "plan-min", "status": "active",
               "intent": "plan", "subject": subject}),
    ];
    json!({"resourceType": "Bundle", "type": "collection",
           "entry": entries.into_iter().map(|r| json!({"resource": r})).collect::<Vec<_>>()})
}

async fn resources_with_only_their_required_elements_import(b: Backend) {
    let t = TestDb::new(b).await;
    let report = import_bundle(&t.db, &minimal_bundle())
        .await
        .expect("imports");
    assert!(report.issues.is_empty(), "{report}");
    assert_eq!(report.totals().created, 13, "{report}");
    let s = snapshot(&t.db).await;
    assert_eq!(
        (
            s.patients[0].given_name.as_str(),
            s.patients[0].mrn.as_deref()
        ),
        ("", None)
    );
    assert_eq!(s.patients[0].birth_date, None);
    assert_eq!(s.encounters[0].admitted_at, None);
    assert_eq!(s.labs[0].collected_at, None);
    assert_eq!(s.vitals[0].heart_rate, Some(72.0));
    assert_eq!(s.vitals[0].recorded_at, None);
    assert_eq!(s.meds[0].start_date, None);
    assert_eq!(s.notes[0].text, "Hello");
    assert_eq!(s.claims[0].service_date, None);
    assert_eq!(s.allergies[0].substance, "");
    assert_eq!(s.procedures[0].performed_at, None);
    assert_eq!(s.immunizations[0].occurred_at.as_deref(), Some("2024"));
    assert_eq!(s.reports[0].result_ids, "[]");
    assert_eq!(s.care_plans[0].activities, "[]");
}

async fn a_resource_with_everything_keeps_every_element_ward_reads(b: Backend) {
    let t = TestDb::new(b).await;
    let subject = json!({"reference": "urn:uuid:11111111-2222-4333-8444-555555555555"});
    let bundle = json!({"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": "urn:uuid:11111111-2222-4333-8444-555555555555",
         "resource": {"resourceType": "Patient", "birthDate": "1950-06-07",
            "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": "MRN-FULL"}],
            "name": [{"use": "official", "given": ["Ann", "Marie"], "family": "Full"}],
            "gender": "female"}},
        {"fullUrl": "urn:uuid:cond-1", "resource": {"resourceType": "Condition", "id": "cond-1",
            "code": {"coding": [{"code": "44054006", "display": "Diabetes mellitus type 2"}]},
            "subject": subject}},
        {"fullUrl": "urn:uuid:obs-1", "resource": {"resourceType": "Observation", "id": "obs-1",
            "status": "final", "category": [{"coding": [{"code": "laboratory"}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "2093-3"}],
                     "text": "Cholesterol"},
            "subject": subject, "effectiveDateTime": "2024-04-01T08:00:00Z",
            "valueQuantity": {"value": 240, "unit": "mg/dL"},
            "referenceRange": [{"high": {"value": 200}}]}},
        {"resource": {"resourceType": "Procedure", "id": "proc-1", "status": "completed",
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "73761001",
                                 "display": "Colonoscopy"}]},
            "subject": subject,
            "performedPeriod": {"start": "2023-05-06T09:00:00+02:00",
                                "end": "2023-05-06T09:40:00+02:00"},
            "reasonCode": [{"text": "Screening"}], "bodySite": [{"text": "Colon"}],
            "performer": [{"actor": {"display": "Dr. Careful"}}],
            "location": {"display": "Endoscopy unit"},
            "outcome": {"text": "Polyp removed"}, "note": [{"text": "Repeat in 5 years"}]}},
        {"resource": {"resourceType": "Immunization", "id": "imm-1", "status": "completed",
            "vaccineCode": {"coding": [{"code": "140", "display": "Influenza, seasonal"}]},
            "patient": subject, "occurrenceDateTime": "2023-10-01",
            "lotNumber": "AAJN11K", "site": {"text": "Left arm"}, "route": {"text": "IM"},
            "performer": [{"actor": {"display": "Nurse Joy"}}],
            "protocolApplied": [{"doseNumberPositiveInt": 1}]}},
        {"resource": {"resourceType": "DiagnosticReport", "id": "rep-1", "status": "final",
            "category": [{"text": "Laboratory"}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "57698-3"}],
                     "text": "Lipid panel"},
            "subject": subject, "effectiveDateTime": "2024-04-01T08:00:00Z",
            "issued": "2024-04-01T12:00:00Z", "performer": [{"display": "Lab"}],
            "result": [{"reference": "urn:uuid:obs-1"}],
            "conclusion": "Raised cholesterol"}},
        {"resource": {"resourceType": "AllergyIntolerance", "id": "all-1",
            "clinicalStatus": {"coding": [{"code": "active"}]},
            "verificationStatus": {"coding": [{"code": "confirmed"}]},
            "type": "allergy", "category": ["medication"], "criticality": "high",
            "code": {"text": "Penicillin"}, "patient": subject,
            "onsetDateTime": "1999", "recordedDate": "2020-01-02",
            "reaction": [{"manifestation": [{"text": "Hives"}, {"text": "Wheeze"}],
                          "severity": "severe"}]}},
        {"resource": {"resourceType": "CarePlan", "id": "plan-1", "status": "active",
            "intent": "plan", "title": "Diabetes plan", "subject": subject,
            "category": [{"text": "Diabetes self management plan"}],
            "period": {"start": "2024-01-01"}, "author": {"display": "Dr. Careful"},
            "addresses": [{"reference": "urn:uuid:cond-1"}],
            "activity": [{"detail": {"code": {"text": "Diabetic diet"},
                                      "status": "in-progress"}}]}}
    ]});
    let report = import_bundle(&t.db, &bundle).await.expect("imports");
    assert!(report.issues.is_empty(), "{report}");
    let s = snapshot(&t.db).await;
    let pid = "11111111-2222-4333-8444-555555555555";
    assert_eq!(s.patients[0].given_name, "Ann Marie");
    let p = &s.procedures[0];
    assert_eq!(p.patient_id, pid);
    assert_eq!(
        (p.code.as_str(), p.display.as_str()),
        ("73761001", "Colonoscopy")
    );
    assert_eq!(p.performed_at.as_deref(), Some("2023-05-06T07:00:00Z"));
    assert_eq!(p.performed_end.as_deref(), Some("2023-05-06T07:40:00Z"));
    assert_eq!(
        (p.reason.as_str(), p.body_site.as_str()),
        ("Screening", "Colon")
    );
    assert_eq!(
        (p.performer.as_str(), p.location.as_str()),
        ("Dr. Careful", "Endoscopy unit")
    );
    assert_eq!(
        (p.outcome.as_str(), p.note.as_str()),
        ("Polyp removed", "Repeat in 5 years")
    );
    let i = &s.immunizations[0];
    assert_eq!(
        (i.vaccine_code.as_str(), i.vaccine.as_str()),
        ("140", "Influenza, seasonal")
    );
    assert_eq!(i.occurred_at.as_deref(), Some("2023-10-01"));
    assert_eq!(
        (i.lot_number.as_str(), i.dose_number.as_str()),
        ("AAJN11K", "1")
    );
    assert_eq!(
        (i.site.as_str(), i.route.as_str(), i.performer.as_str()),
        ("Left arm", "IM", "Nurse Joy")
    );
    let r = &s.reports[0];
    assert_eq!(
        (r.code.as_str(), r.display.as_str()),
        ("57698-3", "Lipid panel")
    );
    assert_eq!(r.result_ids, r#"["obs-1"]"#);
    assert_eq!(r.conclusion, "Raised cholesterol");
    assert_eq!(r.issued_at.as_deref(), Some("2024-04-01T12:00:00Z"));
    assert_eq!(s.labs[0].flag, "H");
    let a = &s.allergies[0];
    assert_eq!(
        (a.substance.as_str(), a.category.as_str()),
        ("Penicillin", "medication")
    );
    assert_eq!(
        (a.reaction.as_str(), a.severity.as_str()),
        ("Hives, Wheeze", "severe")
    );
    assert_eq!(a.onset_date.as_deref(), Some("1999"));
    let c = &s.care_plans[0];
    assert_eq!(c.title, "Diabetes plan");
    assert_eq!(c.addresses, r#"["Diabetes mellitus type 2"]"#);
    assert_eq!(c.activities, r#"["Diabetic diet (in-progress)"]"#);
}

async fn importing_the_same_bundle_twice_updates_and_duplicates_nothing(b: Backend) {
    let t = TestDb::new(b).await;
    let first = import_bundle(&t.db, &synthea()).await.expect("first");
    let before = snapshot(&t.db).await;
    let second = import_bundle(&t.db, &synthea()).await.expect("second");
    assert_eq!(snapshot(&t.db).await, before);
    assert_eq!(second.totals().created, 0, "{second}");
    assert_eq!(second.totals().updated, first.totals().created);

    // A changed resource updates its row in place.
    let mut changed = synthea();
    resource_mut(&mut changed, HBA1C)["valueQuantity"]["value"] = json!(7.4);
    import_bundle(&t.db, &changed).await.expect("third");
    let after = snapshot(&t.db).await;
    assert_eq!(after.labs.len(), before.labs.len());
    let l = after.labs.iter().find(|l| l.id == HBA1C).unwrap();
    assert_eq!(l.value, "7.4");
}

async fn a_patient_with_a_new_id_and_a_known_mrn_is_the_same_patient(b: Backend) {
    let t = TestDb::new(b).await;
    import_path(&t.db, &fixture_path("dir"))
        .await
        .expect("first export");
    // Another system exports the same patient (same MRN) under another id, with a lab.
    let mut patient = fixture("dir/01-admission.json")["entry"][0]["resource"].clone();
    patient["id"] = json!("other-system-7");
    let lab = json!({"resourceType": "Observation", "id": "lab-other-1", "status": "final",
        "category": [{"coding": [{"code": "laboratory"}]}], "code": {"text": "Sodium"},
        "subject": {"reference": "Patient/other-system-7"},
        "valueQuantity": {"value": 139, "unit": "mmol/L"}});
    let dir = temp_dir(&[
        ("Observation.ndjson", ndjson(&[lab])),
        ("Patient.ndjson", ndjson(&[patient])),
    ]);
    let report = import_path(&t.db, dir.path()).await.expect("second export");
    assert_eq!(counts(&report, "Patient"), (1, 0, 1, 0, 0), "{report}");
    assert_eq!(counts(&report, "Observation"), (1, 1, 0, 0, 0), "{report}");
    let s = snapshot(&t.db).await;
    assert_eq!(s.patients.len(), 1, "not duplicated");
    assert_eq!(s.aliases[0].alias, "other-system-7");
    assert_eq!(s.aliases[0].patient_id, PATIENT_C);
    assert!(s
        .labs
        .iter()
        .any(|l| l.id == "lab-other-1" && l.patient_id == PATIENT_C));
    // Later, the alias alone leads to the patient.
    let later = json!({"resourceType": "Procedure", "id": "proc-later", "status": "completed",
        "subject": {"reference": "Patient/other-system-7"}});
    let report = import_bundle(&t.db, &later).await.expect("single resource");
    assert_eq!(counts(&report, "Procedure"), (1, 1, 0, 0, 0), "{report}");
}

async fn a_record_whose_id_another_patient_holds_is_refused(b: Backend) {
    let t = TestDb::new(b).await;
    import_bundle(&t.db, &synthea()).await.expect("imports");
    // The same lab id, now claimed for patient B: refused, never moved.
    let mut moved = synthea()["entry"][entry_index(&synthea(), HBA1C)]["resource"].clone();
    moved["subject"] = json!({"reference": format!("Patient/{PATIENT_B}")});
    let report = import_bundle(&t.db, &moved).await.expect("runs");
    assert_eq!(counts(&report, "Observation"), (1, 0, 0, 0, 1), "{report}");
    assert!(
        report.issues[0].reason.contains("another patient"),
        "{report}"
    );
    let l = lab_results::Entity::find_by_id(HBA1C.to_string())
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(l.patient_id, PATIENT_A);
    // A Patient whose MRN belongs to someone else is refused too.
    let mut impostor = synthea()["entry"][0]["resource"].clone();
    impostor["identifier"] = synthea()["entry"][22]["resource"]["identifier"].clone();
    impostor["id"] = json!(PATIENT_A);
    let report = import_bundle(&t.db, &impostor).await.expect("runs");
    assert_eq!(counts(&report, "Patient"), (1, 0, 0, 0, 1), "{report}");
    assert!(
        report.issues[0].reason.starts_with("identifier"),
        "{report}"
    );
}

async fn entered_in_error_withdraws_the_record(b: Backend) {
    let t = TestDb::new(b).await;
    import_bundle(&t.db, &synthea()).await.expect("imports");
    let mut withdrawn =
        synthea()["entry"][entry_index(&synthea(), IMMUNIZATION_A)]["resource"].clone();
    withdrawn["status"] = json!("entered-in-error");
    let report = import_bundle(&t.db, &withdrawn).await.expect("runs");
    assert_eq!(counts(&report, "Immunization"), (1, 0, 0, 1, 0), "{report}");
    assert!(
        immunizations::Entity::find_by_id(IMMUNIZATION_A.to_string())
            .one(&t.db)
            .await
            .unwrap()
            .is_none()
    );
}

async fn a_bulk_export_imports_patients_first_whatever_the_file_order(b: Backend) {
    let t = TestDb::new(b).await;
    let bundle = synthea();
    // Bulk Data style: ids, Type/id references, one file per type; "A..." sorts before
    // "Patient..." and Observation lines refer to patients in a later file.
    let mut by_type: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
    for e in bundle["entry"].as_array().unwrap() {
        let text = e["resource"].to_string().replace("urn:uuid:", "");
        let mut r: Value = serde_json::from_str(&text).unwrap();
        // Every reference to an entry becomes Type/id, as a Bulk Data export writes it.
        fix_references(&mut r, &bundle);
        by_type
            .entry(r["resourceType"].as_str().unwrap().to_string())
            .or_default()
            .push(r);
    }
    let files: Vec<(String, String)> = by_type
        .iter()
        .map(|(t, rs)| (format!("{t}.ndjson"), ndjson(rs)))
        .collect();
    let files: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let dir = temp_dir(&files);
    let report = import_path(&t.db, dir.path()).await.expect("imports");
    assert!(report.issues.is_empty(), "{report}");
    assert_eq!(report.files, by_type.len());
    let from_bundle = {
        let t2 = TestDb::new(b).await;
        import_bundle(&t2.db, &bundle).await.unwrap();
        snapshot(&t2.db).await
    };
    let s = snapshot(&t.db).await;
    assert_eq!(s.labs, from_bundle.labs);
    assert_eq!(s.vitals, from_bundle.vitals);
    assert_eq!(s.claims, from_bundle.claims);
    assert_eq!(s.meds, from_bundle.meds);
    // Importing the export again changes nothing.
    let again = import_path(&t.db, dir.path()).await.expect("again");
    assert_eq!(again.totals().created, 0);
    assert_eq!(snapshot(&t.db).await, s);
}

/// Rewrites a resource's bare-uuid references to `Type/id` using the bundle's entries.
fn fix_references(v: &mut Value, bundle: &Value) {
    match v {
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                if k == "reference" {
                    if let Some(id) = item.as_str().map(str::to_string) {
                        if let Some(e) = bundle["entry"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .find(|e| e["resource"]["id"] == id.as_str())
                        {
                            *item = json!(format!(
                                "{}/{id}",
                                e["resource"]["resourceType"].as_str().unwrap()
                            ));
                        }
                    }
                } else {
                    fix_references(item, bundle);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| fix_references(i, bundle)),
        _ => {}
    }
}

async fn bad_lines_are_reported_by_line_and_the_rest_imports(b: Backend) {
    let t = TestDb::new(b).await;
    let patient = json!({"resourceType": "Patient", "id": "p-nd", "birthDate": "1970-01-01",
        "identifier": [{"value": "MRN-ND"}]});
    let lab = |id: &str, value: Value| {
        json!({"resourceType": "Observation", "id": id, "status": "final",
            "category": [{"coding": [{"code": "laboratory"}]}], "code": {"text": "Na"},
            "subject": {"reference": "Patient/p-nd"}, "valueQuantity": {"value": value}})
    };
    let text = format!(
        "{}\n{{not json\n\n{}\n{}\n",
        patient,
        lab("l1", json!(140)),
        lab("l2", json!("high"))
    );
    let dir = temp_dir(&[("mixed.ndjson", text)]);
    let report = import_path(&t.db, dir.path()).await.expect("imports");
    assert_eq!(report.imported(), 2, "{report}");
    let lines: Vec<(String, String)> = report
        .issues
        .iter()
        .map(|i| (i.entry.clone().unwrap_or_default(), i.reason.clone()))
        .collect();
    assert_eq!(lines[0].0, "line 2");
    assert_eq!(lines[1].0, "line 5");
    assert_eq!(lines[1].1, "valueQuantity.value is not a number");
    assert!(report.issues[0]
        .file
        .as_deref()
        .unwrap()
        .ends_with("mixed.ndjson"));
}

async fn the_specifications_own_examples_import_what_ward_uses(b: Backend) {
    let t = TestDb::new(b).await;
    let report = import_path(&t.db, &fixture_path("hl7-r4-examples"))
        .await
        .expect("imports");
    // One resource cannot be used: the "no known allergy" of Patient/mom, who is not
    // among the files. Patient/pat2 has no date of birth and imports all the same.
    assert_eq!(report.totals().failed, 1, "{report}");
    assert_eq!(
        report.issues[0].resource.as_deref(),
        Some("AllergyIntolerance/nka")
    );
    assert!(report.issues[0].reason.contains("Patient/mom"));
    assert_eq!(counts(&report, "Patient"), (2, 2, 0, 0, 0));
    assert_eq!(counts(&report, "Immunization"), (3, 3, 0, 0, 0));
    assert_eq!(counts(&report, "Procedure"), (2, 2, 0, 0, 0));
    let s = snapshot(&t.db).await;
    let peter = s.patients.iter().find(|p| p.id == "example").unwrap();
    assert_eq!(
        (peter.mrn.as_deref(), peter.family_name.as_str()),
        (Some("12345"), "Chalmers")
    );
    let pat2 = s.patients.iter().find(|p| p.id == "pat2").unwrap();
    assert_eq!(pat2.birth_date, None);
    let colonoscopy = s.procedures.iter().find(|p| p.id == "colonoscopy").unwrap();
    assert_eq!(colonoscopy.display, "Colonoscopy");
    assert_eq!(colonoscopy.performed_at, None);
    let historical = s
        .immunizations
        .iter()
        .find(|i| i.id == "historical")
        .unwrap();
    assert!(
        historical.note.starts_with("Given: January 2012"),
        "{}",
        historical.note
    );
    let not_given = s.immunizations.iter().find(|i| i.id == "notGiven").unwrap();
    assert_eq!(not_given.status, "not-done");
    assert!(!not_given.status_reason.is_empty());
    let cashew = s.allergies.iter().find(|a| a.id == "example").unwrap();
    assert_eq!(cashew.onset_date.as_deref(), Some("2004"));
    let plan = s.care_plans.iter().find(|c| c.id == "example").unwrap();
    assert_eq!(plan.addresses, r#"["obesity"]"#);
    // The bone-density report's result has no category: a measurement with a value is
    // kept as a result and the report shows it.
    let report_102 = s.reports.iter().find(|r| r.id == "102").unwrap();
    assert_eq!(report_102.result_ids, r#"["bmd"]"#);
    assert!(s
        .labs
        .iter()
        .any(|l| l.id == "bmd" && l.patient_id == "pat2"));
    let vitals = s.vitals.iter().find(|v| v.patient_id == "example").unwrap();
    assert!(vitals.systolic.is_some() || vitals.heart_rate.is_some());
}

async fn pysynthea_exports_import_with_no_unusable_resource(b: Backend) {
    let t = TestDb::new(b).await;
    let report = ward_core::clinical::fhir::import_paths(
        &t.db,
        &[
            fixture_path("pysynthea/bundle"),
            fixture_path("pysynthea/bulk"),
        ],
    )
    .await
    .expect("imports");
    assert_eq!(report.totals().failed, 0, "{report}");
    assert_eq!(counts(&report, "Patient").1, 2, "{report}");
    for kind in [
        "Encounter",
        "Condition",
        "Observation",
        "Immunization",
        "DiagnosticReport",
        "DocumentReference",
        "Claim",
    ] {
        let c = report.kinds[kind];
        assert!(c.imported() > 0, "{kind}: {report}");
    }
    let s = snapshot(&t.db).await;
    assert!(!s.immunizations.is_empty() && !s.reports.is_empty());
    // Reports refer to results Ward holds.
    let with_results = s.reports.iter().filter(|r| r.result_ids != "[]").count();
    assert!(with_results > 0);
}

async fn a_carebundle_bulk_export_imports_with_no_unusable_resource(b: Backend) {
    let t = TestDb::new(b).await;
    let report = import_path(&t.db, &fixture_path("carebundle"))
        .await
        .expect("imports");
    assert_eq!(report.totals().failed, 0, "{report}");
    assert_eq!(counts(&report, "Patient"), (3, 3, 0, 0, 0), "{report}");
    assert!(report.kinds["DiagnosticReport"].imported() > 0);
    assert!(report.kinds["Observation"].imported() > 90, "{report}");
}

async fn an_import_of_nothing_ward_uses_imports_nothing(b: Backend) {
    let t = TestDb::new(b).await;
    let org = json!({"resourceType": "Organization", "id": "o1", "name": "Hospital"});
    let dir = temp_dir(&[
        ("Organization.ndjson", ndjson(&[org])),
        ("broken.json", "{not json".into()),
    ]);
    let report = import_path(&t.db, dir.path()).await.expect("runs");
    assert!(report.nothing_imported());
    assert_eq!(counts(&report, "Organization"), (1, 0, 0, 1, 0));
    assert!(
        report.issues[0].reason.starts_with("is not valid JSON"),
        "{report}"
    );
    assert!(snapshot(&t.db).await.patients.is_empty());
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name(ward_core::testing::Backend::Sqlite).await
                }
                #[tokio::test]
                async fn postgres() {
                    super::$name(ward_core::testing::Backend::Postgres).await
                }
            }
        )*
    };
}

on_both!(
    a_synthea_bundle_fills_every_table,
    a_claim_without_a_billable_period_imports,
    one_broken_resource_is_reported_and_the_rest_is_imported,
    resources_with_only_their_required_elements_import,
    a_resource_with_everything_keeps_every_element_ward_reads,
    importing_the_same_bundle_twice_updates_and_duplicates_nothing,
    a_patient_with_a_new_id_and_a_known_mrn_is_the_same_patient,
    a_record_whose_id_another_patient_holds_is_refused,
    entered_in_error_withdraws_the_record,
    a_bulk_export_imports_patients_first_whatever_the_file_order,
    bad_lines_are_reported_by_line_and_the_rest_imports,
    the_specifications_own_examples_import_what_ward_uses,
    pysynthea_exports_import_with_no_unusable_resource,
    a_carebundle_bulk_export_imports_with_no_unusable_resource,
    an_import_of_nothing_ward_uses_imports_nothing,
);

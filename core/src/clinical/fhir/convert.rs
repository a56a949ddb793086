//! One FHIR resource → the Ward row it becomes, with no database: the rules of what each
//! resource type must hold and how its elements map (see the module documentation of
//! [`super`] for the table). A resource Ward cannot use comes back as [`Unusable`],
//! naming the field; a resource Ward does not keep comes back as [`Converted::NotUsed`].

use super::read::{fit, fmt_num, parse_reference, round2, valid_id, Read, Res, Target, Unusable};
use super::{IMPORTED_UNIT, UNIT_EXTENSION_URL};
use crate::entity::{
    allergies, care_plans, clinical_notes, conditions, diagnostic_reports, encounters,
    immunizations, insurance_claims, lab_results, medications, procedures,
};
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use serde_json::Value;

/// How a resource names its patient.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PatientRef {
    /// A FHIR Patient id (in the source, in Ward, or an alias Ward keeps).
    Id(String),
    /// A logical reference by identifier: the MRN.
    Mrn(String),
}

impl PatientRef {
    /// How the reference reads in a message (ids only; an MRN is not shown).
    pub fn describe(&self) -> String {
        match self {
            PatientRef::Id(id) => format!("Patient/{id}"),
            PatientRef::Mrn(_) => "a patient by identifier".into(),
        }
    }
}

/// What the source can say about a reference: the resource it points to, when the source
/// holds it (a bundle's entries), and the names of Medications read so far.
pub trait Lookup {
    /// The resource type, id and JSON a reference points to, if the source holds it.
    fn find(&self, reference: &str) -> Option<(&str, &str, &Value)>;
    /// The name of a Medication read earlier in this import.
    fn medication_name(&self, id: &str) -> Option<&str>;
}

/// A row to write, with its id and the patient it belongs to (resolved when written).
#[derive(Clone, Debug)]
pub struct Staged<T> {
    /// The row id: the FHIR resource id.
    pub id: String,
    /// The patient, as the resource names them.
    pub patient: PatientRef,
    /// The row, without its `patient_id`.
    pub row: T,
}

/// A patient's demographics.
#[derive(Clone, Debug, PartialEq)]
pub struct PatientRow {
    /// The FHIR id.
    pub id: String,
    /// The medical record number, if the Patient has an identifier.
    pub mrn: Option<String>,
    /// Given names.
    pub given: String,
    /// Family name.
    pub family: String,
    /// Date of birth, if the Patient has a full one.
    pub birth: Option<NaiveDate>,
    /// Administrative sex.
    pub sex: String,
    /// Social security number, if given.
    pub ssn: String,
    /// Phone.
    pub phone: String,
    /// Email.
    pub email: String,
    /// Street lines.
    pub address_line: String,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// ZIP code.
    pub zip: String,
    /// The unit from [`UNIT_EXTENSION_URL`], if the resource has one.
    pub unit: Option<String>,
}

/// One vital-sign Observation's values, in Ward's units, to merge into the row of its
/// patient and time.
#[derive(Clone, Debug, PartialEq)]
pub struct VitalPart {
    /// When it was measured, if the source said.
    pub at: Option<DateTime<Utc>>,
    /// Values by [`Vital`] index.
    pub values: [Option<f64>; Vital::COUNT],
}

/// A claim and the Conditions its diagnoses refer to (their codes are read when written).
#[derive(Clone, Debug)]
pub struct ClaimRow {
    /// The row (diagnosis codes written inline in the claim).
    pub row: insurance_claims::ActiveModel,
    /// Codes written inline.
    pub codes: Vec<String>,
    /// Ids of Conditions the diagnoses refer to.
    pub condition_ids: Vec<String>,
    /// The payer, if the claim names one (for the patient's billing account).
    pub payer: Option<String>,
}

/// What a care plan addresses: a condition's text, or a Condition to read it from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Addressed {
    /// Text given in the plan.
    Text(String),
    /// A Condition id, read when written.
    Condition(String),
}

/// A care plan and what it addresses.
#[derive(Clone, Debug)]
pub struct CarePlanRow {
    /// The row (`addresses` filled when written).
    pub row: care_plans::ActiveModel,
    /// What it addresses.
    pub addresses: Vec<Addressed>,
}

/// A row of any kind.
#[derive(Clone, Debug)]
pub enum Row {
    /// `patients`.
    Patient(PatientRow),
    /// `encounters`.
    Encounter(Staged<encounters::ActiveModel>),
    /// `conditions`.
    Condition(Staged<conditions::ActiveModel>),
    /// `lab_results`.
    Lab(Staged<lab_results::ActiveModel>),
    /// Part of a `vital_signs` row.
    Vital(Staged<VitalPart>),
    /// `medications`.
    Medication(Staged<medications::ActiveModel>),
    /// `clinical_notes`.
    Note(Staged<clinical_notes::ActiveModel>),
    /// `insurance_claims`.
    Claim(Staged<ClaimRow>),
    /// `allergies`.
    Allergy(Staged<allergies::ActiveModel>),
    /// `procedures`.
    Procedure(Staged<procedures::ActiveModel>),
    /// `immunizations`.
    Immunization(Staged<immunizations::ActiveModel>),
    /// `diagnostic_reports`.
    Report(Staged<diagnostic_reports::ActiveModel>),
    /// `care_plans`.
    CarePlan(Staged<CarePlanRow>),
}

/// The Ward tables a withdrawn resource may have a row in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// `encounters`.
    Encounters,
    /// `conditions`.
    Conditions,
    /// `lab_results`.
    LabResults,
    /// `medications`.
    Medications,
    /// `clinical_notes`.
    ClinicalNotes,
    /// `insurance_claims`.
    InsuranceClaims,
    /// `allergies`.
    Allergies,
    /// `procedures`.
    Procedures,
    /// `immunizations`.
    Immunizations,
    /// `diagnostic_reports`.
    DiagnosticReports,
    /// `care_plans`.
    CarePlans,
}

impl Table {
    /// The table's name.
    pub fn name(self) -> &'static str {
        match self {
            Table::Encounters => "encounters",
            Table::Conditions => "conditions",
            Table::LabResults => "lab_results",
            Table::Medications => "medications",
            Table::ClinicalNotes => "clinical_notes",
            Table::InsuranceClaims => "insurance_claims",
            Table::Allergies => "allergies",
            Table::Procedures => "procedures",
            Table::Immunizations => "immunizations",
            Table::DiagnosticReports => "diagnostic_reports",
            Table::CarePlans => "care_plans",
        }
    }
}

/// What one resource becomes.
#[derive(Clone, Debug)]
pub enum Converted {
    /// A row to write (boxed: rows are large, the other variants small).
    Row(Box<Row>),
    /// The source withdrew the resource (`entered-in-error`): Ward's row of that id, if
    /// it belongs to the same patient, is deleted.
    Withdrawn {
        /// Where the row would be.
        table: Table,
        /// Its id.
        id: String,
        /// Its patient.
        patient: PatientRef,
    },
    /// A Medication: its name, remembered for the MedicationRequests that refer to it.
    MedicationName(String, String),
    /// Not used by Ward; the text says what it was (e.g. `Observation (survey)`).
    NotUsed(String),
}

/// The resource's row id: its `id`, else the uuid of its `urn:uuid:` fullUrl, else a
/// digest of its content (so that importing it again finds the same row).
pub fn resource_id(resource: &Value, full_url: Option<&str>) -> Read<String> {
    if let Some(v) = resource.get("id") {
        let id = v
            .as_str()
            .map(str::trim)
            .filter(|s| valid_id(s))
            .ok_or_else(|| {
                Unusable::new(
                    "id",
                    "is not a valid FHIR id (1-64 letters, digits, '-' or '.')",
                )
            })?;
        return Ok(id.to_string());
    }
    if let Some(uuid) = full_url
        .and_then(|u| u.strip_prefix("urn:uuid:"))
        .filter(|u| valid_id(u))
    {
        return Ok(uuid.to_string());
    }
    use sha2::{Digest, Sha256};
    let digest = hex::encode(Sha256::digest(resource.to_string().as_bytes()));
    Ok(format!("h-{}", &digest[..40]))
}

/// The patient a reference field (`subject`, `patient`) names.
fn patient_ref(res: &Res, field: &str, lookup: &dyn Lookup) -> Read<PatientRef> {
    if res.get(field).is_none() {
        return Err(Unusable::new(
            field,
            "is missing: Ward files every record under a patient",
        ));
    }
    let path = format!("{field}.reference");
    if let Some(reference) = res.str(&path) {
        if let Some((rtype, id, _)) = lookup.find(reference) {
            return if rtype == "Patient" {
                Ok(PatientRef::Id(id.to_string()))
            } else {
                Err(Unusable::new(
                    &path,
                    format!("points to a {rtype}, not to a Patient"),
                ))
            };
        }
        let id = match parse_reference(reference) {
            Some(Target::Typed(t, id)) if t == "Patient" => id,
            Some(Target::Typed(t, _)) => {
                return Err(Unusable::new(
                    &path,
                    format!("points to a {}, not to a Patient", fit(&t, 40)),
                ))
            }
            Some(Target::Urn(u)) => u.rsplit(':').next().unwrap_or_default().to_string(),
            _ => {
                return Err(Unusable::new(
                    &path,
                    "is not a reference Ward can follow (Patient/<id> or urn:uuid:<id>)",
                ))
            }
        };
        return if valid_id(&id) {
            Ok(PatientRef::Id(id))
        } else {
            Err(Unusable::new(&path, "does not hold a valid Patient id"))
        };
    }
    match res.str(&format!("{field}.identifier.value")) {
        Some(v) if v.chars().count() <= 64 => Ok(PatientRef::Mrn(v.to_string())),
        _ => Err(Unusable::new(
            &path,
            "is missing (and there is no identifier to find the patient by)",
        )),
    }
}

/// The id a reference (an Observation in a report's `result`, a Condition in a claim)
/// names: the entry's id in the source, else the id in `Type/id`.
fn referenced_id(reference: &str, want: &str, lookup: &dyn Lookup) -> Option<String> {
    if let Some((rtype, id, _)) = lookup.find(reference) {
        return (rtype == want).then(|| id.to_string());
    }
    match parse_reference(reference)? {
        Target::Typed(t, id) if t == want && valid_id(&id) => Some(id),
        Target::Urn(u) => Some(u.rsplit(':').next()?.to_string()).filter(|i| valid_id(i)),
        _ => None,
    }
}

/// Whether the resource says it was entered in error (in `status`, or in
/// `verificationStatus` for Conditions and AllergyIntolerances).
fn entered_in_error(res: &Res) -> bool {
    res.str("status") == Some("entered-in-error")
        || res
            .codes("verificationStatus")
            .contains(&"entered-in-error")
}

/// Converts one resource.
pub fn convert(rtype: &str, id: &str, resource: &Value, lookup: &dyn Lookup) -> Read<Converted> {
    let res = Res { value: resource };
    let withdrawn = |table, field: &str| -> Read<Converted> {
        Ok(Converted::Withdrawn {
            table,
            id: id.to_string(),
            patient: patient_ref(&res, field, lookup)?,
        })
    };
    let id = id.to_string();
    match rtype {
        "Patient" => patient(&res, id),
        "Medication" => Ok(match res.concept_text("code") {
            Some(name) => Converted::MedicationName(id, fit(name, 200)),
            None => Converted::NotUsed("Medication (no name)".into()),
        }),
        "Encounter" if entered_in_error(&res) => withdrawn(Table::Encounters, "subject"),
        "Encounter" => encounter(&res, id, lookup),
        "Condition" if entered_in_error(&res) => withdrawn(Table::Conditions, "subject"),
        "Condition" => condition(&res, id, lookup),
        "Observation" => observation(&res, id, lookup),
        "MedicationRequest" if entered_in_error(&res) => withdrawn(Table::Medications, "subject"),
        "MedicationRequest" => medication(&res, id, lookup),
        "DocumentReference" if entered_in_error(&res) => withdrawn(Table::ClinicalNotes, "subject"),
        "DocumentReference" => note(&res, id, lookup),
        "Claim" if entered_in_error(&res) => withdrawn(Table::InsuranceClaims, "patient"),
        "Claim" => claim(&res, id, lookup),
        "AllergyIntolerance" if entered_in_error(&res) => withdrawn(Table::Allergies, "patient"),
        "AllergyIntolerance" => allergy(&res, id, lookup),
        "Procedure" if entered_in_error(&res) => withdrawn(Table::Procedures, "subject"),
        "Procedure" => procedure(&res, id, lookup),
        "Immunization" if entered_in_error(&res) => withdrawn(Table::Immunizations, "patient"),
        "Immunization" => immunization(&res, id, lookup),
        "DiagnosticReport" if entered_in_error(&res) => {
            withdrawn(Table::DiagnosticReports, "subject")
        }
        "DiagnosticReport" => report(&res, id, lookup),
        "CarePlan" if entered_in_error(&res) => withdrawn(Table::CarePlans, "subject"),
        "CarePlan" => care_plan(&res, id, lookup),
        other => Ok(Converted::NotUsed(fit(other, 64))),
    }
}

fn text_of(v: &Value) -> Option<&str> {
    v.as_str().map(str::trim).filter(|s| !s.is_empty())
}

fn patient(res: &Res, id: String) -> Read<Converted> {
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
        ident.get("value").and_then(text_of)
    }
    let mrn = identifiers
        .iter()
        .filter(|i| has_code(i, "MR"))
        .find_map(value_of)
        .or_else(|| {
            identifiers
                .iter()
                .filter(|i| !has_code(i, "SS") && !has_code(i, "DL") && !has_code(i, "PPN"))
                .find_map(value_of)
        });
    if mrn.is_some_and(|m| m.chars().count() > 64) {
        return Err(Unusable::new(
            "identifier",
            "holds an MRN longer than 64 characters",
        ));
    }
    let ssn = identifiers
        .iter()
        .filter(|i| {
            has_code(i, "SS")
                || i.get("system").and_then(Value::as_str) == Some("http://hl7.org/fhir/sid/us-ssn")
        })
        .find_map(value_of)
        .unwrap_or_default();
    if ssn.chars().count() > 16 {
        return Err(Unusable::new(
            "identifier",
            "holds an SSN longer than 16 characters",
        ));
    }
    // A partial date of birth (a year) is left out: Ward keeps a full date or none.
    let birth = res.when("birthDate")?.and_then(|w| w.date());
    let names = res.array("name");
    let at = names
        .iter()
        .position(|n| n.get("use").and_then(Value::as_str) == Some("official"))
        .unwrap_or(0);
    let given: Vec<&str> = res
        .array(&format!("name[{at}].given"))
        .iter()
        .filter_map(text_of)
        .collect();
    let mut given = given.join(" ");
    let mut family = res
        .str(&format!("name[{at}].family"))
        .unwrap_or_default()
        .to_string();
    if given.is_empty() && family.is_empty() {
        // Only a text name: its last word as the family name.
        if let Some(text) = res.str(&format!("name[{at}].text")) {
            match text.rsplit_once(' ') {
                Some((g, f)) => {
                    given = g.trim().to_string();
                    family = f.trim().to_string();
                }
                None => family = text.to_string(),
            }
        }
    }
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
        .filter_map(text_of)
        .collect();
    let unit = res
        .array("extension")
        .iter()
        .filter(|e| e.get("url").and_then(Value::as_str) == Some(UNIT_EXTENSION_URL))
        .find_map(|e| {
            e.get("valueString")
                .or_else(|| e.get("valueCode"))
                .and_then(text_of)
        })
        .map(|u| fit(u, 100));
    debug_assert!(IMPORTED_UNIT.len() <= 100);
    Ok(Converted::Row(Box::new(Row::Patient(PatientRow {
        id,
        mrn: mrn.map(str::to_string),
        given: fit(&given, 100),
        family: fit(&family, 100),
        birth,
        sex: fit(res.str("gender").unwrap_or("unknown"), 16),
        ssn: ssn.to_string(),
        phone: fit(telecom("phone"), 32),
        email: fit(telecom("email"), 200),
        address_line: fit(&lines.join(", "), 200),
        city: fit(res.str("address[0].city").unwrap_or_default(), 100),
        state: fit(res.str("address[0].state").unwrap_or_default(), 50),
        zip: fit(res.str("address[0].postalCode").unwrap_or_default(), 16),
        unit,
    }))))
}

fn staged<T>(id: String, patient: PatientRef, row: T) -> Staged<T> {
    Staged { id, patient, row }
}

fn encounter(res: &Res, id: String, lookup: &dyn Lookup) -> Read<Converted> {
    let patient = patient_ref(res, "subject", lookup)?;
    let class_code = res
        .first_str(&["class.code", "class[0].coding[0].code"])
        .unwrap_or("unknown");
    let class = match class_code {
        "AMB" => "ambulatory",
        "EMER" => "emergency",
        "IMP" | "ACUTE" | "NONAC" => "inpatient",
        "OBSENC" => "observation",
        "HH" => "home health",
        "VR" => "virtual",
        other => other,
    };
    let admitted = res.when("period.start")?.and_then(|w| w.instant());
    let discharged = res.when("period.end")?.and_then(|w| w.instant());
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
    Ok(Converted::Row(Box::new(Row::Encounter(staged(
        id.clone(),
        patient,
        encounters::ActiveModel {
            id: Set(id),
            patient_id: NotSet,
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
                res.reference_display(&["participant[0].individual"])
                    .unwrap_or_default(),
                200,
            )),
            facility: Set(fit(
                res.first_str(&["serviceProvider.display", "location[0].location.display"])
                    .unwrap_or_default(),
                200,
            )),
        },
    )))))
}

fn condition(res: &Res, id: String, lookup: &dyn Lookup) -> Read<Converted> {
    let patient = patient_ref(res, "subject", lookup)?;
    let code = res.str("code.coding[0].code").unwrap_or_default();
    let display = res
        .first_str(&["code.coding[0].display", "code.text"])
        .unwrap_or_default();
    let onset = res
        .first_when(&["onsetDateTime", "onsetPeriod.start"])?
        .and_then(|w| w.date());
    Ok(Converted::Row(Box::new(Row::Condition(staged(
        id.clone(),
        patient,
        conditions::ActiveModel {
            id: Set(id),
            patient_id: NotSet,
            code: Set(fit(code, 32)),
            display: Set(fit(display, 200)),
            clinical_status: Set(fit(
                res.first_str(&["clinicalStatus.coding[0].code", "clinicalStatus.text"])
                    .unwrap_or_default(),
                32,
            )),
            onset_date: Set(onset),
        },
    )))))
}

/// One kind of vital sign Ward stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vital {
    /// Heart rate, /min.
    HeartRate,
    /// Systolic blood pressure, mmHg.
    Systolic,
    /// Diastolic blood pressure, mmHg.
    Diastolic,
    /// Respiratory rate, /min.
    RespiratoryRate,
    /// Body temperature, °C.
    Temperature,
    /// Oxygen saturation, %.
    Spo2,
    /// Body weight, kg.
    Weight,
    /// Body height, cm.
    Height,
    /// Body mass index, kg/m².
    Bmi,
}

impl Vital {
    /// How many kinds there are.
    pub const COUNT: usize = 9;

    fn from_loinc(code: &str) -> Option<Vital> {
        Some(match code {
            "8867-4" => Vital::HeartRate,
            "8480-6" => Vital::Systolic,
            "8462-4" => Vital::Diastolic,
            "9279-1" => Vital::RespiratoryRate,
            "8310-5" | "8331-1" => Vital::Temperature,
            "2708-6" | "59408-5" => Vital::Spo2,
            "29463-7" | "3141-9" => Vital::Weight,
            "8302-2" | "8306-3" => Vital::Height,
            "39156-5" => Vital::Bmi,
            _ => return None,
        })
    }

    /// The value of the Quantity at `quantity` in Ward's unit, read from its UCUM `code`,
    /// else its `unit`; an unknown unit makes the resource unusable.
    fn normalise(self, res: &Res, value: f64, quantity: &str) -> Read<f64> {
        let code_field = format!("{quantity}.code");
        let unit_field = format!("{quantity}.unit");
        let (unit, unit_field) = match res.str(&code_field) {
            Some(code) => (code, code_field),
            None => (res.str(&unit_field).unwrap_or_default(), unit_field),
        };
        let unknown = |kind: &str| {
            Unusable::new(
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
            Vital::Height => match unit {
                "" | "cm" => value,
                "m" => round2(value * 100.0),
                "mm" => round2(value / 10.0),
                "[in_i]" | "[in_us]" | "in" => round2(value * 2.54),
                "[ft_i]" | "ft" => round2(value * 30.48),
                _ => return Err(unknown("height")),
            },
            _ => value,
        })
    }
}

fn observation(res: &Res, id: String, lookup: &dyn Lookup) -> Read<Converted> {
    match res.str("status") {
        Some("entered-in-error") => {
            return Ok(Converted::Withdrawn {
                table: Table::LabResults,
                id,
                patient: patient_ref(res, "subject", lookup)?,
            })
        }
        Some("cancelled") => return Ok(Converted::NotUsed("Observation (cancelled)".into())),
        _ => {}
    }
    let categories: Vec<&str> = (0..res.array("category").len())
        .flat_map(|i| res.codes(&format!("category[{i}]")))
        .collect();
    let vital_code = res.codes("code").into_iter().find_map(Vital::from_loinc);
    let vital = categories.contains(&"vital-signs")
        || (categories.is_empty() && (vital_code.is_some() || res.get("component").is_some()));
    // Without a category, a measurement with a value that is not a vital sign is kept
    // as a result (the FHIR examples' glucose and bone density have no category).
    let has_value = res.value.as_object().is_some_and(|o| {
        o.keys()
            .any(|k| k.starts_with("value") || k == "dataAbsentReason")
    });
    let lab = categories.contains(&"laboratory") || (categories.is_empty() && !vital && has_value);
    if !lab && !vital {
        let what = categories.first().copied().unwrap_or("no category");
        return Ok(Converted::NotUsed(format!(
            "Observation ({})",
            fit(what, 40)
        )));
    }
    let patient = patient_ref(res, "subject", lookup)?;
    let when = res.first_when(&[
        "effectiveDateTime",
        "effectivePeriod.start",
        "effectiveInstant",
        "issued",
    ])?;
    let at = when.and_then(|w| w.instant());
    if lab {
        lab_result(res, id, patient, at)
    } else {
        vital_sign(res, id, patient, at)
    }
}

fn lab_result(
    res: &Res,
    id: String,
    patient: PatientRef,
    at: Option<DateTime<Utc>>,
) -> Read<Converted> {
    let test = res
        .first_str(&["code.text", "code.coding[0].display", "code.coding[0].code"])
        .unwrap_or_default();
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
    } else if let Some(reason) = res.concept_text("dataAbsentReason") {
        (format!("({reason})"), String::new())
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
    let flag = match res.str("interpretation[0].coding[0].code") {
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
    Ok(Converted::Row(Box::new(Row::Lab(staged(
        id.clone(),
        patient,
        lab_results::ActiveModel {
            id: Set(id),
            patient_id: NotSet,
            collected_at: Set(at),
            test: Set(fit(test, 100)),
            loinc: Set(fit(loinc, 32)),
            value: Set(fit(&value, 64)),
            units: Set(fit(&units, 32)),
            reference_range: Set(fit(&range, 64)),
            flag: Set(flag),
        },
    )))))
}

fn vital_sign(
    res: &Res,
    id: String,
    patient: PatientRef,
    at: Option<DateTime<Utc>>,
) -> Read<Converted> {
    let mut values = [None; Vital::COUNT];
    let mut put = |kind: Vital, v: f64| {
        let slot = &mut values[kind as usize];
        if slot.is_none() {
            *slot = Some(v);
        }
    };
    for i in 0..res.array("component").len() {
        let comp = format!("component[{i}]");
        let Some(kind) = res
            .codes(&format!("{comp}.code"))
            .into_iter()
            .find_map(Vital::from_loinc)
        else {
            continue;
        };
        if let Some(v) = res.number(&format!("{comp}.valueQuantity.value"))? {
            put(
                kind,
                kind.normalise(res, v, &format!("{comp}.valueQuantity"))?,
            );
        }
    }
    if let Some(kind) = res.codes("code").into_iter().find_map(Vital::from_loinc) {
        if let Some(v) = res.number("valueQuantity.value")? {
            put(kind, kind.normalise(res, v, "valueQuantity")?);
        }
    }
    if values.iter().all(Option::is_none) {
        let code = res.codes("code").first().copied().unwrap_or("no code");
        return Ok(Converted::NotUsed(format!(
            "Observation (vital sign {})",
            fit(code, 20)
        )));
    }
    Ok(Converted::Row(Box::new(Row::Vital(staged(
        id,
        patient,
        VitalPart { at, values },
    )))))
}

/// The frequency of `dosageInstruction[0].timing.repeat` in words, e.g. `twice daily`.
fn timing_text(res: &Res) -> Read<String> {
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

/// The name of the medication a MedicationRequest orders.
fn medication_name(res: &Res, lookup: &dyn Lookup) -> Read<String> {
    if let Some(name) = res.concept_text("medicationCodeableConcept") {
        return Ok(name.to_string());
    }
    let Some(reference) = res.str("medicationReference.reference") else {
        return res
            .str("medicationReference.display")
            .map(str::to_string)
            .ok_or_else(|| {
                Unusable::new(
                    "medicationCodeableConcept",
                    "is missing (and so is medicationReference)",
                )
            });
    };
    let from_resource = |m: &Value| Res { value: m }.concept_text("code").map(str::to_string);
    let found = match parse_reference(reference) {
        Some(Target::Contained(cid)) => res
            .array("contained")
            .iter()
            .find(|c| c.get("id").and_then(Value::as_str) == Some(cid.as_str()))
            .and_then(from_resource),
        _ => match lookup.find(reference) {
            Some(("Medication", _, m)) => from_resource(m),
            _ => match parse_reference(reference) {
                Some(Target::Typed(t, mid)) if t == "Medication" => {
                    lookup.medication_name(&mid).map(str::to_string)
                }
                Some(Target::Urn(u)) => lookup
                    .medication_name(u.rsplit(':').next().unwrap_or_default())
                    .map(str::to_string),
                _ => None,
            },
        },
    };
    found
        .or_else(|| res.str("medicationReference.display").map(str::to_string))
        .ok_or_else(|| {
            Unusable::new(
                "medicationReference",
                "points to no Medication with a name that this import has read",
            )
        })
}

fn medication(res: &Res, id: String, lookup: &dyn Lookup) -> Read<Converted> {
    let patient = patient_ref(res, "subject", lookup)?;
    let name = medication_name(res, lookup)?;
    let status = match res.str("status").unwrap_or("active") {
        "stopped" | "completed" | "cancelled" => "stopped",
        other => other,
    };
    let start = res.when("authoredOn")?.and_then(|w| w.date());
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
    Ok(Converted::Row(Box::new(Row::Medication(staged(
        id.clone(),
        patient,
        medications::ActiveModel {
            id: Set(id),
            patient_id: NotSet,
            medication: Set(fit(&name, 200)),
            dose: Set(fit(&dose, 64)),
            route: Set(fit(route, 32)),
            frequency: Set(fit(&frequency, 64)),
            status: Set(fit(status, 16)),
            start_date: Set(start),
            end_date: Set(None),
            prescriber: Set(fit(
                res.reference_display(&["requester"]).unwrap_or_default(),
                200,
            )),
        },
    )))))
}

fn note(res: &Res, id: String, lookup: &dyn Lookup) -> Read<Converted> {
    let content = res.array("content");
    let text_at = (0..content.len()).find(|i| {
        let ct = res
            .str(&format!("content[{i}].attachment.contentType"))
            .unwrap_or("text/plain");
        ct.starts_with("text/") && res.str(&format!("content[{i}].attachment.data")).is_some()
    });
    let Some(i) = text_at else {
        return Ok(Converted::NotUsed(
            "DocumentReference (no text attachment)".into(),
        ));
    };
    let patient = patient_ref(res, "subject", lookup)?;
    let field = format!("content[{i}].attachment.data");
    let data: String = res
        .str(&field)
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.as_bytes())
        .map_err(|_| Unusable::new(&field, "is not valid base64"))?;
    let text = String::from_utf8(bytes).map_err(|_| Unusable::new(&field, "is not UTF-8 text"))?;
    let codes = res.codes("type");
    let note_type = if codes.contains(&"11506-3") {
        "progress"
    } else if codes.contains(&"18842-5") {
        "discharge"
    } else if codes.contains(&"11488-4") {
        "consult"
    } else if codes.contains(&"34746-8") {
        "nursing"
    } else if codes.contains(&"34117-2") {
        "admission"
    } else {
        res.first_str(&["type.coding[0].display", "type.text"])
            .unwrap_or("note")
    };
    let written = res
        .first_when(&[
            "date",
            "context.period.start",
            &format!("content[{i}].attachment.creation"),
        ])?
        .and_then(|w| w.instant());
    Ok(Converted::Row(Box::new(Row::Note(staged(
        id.clone(),
        patient,
        clinical_notes::ActiveModel {
            id: Set(id),
            patient_id: NotSet,
            written_at: Set(written),
            note_type: Set(fit(&note_type.to_lowercase(), 32)),
            author: Set(fit(
                res.reference_display(&["author[0]"]).unwrap_or_default(),
                200,
            )),
            text: Set(text),
        },
    )))))
}

fn claim(res: &Res, id: String, lookup: &dyn Lookup) -> Read<Converted> {
    if res.str("use").is_some_and(|u| u != "claim") {
        return Ok(Converted::NotUsed("Claim (not use=claim)".into()));
    }
    let patient = patient_ref(res, "patient", lookup)?;
    let submitted = res.when("created")?.and_then(|w| w.date()).ok_or_else(|| {
        Unusable::new(
            "created",
            "is missing or partial (FHIR R4 requires the date the claim was created)",
        )
    })?;
    let service = res
        .first_when(&[
            "billablePeriod.start",
            "item[0].servicedDate",
            "item[0].servicedPeriod.start",
        ])?
        .and_then(|w| w.date());
    let payer = res
        .first_str(&["insurance[0].coverage.display", "insurer.display"])
        .map(|p| fit(p, 200));
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
        return Err(Unusable::new("total.value", "is out of range"));
    }
    let mut codes: Vec<String> = Vec::new();
    let mut condition_ids = Vec::new();
    for i in 0..res.array("diagnosis").len() {
        if let Some(code) = res.str(&format!(
            "diagnosis[{i}].diagnosisCodeableConcept.coding[0].code"
        )) {
            if !codes.iter().any(|c| c == code) {
                codes.push(fit(code, 32));
            }
        } else if let Some(r) = res.str(&format!("diagnosis[{i}].diagnosisReference.reference")) {
            if let Some(cid) = referenced_id(r, "Condition", lookup) {
                condition_ids.push(cid);
            }
        }
    }
    Ok(Converted::Row(Box::new(Row::Claim(staged(
        id.clone(),
        patient,
        ClaimRow {
            row: insurance_claims::ActiveModel {
                id: Set(id),
                patient_id: NotSet,
                service_date: Set(service),
                submitted_at: Set(submitted),
                payer: Set(payer.clone().unwrap_or_default()),
                status: Set(fit(status, 16)),
                billed_cents: Set(billed_cents as i64),
                paid_cents: Set(0),
                diagnosis_codes: NotSet,
            },
            codes,
            condition_ids,
            payer,
        },
    )))))
}

fn iso(w: Option<super::read::When>) -> Option<String> {
    w.map(|w| w.iso())
}

fn allergy(res: &Res, id: String, lookup: &dyn Lookup) -> Read<Converted> {
    let patient = patient_ref(res, "patient", lookup)?;
    let substance = res
        .concept_text("code")
        .or_else(|| res.concept_text("reaction[0].substance"))
        .unwrap_or_default();
    let code = res
        .str("code.coding[0].code")
        .or_else(|| res.str("reaction[0].substance.coding[0].code"))
        .unwrap_or_default();
    let categories: Vec<&str> = res.array("category").iter().filter_map(text_of).collect();
    let mut manifestations: Vec<&str> = vec![];
    for r in 0..res.array("reaction").len() {
        for m in 0..res.array(&format!("reaction[{r}].manifestation")).len() {
            if let Some(t) = res.concept_text(&format!("reaction[{r}].manifestation[{m}]")) {
                if !manifestations.contains(&t) {
                    manifestations.push(t);
                }
            }
        }
    }
    let onset = res.first_when(&["onsetDateTime", "onsetPeriod.start"])?;
    let mut note = res.notes();
    if let Some(s) = res.str("onsetString") {
        note = [format!("Onset: {s}"), note]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    Ok(Converted::Row(Box::new(Row::Allergy(staged(
        id.clone(),
        patient,
        allergies::ActiveModel {
            id: Set(id),
            patient_id: NotSet,
            code: Set(fit(code, 32)),
            substance: Set(fit(substance, 200)),
            allergy_type: Set(fit(res.str("type").unwrap_or_default(), 16)),
            category: Set(fit(&categories.join(", "), 64)),
            criticality: Set(fit(res.str("criticality").unwrap_or_default(), 16)),
            clinical_status: Set(fit(
                res.first_str(&["clinicalStatus.coding[0].code", "clinicalStatus.text"])
                    .unwrap_or_default(),
                32,
            )),
            verification_status: Set(fit(
                res.first_str(&[
                    "verificationStatus.coding[0].code",
                    "verificationStatus.text",
                ])
                .unwrap_or_default(),
                32,
            )),
            reaction: Set(fit(&manifestations.join(", "), 200)),
            severity: Set(fit(res.str("reaction[0].severity").unwrap_or_default(), 16)),
            onset_date: Set(iso(onset)),
            recorded_date: Set(iso(res.when("recordedDate")?)),
            note: Set(note),
        },
    )))))
}

fn procedure(res: &Res, id: String, lookup: &dyn Lookup) -> Read<Converted> {
    let patient = patient_ref(res, "subject", lookup)?;
    let start = res.first_when(&["performedDateTime", "performedPeriod.start"])?;
    let end = res.when("performedPeriod.end")?;
    let mut note = res.notes();
    if let Some(s) = res.str("performedString") {
        note = [format!("Performed: {s}"), note]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    let mut reason = res.concepts_joined("reasonCode");
    if reason.is_empty() {
        reason = res
            .array("reasonReference")
            .iter()
            .filter_map(|r| r.get("display").and_then(text_of))
            .collect::<Vec<_>>()
            .join("; ");
    }
    Ok(Converted::Row(Box::new(Row::Procedure(staged(
        id.clone(),
        patient,
        procedures::ActiveModel {
            id: Set(id),
            patient_id: NotSet,
            code: Set(fit(res.str("code.coding[0].code").unwrap_or_default(), 32)),
            display: Set(fit(res.concept_display("code").unwrap_or_default(), 200)),
            status: Set(fit(res.str("status").unwrap_or("unknown"), 32)),
            performed_at: Set(iso(start)),
            performed_end: Set(iso(end)),
            reason: Set(fit(&reason, 200)),
            body_site: Set(fit(&res.concepts_joined("bodySite"), 100)),
            performer: Set(fit(
                res.reference_display(&["performer[0].actor"])
                    .unwrap_or_default(),
                200,
            )),
            location: Set(fit(
                res.reference_display(&["location"]).unwrap_or_default(),
                200,
            )),
            outcome: Set(fit(res.concept_text("outcome").unwrap_or_default(), 200)),
            note: Set(note),
        },
    )))))
}

fn immunization(res: &Res, id: String, lookup: &dyn Lookup) -> Read<Converted> {
    let patient = patient_ref(res, "patient", lookup)?;
    let occurred = res.when("occurrenceDateTime")?;
    let mut note = res.notes();
    if let Some(s) = res.str("occurrenceString") {
        note = [format!("Given: {s}"), note]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    let dose = res
        .get("protocolApplied[0].doseNumberPositiveInt")
        .map(Value::to_string)
        .or_else(|| {
            res.str("protocolApplied[0].doseNumberString")
                .map(str::to_string)
        })
        .unwrap_or_default();
    Ok(Converted::Row(Box::new(Row::Immunization(staged(
        id.clone(),
        patient,
        immunizations::ActiveModel {
            id: Set(id),
            patient_id: NotSet,
            vaccine_code: Set(fit(
                res.str("vaccineCode.coding[0].code").unwrap_or_default(),
                32,
            )),
            vaccine: Set(fit(
                res.concept_text("vaccineCode").unwrap_or_default(),
                200,
            )),
            status: Set(fit(res.str("status").unwrap_or("completed"), 32)),
            occurred_at: Set(iso(occurred)),
            status_reason: Set(fit(
                res.concept_text("statusReason").unwrap_or_default(),
                200,
            )),
            lot_number: Set(fit(res.str("lotNumber").unwrap_or_default(), 64)),
            dose_number: Set(fit(&dose, 16)),
            site: Set(fit(res.concept_text("site").unwrap_or_default(), 100)),
            route: Set(fit(res.concept_text("route").unwrap_or_default(), 64)),
            performer: Set(fit(
                res.reference_display(&["performer[0].actor"])
                    .unwrap_or_default(),
                200,
            )),
            location: Set(fit(
                res.reference_display(&["location"]).unwrap_or_default(),
                200,
            )),
            note: Set(note),
        },
    )))))
}

fn report(res: &Res, id: String, lookup: &dyn Lookup) -> Read<Converted> {
    let patient = patient_ref(res, "subject", lookup)?;
    let effective = res.first_when(&["effectiveDateTime", "effectivePeriod.start"])?;
    let mut conclusion = res.str("conclusion").unwrap_or_default().to_string();
    let coded = res.concepts_joined("conclusionCode");
    if !coded.is_empty() {
        conclusion = [conclusion, coded]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
    }
    let results: Vec<String> = res
        .array("result")
        .iter()
        .filter_map(|r| r.get("reference").and_then(Value::as_str))
        .filter_map(|r| referenced_id(r, "Observation", lookup))
        .collect();
    let categories: Vec<&str> = (0..res.array("category").len())
        .filter_map(|i| res.concept_text(&format!("category[{i}]")))
        .collect();
    Ok(Converted::Row(Box::new(Row::Report(staged(
        id.clone(),
        patient,
        diagnostic_reports::ActiveModel {
            id: Set(id),
            patient_id: NotSet,
            code: Set(fit(
                res.array("code.coding")
                    .iter()
                    .find(|c| c.get("system").and_then(Value::as_str) == Some("http://loinc.org"))
                    .and_then(|c| c.get("code").and_then(text_of))
                    .or_else(|| res.str("code.coding[0].code"))
                    .unwrap_or_default(),
                32,
            )),
            display: Set(fit(res.concept_text("code").unwrap_or_default(), 200)),
            category: Set(fit(&categories.join(", "), 100)),
            status: Set(fit(res.str("status").unwrap_or("unknown"), 32)),
            effective_at: Set(iso(effective)),
            issued_at: Set(iso(res.when("issued")?)),
            performer: Set(fit(
                res.reference_display(&["performer[0]", "resultsInterpreter[0]"])
                    .unwrap_or_default(),
                200,
            )),
            conclusion: Set(conclusion),
            result_ids: Set(serde_json::to_string(&results).unwrap_or_else(|_| "[]".into())),
        },
    )))))
}

fn care_plan(res: &Res, id: String, lookup: &dyn Lookup) -> Read<Converted> {
    let patient = patient_ref(res, "subject", lookup)?;
    let category = res.concepts_joined("category");
    let title = res
        .str("title")
        .map(str::to_string)
        .unwrap_or_else(|| category.split("; ").next().unwrap_or_default().to_string());
    let mut addresses = vec![];
    for a in res.array("addresses") {
        match (
            a.get("display").and_then(text_of),
            a.get("reference").and_then(Value::as_str),
        ) {
            (Some(d), _) => addresses.push(Addressed::Text(fit(d, 200))),
            (None, Some(r)) => match parse_reference(r) {
                Some(Target::Contained(cid)) => {
                    let text = res
                        .array("contained")
                        .iter()
                        .find(|c| c.get("id").and_then(Value::as_str) == Some(cid.as_str()))
                        .and_then(|c| Res { value: c }.concept_text("code").map(str::to_string));
                    if let Some(t) = text {
                        addresses.push(Addressed::Text(fit(&t, 200)));
                    }
                }
                _ => {
                    if let Some(cid) = referenced_id(r, "Condition", lookup) {
                        addresses.push(Addressed::Condition(cid));
                    }
                }
            },
            _ => {}
        }
    }
    let mut activities: Vec<String> = vec![];
    for i in 0..res.array("activity").len() {
        let base = format!("activity[{i}]");
        let what = res
            .concept_text(&format!("{base}.detail.code"))
            .or_else(|| res.str(&format!("{base}.detail.description")))
            .or_else(|| res.str(&format!("{base}.reference.display")));
        if let Some(what) = what {
            let status = res.str(&format!("{base}.detail.status"));
            activities.push(match status {
                Some(s) => format!("{} ({s})", fit(what, 200)),
                None => fit(what, 200),
            });
        }
    }
    let description = res
        .first_str(&["description", "text.div"])
        .map(|d| {
            if d.starts_with('<') {
                strip_tags(d)
            } else {
                d.to_string()
            }
        })
        .unwrap_or_default();
    Ok(Converted::Row(Box::new(Row::CarePlan(staged(
        id.clone(),
        patient,
        CarePlanRow {
            row: care_plans::ActiveModel {
                id: Set(id),
                patient_id: NotSet,
                title: Set(fit(&title, 200)),
                category: Set(fit(&category, 200)),
                status: Set(fit(res.str("status").unwrap_or("unknown"), 32)),
                intent: Set(fit(res.str("intent").unwrap_or_default(), 32)),
                period_start: Set(iso(res.when("period.start")?)),
                period_end: Set(iso(res.when("period.end")?)),
                author: Set(fit(
                    res.reference_display(&["author"]).unwrap_or_default(),
                    200,
                )),
                addresses: NotSet,
                activities: Set(serde_json::to_string(&activities).unwrap_or_else(|_| "[]".into())),
                description: Set(description),
            },
            addresses,
        },
    )))))
}

/// The text of an XHTML narrative, without its tags.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Nothing;
    impl Lookup for Nothing {
        fn find(&self, _: &str) -> Option<(&str, &str, &Value)> {
            None
        }
        fn medication_name(&self, _: &str) -> Option<&str> {
            None
        }
    }

    fn convert_one(resource: Value) -> Read<Converted> {
        let rtype = resource["resourceType"].as_str().unwrap().to_string();
        let id = resource_id(&resource, None)?;
        convert(&rtype, &id, &resource, &Nothing)
    }

    #[test]
    fn temperatures_weights_and_heights_are_converted() {
        let v = json!({"f": {"code": "[degF]"}, "lb": {"unit": "lb"}, "k": {"code": "K"},
                       "none": {}, "in": {"code": "[in_i]"}});
        let r = Res { value: &v };
        assert_eq!(Vital::Temperature.normalise(&r, 98.6, "f").unwrap(), 37.0);
        assert_eq!(
            Vital::Temperature.normalise(&r, 37.2, "none").unwrap(),
            37.2
        );
        assert_eq!(Vital::Weight.normalise(&r, 150.0, "lb").unwrap(), 68.04);
        assert_eq!(Vital::Height.normalise(&r, 70.0, "in").unwrap(), 177.8);
        let e = Vital::Temperature.normalise(&r, 310.0, "k").unwrap_err();
        assert_eq!(e.field, "k.code");
    }

    #[test]
    fn a_resource_with_only_its_required_elements_converts() {
        // Observation: status and code (R4), and the subject Ward needs.
        let obs = json!({"resourceType": "Observation", "id": "o1", "status": "final",
            "category": [{"coding": [{"code": "laboratory"}]}],
            "code": {"text": "Glucose"}, "subject": {"reference": "Patient/p1"}});
        let Converted::Row(row) = convert_one(obs).unwrap() else {
            panic!()
        };
        let Row::Lab(l) = *row else { panic!() };
        assert_eq!(l.patient, PatientRef::Id("p1".into()));
        assert_eq!(l.row.collected_at, Set(None));
        // Procedure: status and subject.
        let p = json!({"resourceType": "Procedure", "id": "x", "status": "completed",
            "subject": {"reference": "Patient/p1"}});
        assert!(matches!(
            convert_one(p).unwrap(),
            Converted::Row(r) if matches!(*r, Row::Procedure(_))
        ));
        // Claim without billablePeriod (0..1 in R4).
        let c = json!({"resourceType": "Claim", "id": "c", "status": "active", "use": "claim",
            "patient": {"reference": "Patient/p1"}, "created": "2024-01-02",
            "total": {"value": 12.5}});
        let Converted::Row(row) = convert_one(c).unwrap() else {
            panic!()
        };
        let Row::Claim(c) = *row else { panic!() };
        assert_eq!(c.row.row.service_date, Set(None));
        assert_eq!(c.row.row.billed_cents, Set(1250));
    }

    #[test]
    fn what_ward_cannot_work_without_is_named() {
        let e = convert_one(json!({"resourceType": "Procedure", "id": "x", "status": "done"}))
            .unwrap_err();
        assert_eq!(e.field, "subject");
        // A Patient needs nothing (R4 requires nothing of it): no identifier, no birth date.
        let Converted::Row(row) =
            convert_one(json!({"resourceType": "Patient", "id": "p", "birthDate": "1970"}))
                .unwrap()
        else {
            panic!()
        };
        let Row::Patient(p) = *row else { panic!() };
        assert_eq!((p.mrn, p.birth), (None, None));
        let e = convert_one(json!({"resourceType": "Patient", "id": "p", "birthDate": "7/1/70"}))
            .unwrap_err();
        assert_eq!(e.field, "birthDate");
        let e = convert_one(json!({"resourceType": "Observation", "id": "bad id!"})).unwrap_err();
        assert_eq!(e.field, "id");
    }

    #[test]
    fn entered_in_error_withdraws_the_record() {
        let c = json!({"resourceType": "Condition", "id": "c1",
            "verificationStatus": {"coding": [{"code": "entered-in-error"}]},
            "subject": {"reference": "Patient/p1"}});
        assert!(matches!(
            convert_one(c).unwrap(),
            Converted::Withdrawn {
                table: Table::Conditions,
                ..
            }
        ));
    }

    #[test]
    fn a_resource_without_an_id_gets_a_stable_one() {
        let v = json!({"resourceType": "Basic"});
        assert_eq!(
            resource_id(&v, None).unwrap(),
            resource_id(&v, None).unwrap()
        );
        assert_eq!(
            resource_id(&v, Some("urn:uuid:abc-1")).unwrap(),
            "abc-1".to_string()
        );
    }

    #[test]
    fn narrative_tags_are_stripped() {
        assert_eq!(
            strip_tags("<div xmlns=\"x\"><p>Weight <b>loss</b></p></div>"),
            "Weight loss"
        );
    }
}

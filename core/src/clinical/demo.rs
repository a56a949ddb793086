//! The demo: users of every role (docs/contract.md §9) and 51 synthetic patients
//! (`PAT-001` is John Doe; `PAT-051`, added later from a generator of its own, is over
//! 89) with admissions, labs, vitals, medications, notes that contain PHI as real notes
//! do, claims and accounts. Deterministic: the same data on every machine, anchored to a
//! fixed date, from a seeded generator.

use crate::entity::{
    allergies, billing_accounts, care_plans, clinical_notes, conditions, diagnostic_reports,
    encounters, immunizations, insurance_claims, lab_results, medications, patients, procedures,
    users, vital_signs,
};
use crate::identity::password;
use crate::identity::users::{create_user, find_by_username, NewUser};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait, TransactionTrait,
};
use ward_domain::role::{Role, Roles};

/// A demo user (docs/contract.md §9). The password is `<username>123`.
pub struct DemoUser {
    /// Username.
    pub username: &'static str,
    /// Display name.
    pub display_name: &'static str,
    /// Roles.
    pub roles: &'static [Role],
    /// Care unit.
    pub unit: Option<&'static str>,
    /// Superuser (the demo admin, like the prototype's).
    pub superuser: bool,
}

const fn demo(
    username: &'static str,
    display_name: &'static str,
    roles: &'static [Role],
    unit: Option<&'static str>,
    superuser: bool,
) -> DemoUser {
    DemoUser {
        username,
        display_name,
        roles,
        unit,
        superuser,
    }
}

/// The demo users.
pub const DEMO_USERS: [DemoUser; 7] = [
    demo("admin", "Ada Admin", &[Role::Admin], None, true),
    demo(
        "doctor",
        "Dr. Gregory House",
        &[Role::Doctor],
        Some("4 West"),
        false,
    ),
    demo(
        "doctor2",
        "Dr. Meredith Grey",
        &[Role::Doctor],
        Some("5 East"),
        false,
    ),
    demo(
        "nurse",
        "Nurse Florence Baker",
        &[Role::Nurse],
        Some("4 West"),
        false,
    ),
    demo("billing", "Bill Ledger", &[Role::Billing], None, false),
    demo("reviewer", "Rita Reviewer", &[Role::Reviewer], None, false),
    demo("auditor", "Aldo Auditor", &[Role::Auditor], None, false),
];

/// Number of demo patients drawn from the demo's main generator.
pub const DEMO_PATIENTS: usize = 50;

/// The demo's patient over 89 (issue 25: Safe Harbor aggregates ages from 90 on). Drawn
/// from a generator of its own, so the other patients are as before it existed.
pub const ELDER_PATIENT: &str = "PAT-051";
const ELDER: usize = 51;

/// Every demo patient: the 50 of the main generator, then the elder.
fn all_patients() -> Vec<PatientData> {
    let mut rng = DemoRng(0x5741_5244_2026);
    let mut all: Vec<PatientData> = (1..=DEMO_PATIENTS).map(|n| generate(n, &mut rng)).collect();
    all.push(generate(ELDER, &mut DemoRng(0x454C_4445_5220_2026)));
    all
}

/// The day the demo data is anchored to.
fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 15, 9, 0, 0)
        .single()
        .expect("valid date")
}

/// SplitMix64: a tiny generator whose output never changes between versions.
struct DemoRng(u64);

impl DemoRng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next() as f64 / u64::MAX as f64) * (hi - lo)
    }
}

const GIVEN_MALE: [&str; 20] = [
    "James", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
    "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Paul", "Andrew", "Kenneth", "Kevin",
    "Brian", "George",
];
const GIVEN_FEMALE: [&str; 20] = [
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "Barbara",
    "Susan",
    "Jessica",
    "Sarah",
    "Karen",
    "Lisa",
    "Nancy",
    "Betty",
    "Margaret",
    "Sandra",
    "Ashley",
    "Dorothy",
    "Kimberly",
    "Emily",
    "Donna",
];
const FAMILY: [&str; 30] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
];
const STREETS: [&str; 12] = [
    "Oak Street",
    "Maple Avenue",
    "Cedar Lane",
    "Pine Road",
    "Elm Street",
    "Washington Blvd",
    "Lakeview Drive",
    "Hillcrest Road",
    "Park Avenue",
    "Sunset Boulevard",
    "Willow Way",
    "River Road",
];
const CITIES: [(&str, &str, &str); 8] = [
    ("Springfield", "IL", "62704"),
    ("Riverside", "CA", "92501"),
    ("Franklin", "TN", "37064"),
    ("Greenville", "SC", "29601"),
    ("Madison", "WI", "53703"),
    ("Clinton", "IA", "52732"),
    ("Georgetown", "KY", "40324"),
    ("Salem", "OR", "97301"),
];
const PAYERS: [&str; 5] = [
    "Blue Cross Blue Shield",
    "Aetna",
    "UnitedHealthcare",
    "Cigna",
    "Medicare Part A/B",
];
const ATTENDINGS: [&str; 6] = [
    "Dr. Gregory House",
    "Dr. Meredith Grey",
    "Dr. Lisa Cuddy",
    "Dr. James Wilson",
    "Dr. Miranda Bailey",
    "Dr. Derek Shepherd",
];
const FACILITY: &str = "Ward General Hospital";

/// A condition: ICD-10 code, display, medications (name, dose, route, frequency), labs
/// it makes relevant, admission reason.
struct ConditionSpec {
    code: &'static str,
    display: &'static str,
    meds: &'static [(&'static str, &'static str, &'static str, &'static str)],
    reason: &'static str,
    department: &'static str,
}

const CONDITIONS: [ConditionSpec; 8] = [
    ConditionSpec {
        code: "E11.9",
        display: "Type 2 diabetes mellitus without complications",
        meds: &[
            ("Metformin", "1000 mg", "oral", "twice daily"),
            ("Insulin glargine", "20 units", "subcutaneous", "at bedtime"),
        ],
        reason: "Hyperglycemia",
        department: "Internal Medicine",
    },
    ConditionSpec {
        code: "I10",
        display: "Essential (primary) hypertension",
        meds: &[
            ("Lisinopril", "10 mg", "oral", "once daily"),
            ("Amlodipine", "5 mg", "oral", "once daily"),
        ],
        reason: "Hypertensive urgency",
        department: "Internal Medicine",
    },
    ConditionSpec {
        code: "E78.5",
        display: "Hyperlipidemia, unspecified",
        meds: &[("Atorvastatin", "40 mg", "oral", "once daily")],
        reason: "Chest pain, rule out ACS",
        department: "Cardiology",
    },
    ConditionSpec {
        code: "I50.9",
        display: "Heart failure, unspecified",
        meds: &[
            ("Furosemide", "40 mg", "oral", "once daily"),
            ("Carvedilol", "12.5 mg", "oral", "twice daily"),
        ],
        reason: "Acute decompensated heart failure",
        department: "Cardiology",
    },
    ConditionSpec {
        code: "J44.9",
        display: "Chronic obstructive pulmonary disease, unspecified",
        meds: &[
            ("Tiotropium", "18 mcg", "inhaled", "once daily"),
            ("Albuterol", "90 mcg", "inhaled", "every 4 hours as needed"),
        ],
        reason: "COPD exacerbation",
        department: "Pulmonology",
    },
    ConditionSpec {
        code: "N18.3",
        display: "Chronic kidney disease, stage 3",
        meds: &[("Sodium bicarbonate", "650 mg", "oral", "twice daily")],
        reason: "Acute kidney injury",
        department: "Nephrology",
    },
    ConditionSpec {
        code: "J18.9",
        display: "Pneumonia, unspecified organism",
        meds: &[
            ("Ceftriaxone", "1 g", "intravenous", "once daily"),
            ("Azithromycin", "500 mg", "oral", "once daily"),
        ],
        reason: "Community-acquired pneumonia",
        department: "Internal Medicine",
    },
    ConditionSpec {
        code: "I48.91",
        display: "Unspecified atrial fibrillation",
        meds: &[
            ("Apixaban", "5 mg", "oral", "twice daily"),
            ("Metoprolol succinate", "50 mg", "oral", "once daily"),
        ],
        reason: "Atrial fibrillation with rapid ventricular response",
        department: "Cardiology",
    },
];

/// A lab test: name, LOINC, units, reference range, normal low and high.
const LABS: [(&str, &str, &str, f64, f64, u8); 10] = [
    ("Hemoglobin A1c", "4548-4", "%", 4.0, 5.6, 1),
    ("Glucose", "2345-7", "mg/dL", 70.0, 99.0, 0),
    ("Sodium", "2951-2", "mmol/L", 135.0, 145.0, 0),
    ("Potassium", "2823-3", "mmol/L", 3.5, 5.1, 1),
    ("Creatinine", "2160-0", "mg/dL", 0.6, 1.3, 2),
    ("Hemoglobin", "718-7", "g/dL", 12.0, 17.5, 1),
    ("White blood cell count", "6690-2", "10*3/uL", 4.5, 11.0, 1),
    ("Platelet count", "777-3", "10*3/uL", 150.0, 400.0, 0),
    ("LDL cholesterol", "13457-7", "mg/dL", 0.0, 99.0, 0),
    ("Troponin I", "10839-9", "ng/mL", 0.0, 0.04, 2),
];

fn fmt_value(v: f64, decimals: u8) -> String {
    format!("{v:.prec$}", prec = decimals as usize)
}

/// Everything generated for one patient.
struct PatientData {
    patient: patients::ActiveModel,
    encounters: Vec<encounters::ActiveModel>,
    conditions: Vec<conditions::ActiveModel>,
    labs: Vec<lab_results::ActiveModel>,
    vitals: Vec<vital_signs::ActiveModel>,
    meds: Vec<medications::ActiveModel>,
    notes: Vec<clinical_notes::ActiveModel>,
    claims: Vec<insurance_claims::ActiveModel>,
    account: billing_accounts::ActiveModel,
    records: Records,
}

/// The records of issue 31 for one patient (procedures, immunizations, diagnostic
/// reports, allergies, care plans), drawn from a generator of their own so that the rest
/// of the demo is the same as before they existed.
#[derive(Default)]
struct Records {
    procedures: Vec<procedures::ActiveModel>,
    immunizations: Vec<immunizations::ActiveModel>,
    reports: Vec<diagnostic_reports::ActiveModel>,
    allergies: Vec<allergies::ActiveModel>,
    care_plans: Vec<care_plans::ActiveModel>,
}

/// One encounter's lab panel, for the diagnostic reports.
struct Panel {
    collected: DateTime<Utc>,
    /// (lab row id, LOINC, flag).
    labs: Vec<(String, &'static str, &'static str)>,
    attending: &'static str,
}

fn generate(n: usize, rng: &mut DemoRng) -> PatientData {
    let pid = format!("PAT-{n:03}");
    let male = n == 1 || rng.below(2) == 0;
    let (given, family) = if n == 1 {
        ("John".to_string(), "Doe".to_string())
    } else if n == ELDER {
        ("Henrietta".to_string(), "Vanterpool".to_string())
    } else {
        let g = if male {
            rng.pick(&GIVEN_MALE)
        } else {
            rng.pick(&GIVEN_FEMALE)
        };
        (g.to_string(), rng.pick(&FAMILY).to_string())
    };
    let birth = if n == 1 {
        NaiveDate::from_ymd_opt(1958, 4, 12).expect("valid")
    } else if n == ELDER {
        NaiveDate::from_ymd_opt(1931, 5, 2).expect("valid")
    } else {
        NaiveDate::from_ymd_opt(
            1935 + rng.below(60) as i32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        )
        .expect("valid")
    };
    let (city, state, zip) = *rng.pick(&CITIES);
    let street = format!("{} {}", 10 + rng.below(9000), rng.pick(&STREETS));
    let mrn = format!("{}", 4_000_000 + n * 7919);
    let phone = format!("({}) 555-{:04}", 200 + rng.below(700), 100 + n);
    let email = format!(
        "{}.{}{}@example.com",
        given.to_lowercase(),
        family.to_lowercase(),
        n
    );
    let ssn = format!(
        "9{:02}-{:02}-{:04}",
        10 + rng.below(89),
        10 + rng.below(89),
        1000 + rng.below(8999)
    );
    let unit = if n <= 25 { "4 West" } else { "5 East" };
    let payer = rng.pick(&PAYERS).to_string();
    let member_id = format!("{}{:09}", &payer[..1], 100_000_000 + rng.below(899_999_999));
    let allergies: Vec<&str> = match rng.below(4) {
        0 => vec!["Penicillin"],
        1 => vec!["Sulfa drugs", "Latex"],
        _ => vec![],
    };

    // Conditions: John Doe's are fixed; others get two or three.
    let mut chosen: Vec<usize> = if n == 1 {
        vec![0, 1, 2]
    } else {
        let mut c = vec![rng.below(CONDITIONS.len())];
        for _ in 0..1 + rng.below(2) {
            let k = rng.below(CONDITIONS.len());
            if !c.contains(&k) {
                c.push(k);
            }
        }
        c
    };
    chosen.sort();
    let now = anchor();
    let age = crate::tools::queries::age_on(birth, now.date_naive());
    let sex = if male { "male" } else { "female" };
    let pronoun = if male { "He" } else { "She" };

    let mut data = PatientData {
        patient: patients::ActiveModel {
            id: Set(pid.clone()),
            mrn: Set(Some(mrn.clone())),
            given_name: Set(given.clone()),
            family_name: Set(family.clone()),
            birth_date: Set(Some(birth)),
            sex: Set(sex.into()),
            ssn: Set(ssn),
            phone: Set(phone.clone()),
            email: Set(email),
            address_line: Set(street.clone()),
            city: Set(city.into()),
            state: Set(state.into()),
            zip: Set(zip.into()),
            unit: Set(unit.into()),
            allergies: Set(serde_json::to_string(&allergies).expect("serialises")),
            created_at: Set(now - Duration::days(1200)),
        },
        encounters: vec![],
        conditions: vec![],
        labs: vec![],
        vitals: vec![],
        meds: vec![],
        notes: vec![],
        claims: vec![],
        records: Records::default(),
        account: billing_accounts::ActiveModel {
            patient_id: Set(pid.clone()),
            account_number: Set(format!("{}", 7_000_000_000u64 + n as u64 * 104_729)),
            payer: Set(payer.clone()),
            member_id: Set(member_id),
            balance_cents: Set(0),
            last_payment_date: Set(None),
        },
    };

    for (i, &c) in chosen.iter().enumerate() {
        let spec = &CONDITIONS[c];
        let onset = now.date_naive() - Duration::days(400 + rng.below(3000) as i64);
        data.conditions.push(conditions::ActiveModel {
            id: Set(format!("{pid}-C{}", i + 1)),
            patient_id: Set(pid.clone()),
            code: Set(spec.code.into()),
            display: Set(spec.display.into()),
            clinical_status: Set(if spec.code == "J18.9" {
                "resolved"
            } else {
                "active"
            }
            .into()),
            onset_date: Set(Some(onset)),
        });
        for (j, (name, dose, route, freq)) in spec.meds.iter().enumerate() {
            let stopped = spec.code == "J18.9";
            let start = onset + Duration::days(3);
            data.meds.push(medications::ActiveModel {
                id: Set(format!("{pid}-M{}{}", i + 1, j + 1)),
                patient_id: Set(pid.clone()),
                medication: Set((*name).into()),
                dose: Set((*dose).into()),
                route: Set((*route).into()),
                frequency: Set((*freq).into()),
                status: Set(if stopped { "stopped" } else { "active" }.into()),
                start_date: Set(Some(start)),
                end_date: Set(stopped.then(|| start + Duration::days(10))),
                prescriber: Set(rng.pick(&ATTENDINGS).to_string()),
            });
        }
    }

    let primary = &CONDITIONS[chosen[0]];
    let visits = if n == 1 { 3 } else { 1 + rng.below(3) };
    let mut balance = 0i64;
    let mut panels: Vec<Panel> = vec![];
    for v in 0..visits {
        let eid = format!("{pid}-E{}", v + 1);
        let admitted = now
            - Duration::days((v as i64) * 240 + 5 + rng.below(60) as i64)
            - Duration::hours(rng.below(12) as i64);
        let stay = 2 + rng.below(6) as i64;
        let discharged = (v > 0 || !n.is_multiple_of(5)).then(|| admitted + Duration::days(stay));
        let spec = &CONDITIONS[chosen[v % chosen.len()]];
        let attending = if n <= 25 {
            ATTENDINGS[0]
        } else {
            ATTENDINGS[1]
        };
        let attending = if v == 0 {
            attending
        } else {
            rng.pick(&ATTENDINGS)
        };
        data.encounters.push(encounters::ActiveModel {
            id: Set(eid.clone()),
            patient_id: Set(pid.clone()),
            class: Set(if v == 2 { "emergency" } else { "inpatient" }.into()),
            admitted_at: Set(Some(admitted)),
            discharged_at: Set(discharged),
            department: Set(spec.department.into()),
            reason: Set(spec.reason.into()),
            code: Set(Some(spec.code.into())),
            display: Set(Some(spec.display.into())),
            attending: Set(attending.to_string()),
            facility: Set(FACILITY.into()),
        });

        // A panel of labs on the day after admission.
        let collected = admitted + Duration::hours(14);
        panels.push(Panel {
            collected,
            labs: vec![],
            attending,
        });
        for (k, (name, loinc, units, lo, hi, dec)) in LABS.iter().enumerate() {
            let relevant = match *loinc {
                "4548-4" => chosen.contains(&0),
                "13457-7" => chosen.contains(&2),
                "10839-9" => chosen.iter().any(|c| [2, 3, 7].contains(c)),
                _ => true,
            };
            if !relevant {
                continue;
            }
            let abnormal =
                rng.below(4) == 0 || (n == 1 && (*loinc == "4548-4" || *loinc == "13457-7"));
            let value = if n == 1 && *loinc == "4548-4" {
                [8.2, 7.6, 9.1][v % 3]
            } else if n == 1 && *loinc == "13457-7" {
                [142.0, 128.0, 155.0][v % 3]
            } else if abnormal && *lo > 0.0 && rng.below(3) == 0 {
                lo - (hi - lo) * rng.range(0.05, 0.3)
            } else if abnormal {
                hi + (hi - lo) * rng.range(0.05, 0.5)
            } else {
                rng.range(lo.max(hi * 0.05), *hi)
            };
            let flag = if value > *hi {
                "H"
            } else if value < *lo {
                "L"
            } else {
                ""
            };
            if let Some(panel) = panels.last_mut() {
                panel
                    .labs
                    .push((format!("{eid}-L{:02}", k + 1), loinc, flag));
            }
            data.labs.push(lab_results::ActiveModel {
                id: Set(format!("{eid}-L{:02}", k + 1)),
                patient_id: Set(pid.clone()),
                collected_at: Set(Some(collected)),
                test: Set((*name).into()),
                loinc: Set((*loinc).into()),
                value: Set(fmt_value(value, *dec)),
                units: Set((*units).into()),
                reference_range: Set(format!("{}-{}", fmt_value(*lo, *dec), fmt_value(*hi, *dec))),
                flag: Set(flag.into()),
            });
        }
        for d in 0..3 {
            let t = admitted + Duration::hours(2 + 12 * d);
            data.vitals.push(vital_signs::ActiveModel {
                id: Set(format!("{eid}-V{}", d + 1)),
                patient_id: Set(pid.clone()),
                recorded_at: Set(Some(t)),
                heart_rate: Set(Some((rng.range(62.0, 112.0)).round())),
                systolic: Set(Some((rng.range(108.0, 168.0)).round())),
                diastolic: Set(Some((rng.range(62.0, 98.0)).round())),
                respiratory_rate: Set(Some((rng.range(12.0, 24.0)).round())),
                temperature_c: Set(Some((rng.range(36.4, 38.6) * 10.0).round() / 10.0)),
                spo2: Set(Some((rng.range(89.0, 99.0)).round())),
                weight_kg: Set(Some((rng.range(52.0, 118.0) * 10.0).round() / 10.0)),
                height_cm: Set(None),
                bmi: Set(None),
            });
        }

        // Notes contain PHI the way real notes do: names, dates, places, numbers.
        let date_us = admitted.format("%m/%d/%Y").to_string();
        let family_contact = format!("{} {}", rng.pick(&GIVEN_FEMALE), family);
        let hp =
            format!(
            "ADMISSION H&P. {given} {family} (MRN {mrn}) is a {age} year old {sex} admitted on \
             {date_us} with {reason}. {pronoun} lives at {street}, {city}, {state} {zip}. \
             PMH: {pmh}. Allergies: {allergy}. {contact} (daughter, {phone}) is at bedside. \
             Exam: alert, oriented. Plan: admit to {dept}, labs and telemetry. \
             Attending: {attending}.",
            reason = spec.reason.to_lowercase(),
            pmh = chosen.iter().map(|c| CONDITIONS[*c].display).collect::<Vec<_>>().join("; "),
            allergy = if allergies.is_empty() { "NKDA".to_string() } else { allergies.join(", ") },
            contact = family_contact,
            dept = spec.department,
        );
        let progress = format!(
            "PROGRESS NOTE {date}. Mr./Ms. {family} seen on rounds. Overnight events: none. \
             Vitals stable; BP 132/84, HR 88, SpO2 96% on RA. Labs reviewed, see results. \
             Continue current plan for {display}. Discussed with patient and family; \
             {given} agrees. Dr. {doc} to follow up.",
            date = (admitted + Duration::days(1)).format("%Y-%m-%d"),
            display = spec.display.to_lowercase(),
            doc = attending.trim_start_matches("Dr. "),
        );
        let mut notes = vec![
            ("admission", admitted + Duration::hours(3), hp),
            ("progress", admitted + Duration::days(1), progress),
        ];
        if let Some(out) = discharged {
            notes.push((
                "discharge",
                out,
                format!(
                    "DISCHARGE SUMMARY. Patient: {given} {family}, DOB {dob}, MRN {mrn}. \
                     Admitted {adm}, discharged {dis} in stable condition to home at {street}, \
                     {city}. Diagnosis: {display} ({code}). Follow up with {attending} at \
                     {FACILITY} clinic in 2 weeks; call {phone} with questions.",
                    dob = birth.format("%m/%d/%Y"),
                    adm = admitted.format("%B %-d, %Y"),
                    dis = out.format("%B %-d, %Y"),
                    display = spec.display,
                    code = spec.code,
                ),
            ));
        }
        for (k, (kind, at, text)) in notes.into_iter().enumerate() {
            data.notes.push(clinical_notes::ActiveModel {
                id: Set(format!("{eid}-N{}", k + 1)),
                patient_id: Set(pid.clone()),
                written_at: Set(Some(at)),
                note_type: Set(kind.into()),
                author: Set(attending.to_string()),
                text: Set(text),
            });
        }

        let billed = 250_000 + rng.below(1_500_000) as i64;
        let status = match (v, rng.below(4)) {
            (0, _) => "pending",
            (_, 0) => "denied",
            _ => "paid",
        };
        let paid = if status == "paid" { billed * 8 / 10 } else { 0 };
        balance += if status == "paid" { billed / 10 } else { 0 };
        let service = admitted.date_naive();
        data.claims.push(insurance_claims::ActiveModel {
            id: Set(format!("CLM-{n:03}-{}", v + 1)),
            patient_id: Set(pid.clone()),
            service_date: Set(Some(service)),
            submitted_at: Set(service + Duration::days(stay + 3)),
            payer: Set(payer.clone()),
            status: Set(status.into()),
            billed_cents: Set(billed),
            paid_cents: Set(paid),
            diagnosis_codes: Set(serde_json::to_string(&[spec.code]).expect("serialises")),
        });
        if status == "paid" {
            data.account.last_payment_date = Set(Some(service + Duration::days(stay + 40)));
        }
    }
    let _ = primary;
    data.account.balance_cents = Set(balance);
    data.records = records(n, &pid, birth, &chosen, &allergies, &panels);
    data
}

/// A date as ISO 8601 text.
fn iso_day(d: NaiveDate) -> Option<String> {
    Some(d.format("%Y-%m-%d").to_string())
}

/// An instant as ISO 8601 text in UTC.
fn iso_at(t: DateTime<Utc>) -> Option<String> {
    Some(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// A vaccine: CVX code and name.
const VACCINES: [(&str, &str); 7] = [
    (
        "150",
        "Influenza, injectable, quadrivalent, preservative free",
    ),
    ("208", "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose"),
    ("115", "Tdap"),
    ("216", "Pneumococcal conjugate PCV20"),
    ("187", "Zoster vaccine recombinant"),
    ("43", "Hepatitis B, adult"),
    ("33", "Pneumococcal polysaccharide PPV23"),
];

/// A condition's care plan (SNOMED code, title, activities) and procedure (SNOMED code,
/// name, body site), by index into `CONDITIONS`.
const PLANS: [(&str, &str, &[&str]); 8] = [
    (
        "698360004",
        "Diabetes self management plan",
        &[
            "Diabetic diet",
            "Exercise therapy",
            "Blood glucose monitoring",
        ],
    ),
    (
        "443402002",
        "Lifestyle education regarding hypertension",
        &[
            "Low sodium diet education",
            "Home blood pressure monitoring",
        ],
    ),
    (
        "736285004",
        "Hyperlipidemia clinical management plan",
        &["Lipid-lowering diet", "Statin therapy review"],
    ),
    (
        "735984001",
        "Heart failure self management plan",
        &[
            "Daily weight monitoring",
            "Fluid restriction",
            "Low sodium diet",
        ],
    ),
    (
        "412776001",
        "Chronic obstructive pulmonary disease clinical management plan",
        &[
            "Inhaler technique education",
            "Pulmonary rehabilitation",
            "Smoking cessation support",
        ],
    ),
    (
        "736371001",
        "Chronic kidney disease clinical management plan",
        &["Renal function monitoring", "Renal diet education"],
    ),
    (
        "384758001",
        "Self-care interventions (procedure)",
        &["Antibiotic course", "Deep breathing and coughing exercises"],
    ),
    (
        "736373003",
        "Anticoagulation clinical management plan",
        &["INR-free anticoagulation review", "Bleeding risk education"],
    ),
];

const PROCEDURES: [(&str, &str, &str); 8] = [
    ("36228007", "Ophthalmic examination and evaluation", "Eye"),
    ("29303009", "Electrocardiographic procedure", "Heart"),
    ("76746007", "Cardiovascular stress testing", "Heart"),
    ("433236007", "Transthoracic echocardiography", "Heart"),
    ("127783003", "Spirometry", "Lung"),
    ("306005", "Echography of kidney", "Kidney"),
    ("399208008", "Plain chest X-ray", "Chest"),
    ("250980009", "Cardioversion", "Heart"),
];

/// Lab panels: LOINC, name, the LOINC codes of their results.
const PANELS: [(&str, &str, &[&str]); 5] = [
    (
        "51990-0",
        "Basic metabolic panel - Blood",
        &["2345-7", "2951-2", "2823-3", "2160-0"],
    ),
    (
        "58410-2",
        "CBC panel - Blood by Automated count",
        &["718-7", "6690-2", "777-3"],
    ),
    (
        "57698-3",
        "Lipid panel with direct LDL - Serum or Plasma",
        &["13457-7"],
    ),
    (
        "4548-4",
        "Hemoglobin A1c/Hemoglobin.total in Blood",
        &["4548-4"],
    ),
    (
        "10839-9",
        "Troponin I.cardiac [Mass/volume] in Serum or Plasma",
        &["10839-9"],
    ),
];

/// The name of a lab by LOINC.
fn lab_name(loinc: &str) -> &'static str {
    LABS.iter()
        .find(|l| l.1 == loinc)
        .map(|l| l.0)
        .unwrap_or("result")
}

fn records(
    n: usize,
    pid: &str,
    birth: NaiveDate,
    chosen: &[usize],
    allergy_list: &[&str],
    panels: &[Panel],
) -> Records {
    let mut rng = DemoRng(0x5245_434F_5244_0000 ^ n as u64);
    let now = anchor();
    let today = now.date_naive();
    let age = crate::tools::queries::age_on(birth, today);
    let attending = panels.first().map(|p| p.attending).unwrap_or(ATTENDINGS[0]);
    let mut r = Records::default();
    let immunization =
        |r: &mut Records, k: usize, at: NaiveDate, dose: &str, status: &str, reason: &str| {
            let i = r.immunizations.len() + 1;
            let (code, name) = VACCINES[k];
            r.immunizations.push(immunizations::ActiveModel {
                id: Set(format!("{pid}-I{i:02}")),
                patient_id: Set(pid.to_string()),
                vaccine_code: Set(code.into()),
                vaccine: Set(name.into()),
                status: Set(status.into()),
                occurred_at: Set(iso_day(at)),
                status_reason: Set(reason.into()),
                lot_number: Set(if status == "completed" {
                    format!("{}{:05}", &name[..1], 10_000 + (n * 37 + i * 101) % 89_999)
                } else {
                    String::new()
                }),
                dose_number: Set(dose.into()),
                site: Set(if status == "completed" {
                    "Left deltoid"
                } else {
                    ""
                }
                .into()),
                route: Set(if status == "completed" {
                    "Intramuscular"
                } else {
                    ""
                }
                .into()),
                performer: Set(if status == "completed" {
                    "Nurse Florence Baker"
                } else {
                    ""
                }
                .into()),
                location: Set(FACILITY.into()),
                note: Set(String::new()),
            });
        };
    // Influenza every autumn for the last three seasons (one refused for some).
    let refused = n != 1 && rng.below(5) == 0;
    for (k, year) in [2025, 2024, 2023].into_iter().enumerate() {
        let day = NaiveDate::from_ymd_opt(year, 10, 1 + rng.below(27) as u32).expect("valid");
        if refused && k == 1 {
            immunization(&mut r, 0, day, "", "not-done", "Patient objection");
        } else {
            immunization(&mut r, 0, day, "1", "completed", "");
        }
    }
    immunization(
        &mut r,
        1,
        NaiveDate::from_ymd_opt(2021, 3, 2 + rng.below(20) as u32).expect("valid"),
        "1",
        "completed",
        "",
    );
    immunization(
        &mut r,
        1,
        NaiveDate::from_ymd_opt(2021, 4, 2 + rng.below(20) as u32).expect("valid"),
        "2",
        "completed",
        "",
    );
    immunization(
        &mut r,
        2,
        today - Duration::days(400 + rng.below(3000) as i64),
        "1",
        "completed",
        "",
    );
    if age >= 65 {
        immunization(
            &mut r,
            3,
            today - Duration::days(200 + rng.below(900) as i64),
            "1",
            "completed",
            "",
        );
    }
    if age >= 50 {
        let first = today - Duration::days(700 + rng.below(1500) as i64);
        immunization(&mut r, 4, first, "1", "completed", "");
        immunization(&mut r, 4, first + Duration::days(70), "2", "completed", "");
    }
    if rng.below(3) == 0 {
        immunization(
            &mut r,
            5,
            today - Duration::days(3000 + rng.below(3000) as i64),
            "1",
            "completed",
            "",
        );
    }

    // A procedure for each condition, and a screening colonoscopy from 45 to 75.
    for (i, &c) in chosen.iter().enumerate() {
        let (code, name, site) = PROCEDURES[c];
        let at =
            now - Duration::days(30 + rng.below(700) as i64) - Duration::hours(rng.below(8) as i64);
        let (outcome, note) = match c {
            3 => (
                "Ejection fraction 35%",
                "Moderately reduced left ventricular systolic function.",
            ),
            6 => ("Right lower lobe consolidation", ""),
            7 => ("Sinus rhythm restored", "Synchronised 150 J, one shock."),
            _ => ("Completed without complication", ""),
        };
        r.procedures.push(procedures::ActiveModel {
            id: Set(format!("{pid}-P{}", i + 1)),
            patient_id: Set(pid.to_string()),
            code: Set(code.into()),
            display: Set(name.into()),
            status: Set("completed".into()),
            performed_at: Set(iso_at(at)),
            performed_end: Set(iso_at(at + Duration::minutes(30 + rng.below(60) as i64))),
            reason: Set(CONDITIONS[c].display.into()),
            body_site: Set(site.into()),
            performer: Set(attending.into()),
            location: Set(FACILITY.into()),
            outcome: Set(outcome.into()),
            note: Set(note.into()),
        });
    }
    if (45..=75).contains(&age) || n == 1 {
        let at = if n == 1 {
            Utc.with_ymd_and_hms(2021, 3, 18, 8, 30, 0)
                .single()
                .expect("valid")
        } else {
            now - Duration::days(300 + rng.below(3000) as i64)
        };
        let polyps = n == 1 || rng.below(3) == 0;
        r.procedures.push(procedures::ActiveModel {
            id: Set(format!("{pid}-PC")),
            patient_id: Set(pid.to_string()),
            code: Set("73761001".into()),
            display: Set("Colonoscopy".into()),
            status: Set("completed".into()),
            performed_at: Set(iso_at(at)),
            performed_end: Set(iso_at(at + Duration::minutes(40))),
            reason: Set("Screening for malignant neoplasm of colon".into()),
            body_site: Set("Colon".into()),
            performer: Set("Dr. James Wilson".into()),
            location: Set(FACILITY.into()),
            outcome: Set(if polyps {
                "Two small polyps removed"
            } else {
                "Normal"
            }
            .into()),
            note: Set(if polyps {
                "Tubular adenomas on pathology. Repeat colonoscopy in 5 years."
            } else {
                "No polyps. Repeat colonoscopy in 10 years."
            }
            .into()),
        });
    }

    // A diagnostic report for each lab panel of each encounter.
    for (e, panel) in panels.iter().enumerate() {
        for (code, name, loincs) in PANELS {
            let labs: Vec<&(String, &str, &str)> = panel
                .labs
                .iter()
                .filter(|(_, loinc, _)| loincs.contains(loinc))
                .collect();
            if labs.is_empty() {
                continue;
            }
            let abnormal: Vec<String> = labs
                .iter()
                .filter(|(_, _, flag)| !flag.is_empty())
                .map(|(_, loinc, flag)| {
                    format!(
                        "{} {}",
                        lab_name(loinc),
                        if *flag == "H" { "high" } else { "low" }
                    )
                })
                .collect();
            let ids: Vec<&str> = labs.iter().map(|(id, _, _)| id.as_str()).collect();
            r.reports.push(diagnostic_reports::ActiveModel {
                id: Set(format!("{pid}-E{}-R{code}", e + 1)),
                patient_id: Set(pid.to_string()),
                code: Set(code.into()),
                display: Set(name.into()),
                category: Set("Laboratory".into()),
                status: Set("final".into()),
                effective_at: Set(iso_at(panel.collected)),
                issued_at: Set(iso_at(panel.collected + Duration::hours(3))),
                performer: Set(format!("{FACILITY} Laboratory")),
                conclusion: Set(if abnormal.is_empty() {
                    "Within reference ranges.".into()
                } else {
                    format!("Abnormal: {}.", abnormal.join(", "))
                }),
                result_ids: Set(serde_json::to_string(&ids).expect("serialises")),
            });
        }
    }

    // Allergies: the demo's list as structured rows, or a "no known allergy" statement.
    let recorded = iso_day(today - Duration::days(1200));
    for (i, substance) in allergy_list.iter().enumerate() {
        let (code, category, criticality, reaction, severity) = match *substance {
            "Penicillin" => ("764146007", "medication", "high", "Hives", "moderate"),
            "Sulfa drugs" => ("387406002", "medication", "low", "Rash", "mild"),
            _ => (
                "111088007",
                "environment",
                "high",
                "Contact dermatitis",
                "moderate",
            ),
        };
        r.allergies.push(allergies::ActiveModel {
            id: Set(format!("{pid}-A{}", i + 1)),
            patient_id: Set(pid.to_string()),
            code: Set(code.into()),
            substance: Set((*substance).into()),
            allergy_type: Set("allergy".into()),
            category: Set(category.into()),
            criticality: Set(criticality.into()),
            clinical_status: Set("active".into()),
            verification_status: Set("confirmed".into()),
            reaction: Set(reaction.into()),
            severity: Set(severity.into()),
            onset_date: Set(None),
            recorded_date: Set(recorded.clone()),
            note: Set(String::new()),
        });
    }
    if allergy_list.is_empty() {
        r.allergies.push(allergies::ActiveModel {
            id: Set(format!("{pid}-A0")),
            patient_id: Set(pid.to_string()),
            code: Set("716186003".into()),
            substance: Set("No known allergy".into()),
            allergy_type: Set(String::new()),
            category: Set(String::new()),
            criticality: Set(String::new()),
            clinical_status: Set("active".into()),
            verification_status: Set("confirmed".into()),
            reaction: Set(String::new()),
            severity: Set(String::new()),
            onset_date: Set(None),
            recorded_date: Set(recorded.clone()),
            note: Set(String::new()),
        });
    }

    // A care plan for each condition.
    for (i, &c) in chosen.iter().enumerate() {
        let (_, title, activities) = PLANS[c];
        let resolved = CONDITIONS[c].code == "J18.9";
        let start = today - Duration::days(300 + rng.below(2000) as i64);
        let state = if resolved { "completed" } else { "in-progress" };
        let activities: Vec<String> = activities
            .iter()
            .map(|a| format!("{a} ({state})"))
            .collect();
        r.care_plans.push(care_plans::ActiveModel {
            id: Set(format!("{pid}-CP{}", i + 1)),
            patient_id: Set(pid.to_string()),
            title: Set(title.into()),
            category: Set(title.into()),
            status: Set(if resolved { "completed" } else { "active" }.into()),
            intent: Set("plan".into()),
            period_start: Set(iso_day(start)),
            period_end: Set(resolved
                .then(|| start + Duration::days(14))
                .and_then(iso_day)),
            author: Set(attending.into()),
            addresses: Set(serde_json::to_string(&[CONDITIONS[c].display]).expect("serialises")),
            activities: Set(serde_json::to_string(&activities).expect("serialises")),
            description: Set(String::new()),
        });
    }
    r
}

/// Inserts the demo patients (skipping if any patient exists). Returns how many.
pub async fn seed_patients(db: &DatabaseConnection) -> Result<usize, sea_orm::DbErr> {
    if patients::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let all = all_patients();
    let txn = db.begin().await?;
    patients::Entity::insert_many(all.iter().map(|d| d.patient.clone()))
        .exec(&txn)
        .await?;
    macro_rules! insert_all {
        ($entity:path, $field:ident) => {
            let rows: Vec<_> = all.iter().flat_map(|d| d.$field.clone()).collect();
            for chunk in rows.chunks(200) {
                <$entity>::insert_many(chunk.to_vec()).exec(&txn).await?;
            }
        };
    }
    insert_all!(encounters::Entity, encounters);
    insert_all!(conditions::Entity, conditions);
    insert_all!(lab_results::Entity, labs);
    insert_all!(vital_signs::Entity, vitals);
    insert_all!(medications::Entity, meds);
    insert_all!(clinical_notes::Entity, notes);
    insert_all!(insurance_claims::Entity, claims);
    billing_accounts::Entity::insert_many(all.iter().map(|d| d.account.clone()))
        .exec(&txn)
        .await?;
    insert_records(&txn, all.iter().map(|d| &d.records)).await?;
    txn.commit().await?;
    Ok(all.len())
}

async fn insert_records<'r>(
    txn: &impl sea_orm::ConnectionTrait,
    records: impl Iterator<Item = &'r Records> + Clone,
) -> Result<(), sea_orm::DbErr> {
    macro_rules! insert_all {
        ($entity:path, $field:ident) => {
            let rows: Vec<_> = records.clone().flat_map(|r| r.$field.clone()).collect();
            for chunk in rows.chunks(200) {
                <$entity>::insert_many(chunk.to_vec()).exec(txn).await?;
            }
        };
    }
    insert_all!(procedures::Entity, procedures);
    insert_all!(immunizations::Entity, immunizations);
    insert_all!(diagnostic_reports::Entity, reports);
    insert_all!(allergies::Entity, allergies);
    insert_all!(care_plans::Entity, care_plans);
    Ok(())
}

/// Adds the demo's procedures, immunizations, diagnostic reports, allergies and care plans
/// to a database whose demo patients were seeded before these records existed: when
/// `PAT-001` is the demo's John Doe and none of these tables has a row. Returns how many
/// patients got records.
pub async fn seed_missing_records(db: &DatabaseConnection) -> Result<usize, sea_orm::DbErr> {
    let demo = patients::Entity::find_by_id("PAT-001".to_string())
        .one(db)
        .await?
        .is_some_and(|p| p.given_name == "John" && p.family_name == "Doe");
    let empty = procedures::Entity::find().count(db).await? == 0
        && immunizations::Entity::find().count(db).await? == 0
        && diagnostic_reports::Entity::find().count(db).await? == 0
        && allergies::Entity::find().count(db).await? == 0
        && care_plans::Entity::find().count(db).await? == 0;
    if !demo || !empty {
        return Ok(0);
    }
    let all = all_patients();
    let present: std::collections::HashSet<String> = patients::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let kept: Vec<&Records> = all
        .iter()
        .filter(|d| matches!(&d.patient.id, Set(id) if present.contains(id)))
        .map(|d| &d.records)
        .collect();
    let txn = db.begin().await?;
    insert_records(&txn, kept.iter().copied()).await?;
    txn.commit().await?;
    Ok(kept.len())
}

/// Creates the demo users that do not exist yet. Returns how many were created.
pub async fn seed_users(db: &DatabaseConnection) -> crate::Result<usize> {
    let mut created = 0;
    for u in &DEMO_USERS {
        if find_by_username(db, u.username).await?.is_some() {
            continue;
        }
        create_user(
            db,
            NewUser {
                username: u.username.into(),
                display_name: u.display_name.into(),
                password: format!("{}123", u.username),
                roles: Roles::new(u.roles.iter().copied()),
                unit: u.unit.map(str::to_string),
                superuser: u.superuser,
                patients: vec![],
            },
            // Demo seeding is set-up, not administration: no record.
            None,
        )
        .await?;
        created += 1;
    }
    Ok(created)
}

/// Seeds demo users and patients into an empty database.
pub async fn seed_if_empty(db: &DatabaseConnection) -> anyhow::Result<()> {
    if users::Entity::find().count(db).await? == 0 {
        let n = seed_users(db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        tracing::info!(users = n, "created the demo users");
    }
    let p = seed_patients(db).await?;
    if p > 0 {
        tracing::info!(patients = p, "created the demo patients");
    }
    let r = seed_missing_records(db).await?;
    if r > 0 {
        tracing::info!(
            patients = r,
            "added the demo's newer records to its patients"
        );
    }
    Ok(())
}

/// Refuses to run production with any demo user that still has its demo password.
pub async fn refuse_demo_users(db: &DatabaseConnection) -> anyhow::Result<()> {
    for DemoUser { username, .. } in &DEMO_USERS {
        if let Some(u) = find_by_username(db, username)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
        {
            if u.is_active
                && password::verify_async(format!("{username}123"), u.password_hash).await
            {
                anyhow::bail!(
                    "WARD_ENV=production refuses to start: the demo user '{username}' exists with \
                     its demo password; delete or deactivate it, or change its password"
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_is_deterministic_and_pat_001_is_john_doe() {
        let a = generate(1, &mut DemoRng(7));
        let b = generate(1, &mut DemoRng(7));
        assert_eq!(a.patient.given_name, Set("John".to_string()));
        assert_eq!(a.patient.family_name, Set("Doe".to_string()));
        assert_eq!(a.labs.len(), b.labs.len());
        assert_eq!(a.notes[0].text, b.notes[0].text);
        assert!(a.labs.len() >= 10 && a.notes.len() >= 3);
    }

    #[test]
    fn notes_contain_phi_as_real_notes_do() {
        let d = generate(1, &mut DemoRng(7));
        let Set(text) = d.notes[0].text.clone() else {
            panic!()
        };
        assert!(text.contains("John Doe") && text.contains("MRN"), "{text}");
    }

    #[test]
    fn john_doe_has_every_kind_of_newer_record() {
        let d = generate(1, &mut DemoRng(7));
        let r = &d.records;
        assert!(
            r.immunizations.len() >= 6,
            "flu, COVID, Tdap, PCV20, zoster"
        );
        assert!(r
            .procedures
            .iter()
            .any(|p| p.display == Set("Colonoscopy".to_string())));
        assert!(!r.reports.is_empty() && !r.allergies.is_empty() && r.care_plans.len() == 3);
        // Every report's results are lab rows of the same patient.
        let labs: Vec<String> = d
            .labs
            .iter()
            .map(|l| match &l.id {
                Set(id) => id.clone(),
                _ => unreachable!(),
            })
            .collect();
        for rep in &r.reports {
            let Set(ids) = &rep.result_ids else { panic!() };
            let ids: Vec<String> = serde_json::from_str(ids).unwrap();
            assert!(
                !ids.is_empty() && ids.iter().all(|i| labs.contains(i)),
                "{ids:?}"
            );
        }
    }

    #[test]
    fn the_elder_is_over_89_and_the_others_are_unchanged() {
        let all = all_patients();
        assert_eq!(all.len(), DEMO_PATIENTS + 1);
        let elder = &all[DEMO_PATIENTS].patient;
        assert_eq!(elder.id, Set(ELDER_PATIENT.to_string()));
        let Set(Some(birth)) = elder.birth_date else {
            panic!()
        };
        assert!(crate::tools::queries::age_on(birth, anchor().date_naive()) >= 90);
        // The main generator's patients do not depend on the elder.
        let mut rng = DemoRng(0x5741_5244_2026);
        let first: Vec<PatientData> = (1..=DEMO_PATIENTS).map(|n| generate(n, &mut rng)).collect();
        assert_eq!(first[49].patient.ssn, all[49].patient.ssn);
    }
}

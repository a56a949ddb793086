//! The database reads behind each tool, returning the typed results of
//! `ward_domain::records` as JSON. No access checks here, but none is needed: [`run`] is
//! private to the tool layer and takes an [`Allowed`], which only the policy's `Allow`
//! makes ([`Allowed::decide`], called by [`super::call_tool`] after its other checks); it
//! answers with the result masked for the caller and [`Unreleased`], which only
//! [`crate::audit::release`] opens once the call's audit record is written.

use crate::audit::Unreleased;
use crate::entity::{
    allergies, billing_accounts, care_plans, care_team_assignments, clinical_notes, conditions,
    diagnostic_reports, encounters, immunizations, insurance_claims, lab_results, medications,
    patients, procedures, vital_signs,
};
use crate::error::{Error, Result};
use crate::identity::Principal;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func, NullOrdering};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, ExprTrait, Order, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::Value;
use ward_domain::policy::{Decision, Denial, Grant, PatientRelation, PatientScope, Policy};
use ward_domain::records::{self, *};
use ward_domain::tool::{ToolArgs, ToolName, ValidatedCall};

/// An RFC 3339 timestamp in UTC, to the second.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A date as YYYY-MM-DD.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Age in whole years on `today`.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> i64 {
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age as i64
}

/// A patient's name as shown: given and family names, either of which may be empty.
pub fn full_name(given: &str, family: &str) -> String {
    format!("{given} {family}").trim().to_string()
}

fn to_json<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).expect("records serialise")
}

fn cents(c: i64) -> f64 {
    c as f64 / 100.0
}

/// A call the policy allowed: the only key to [`run`]. Its one constructor asks the
/// policy and answers only its `Allow`.
pub struct Allowed<'a> {
    call: &'a ValidatedCall,
    caller: &'a Principal,
    grant: Grant,
}

impl<'a> Allowed<'a> {
    /// Asks `policy` whether `caller` may make `call` on a patient in `relation`: the
    /// call allowed, or the policy's refusal.
    pub fn decide(
        policy: &Policy,
        caller: &'a Principal,
        call: &'a ValidatedCall,
        relation: PatientRelation,
    ) -> std::result::Result<Allowed<'a>, Denial> {
        match policy.decide(&caller.subject(), call.tool, relation) {
            Decision::Allow(grant) => Ok(Allowed {
                call,
                caller,
                grant,
            }),
            Decision::Deny(d) => Err(d),
        }
    }

    /// Whether access rests on a break-the-glass grant.
    pub fn break_glass(&self) -> bool {
        self.grant.break_glass
    }
}

/// Runs the query of an allowed call and masks its result for the caller's roles; the
/// result is released only by the audit ([`crate::audit::release`]). A search under a
/// care-team scope finds only that caller's care team.
pub(super) async fn run(
    db: &DatabaseConnection,
    allowed: Allowed<'_>,
) -> Result<Unreleased<Value>> {
    let care_team = match allowed.grant.scope {
        PatientScope::Any => None,
        PatientScope::CareTeam => Some(allowed.caller),
    };
    let mut value = query(db, allowed.call, care_team).await?;
    allowed.grant.masks.apply(&mut value);
    Ok(Unreleased::new(value))
}

/// The query for `call`. `care_team` restricts a search to that user's care team.
async fn query(
    db: &DatabaseConnection,
    call: &ValidatedCall,
    care_team: Option<&Principal>,
) -> Result<Value> {
    match &call.args {
        ToolArgs::Search { query, limit } => search(db, query, *limit, care_team).await,
        ToolArgs::Patient {
            patient_id,
            limit,
            filter,
        } => {
            let pid = patient_id.as_str();
            let limit = limit.map(u64::from);
            let filter = filter.as_deref();
            match call.tool {
                ToolName::GetPatientOverview => overview(db, pid).await,
                ToolName::ListAdmissions => admissions(db, pid, limit.unwrap_or(20)).await,
                ToolName::GetLabResults => labs(db, pid, filter, limit.unwrap_or(50)).await,
                ToolName::GetVitalSigns => vitals(db, pid, limit.unwrap_or(20)).await,
                ToolName::GetMedications => meds(db, pid, filter).await,
                ToolName::GetClinicalNotes => notes(db, pid, filter, limit.unwrap_or(20)).await,
                ToolName::GetBillingSummary => billing(db, pid).await,
                ToolName::ListInsuranceClaims => claims(db, pid, filter).await,
                ToolName::ListProcedures => {
                    list_procedures(db, pid, filter, limit.unwrap_or(50)).await
                }
                ToolName::ListImmunizations => {
                    list_immunizations(db, pid, filter, limit.unwrap_or(100)).await
                }
                ToolName::GetDiagnosticReports => {
                    diagnostic_reports(db, pid, filter, limit.unwrap_or(10)).await
                }
                ToolName::ListAllergies => list_allergies(db, pid, filter).await,
                ToolName::ListCarePlans => {
                    list_care_plans(db, pid, filter, limit.unwrap_or(20)).await
                }
                ToolName::SearchPatients => unreachable!("search has search arguments"),
            }
        }
    }
}

fn like_pattern(word: &str) -> String {
    let escaped: String = word
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

fn lower_like(col: patients::Column, pattern: &str) -> sea_orm::sea_query::SimpleExpr {
    contains(patients::Entity, col, pattern)
}

/// `lower(table.col) LIKE pattern` (a pattern from [`like_pattern`]).
fn contains<E: EntityTrait>(
    entity: E,
    col: E::Column,
    pattern: &str,
) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(Func::lower(Expr::col((entity, col))))
        .like(sea_orm::sea_query::LikeExpr::new(pattern.to_string()).escape('\\'))
}

async fn search(
    db: &DatabaseConnection,
    query: &str,
    limit: u32,
    care_team: Option<&Principal>,
) -> Result<Value> {
    let mut cond = Condition::all();
    for word in query.split_whitespace().take(5) {
        let p = like_pattern(word.trim_matches(|c: char| c == ',' || c == '.'));
        cond = cond.add(
            Condition::any()
                .add(lower_like(patients::Column::GivenName, &p))
                .add(lower_like(patients::Column::FamilyName, &p))
                .add(lower_like(patients::Column::Mrn, &p))
                .add(lower_like(patients::Column::Id, &p)),
        );
    }
    if let Some(user) = care_team {
        let mut team = Condition::any();
        if let Some(unit) = &user.unit {
            team = team.add(patients::Column::Unit.eq(unit.as_str()));
        }
        let assigned: Vec<String> = care_team_assignments::Entity::find()
            .select_only()
            .column(care_team_assignments::Column::PatientId)
            .filter(care_team_assignments::Column::UserId.eq(user.id))
            .into_tuple()
            .all(db)
            .await?;
        team = team.add(patients::Column::Id.is_in(assigned));
        cond = cond.add(team);
    }
    let rows = patients::Entity::find()
        .filter(cond)
        .order_by_asc(patients::Column::FamilyName)
        .order_by_asc(patients::Column::GivenName)
        .limit(limit as u64)
        .all(db)
        .await?;
    let matches: Vec<PatientMatch> = rows
        .into_iter()
        .map(|p| PatientMatch {
            name: full_name(&p.given_name, &p.family_name),
            patient_id: p.id,
            mrn: p.mrn,
            birth_date: p.birth_date.map(date),
            sex: p.sex,
        })
        .collect();
    Ok(to_json(PatientSearch {
        count: matches.len(),
        patients: matches,
    }))
}

fn admission_of(e: encounters::Model) -> Admission {
    Admission {
        encounter_id: e.id,
        class: e.class,
        admitted_at: e.admitted_at.map(timestamp),
        discharged_at: e.discharged_at.map(timestamp),
        department: e.department,
        reason: e.reason,
        code: e.code,
        display: e.display,
        attending: e.attending,
        facility: e.facility,
    }
}

async fn patient(db: &DatabaseConnection, pid: &str) -> Result<patients::Model> {
    patients::Entity::find_by_id(pid.to_string())
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("patient"))
}

async fn overview(db: &DatabaseConnection, pid: &str) -> Result<Value> {
    let p = patient(db, pid).await?;
    let conds = conditions::Entity::find()
        .filter(conditions::Column::PatientId.eq(pid))
        .order_by_asc(conditions::Column::Code)
        .all(db)
        .await?;
    let latest = encounters::Entity::find()
        .filter(encounters::Column::PatientId.eq(pid))
        .order_by_with_nulls(
            encounters::Column::AdmittedAt,
            Order::Desc,
            NullOrdering::Last,
        )
        .one(db)
        .await?;
    let account = billing_accounts::Entity::find_by_id(pid.to_string())
        .one(db)
        .await?;
    let allergies = allergy_summary(db, pid, &p.allergies).await?;
    Ok(to_json(PatientOverview {
        name: full_name(&p.given_name, &p.family_name),
        age: p.birth_date.map(|b| age_on(b, Utc::now().date_naive())),
        birth_date: p.birth_date.map(date),
        patient_id: p.id,
        mrn: p.mrn,
        sex: p.sex,
        ssn: p.ssn,
        phone: p.phone,
        email: p.email,
        address: Address {
            line: p.address_line,
            city: p.city,
            state: p.state,
            zip: p.zip,
        },
        insurance: account.map(|a| Insurance {
            payer: a.payer,
            member_id: a.member_id,
        }),
        unit: p.unit,
        allergies,
        conditions: conds
            .into_iter()
            .map(|c| records::Condition {
                code: c.code,
                display: c.display,
                clinical_status: c.clinical_status,
                onset_date: c.onset_date.map(date),
            })
            .collect(),
        latest_admission: latest.map(admission_of),
    }))
}

async fn admissions(db: &DatabaseConnection, pid: &str, limit: u64) -> Result<Value> {
    let rows = encounters::Entity::find()
        .filter(encounters::Column::PatientId.eq(pid))
        .order_by_with_nulls(
            encounters::Column::AdmittedAt,
            Order::Desc,
            NullOrdering::Last,
        )
        .limit(limit)
        .all(db)
        .await?;
    let admissions: Vec<Admission> = rows.into_iter().map(admission_of).collect();
    Ok(to_json(AdmissionList {
        patient_id: pid.to_string(),
        count: admissions.len(),
        admissions,
    }))
}

async fn labs(db: &DatabaseConnection, pid: &str, test: Option<&str>, limit: u64) -> Result<Value> {
    let mut q = lab_results::Entity::find().filter(lab_results::Column::PatientId.eq(pid));
    if let Some(t) = test {
        let p = like_pattern(t);
        q = q.filter(
            Condition::any().add(lab_results::Column::Loinc.eq(t)).add(
                Expr::expr(Func::lower(Expr::col((
                    lab_results::Entity,
                    lab_results::Column::Test,
                ))))
                .like(sea_orm::sea_query::LikeExpr::new(p).escape('\\')),
            ),
        );
    }
    let rows = q
        .order_by_with_nulls(
            lab_results::Column::CollectedAt,
            Order::Desc,
            NullOrdering::Last,
        )
        .order_by_asc(lab_results::Column::Test)
        .limit(limit)
        .all(db)
        .await?;
    let results: Vec<LabResult> = rows.into_iter().map(lab_result_of).collect();
    Ok(to_json(LabResultList {
        patient_id: pid.to_string(),
        count: results.len(),
        results,
    }))
}

fn lab_result_of(r: lab_results::Model) -> LabResult {
    LabResult {
        collected_at: r.collected_at.map(timestamp),
        test: r.test,
        loinc: r.loinc,
        value: r.value,
        units: r.units,
        reference_range: r.reference_range,
        flag: r.flag,
    }
}

async fn vitals(db: &DatabaseConnection, pid: &str, limit: u64) -> Result<Value> {
    let rows = vital_signs::Entity::find()
        .filter(vital_signs::Column::PatientId.eq(pid))
        .order_by_with_nulls(
            vital_signs::Column::RecordedAt,
            Order::Desc,
            NullOrdering::Last,
        )
        .limit(limit)
        .all(db)
        .await?;
    let vitals: Vec<VitalSigns> = rows
        .into_iter()
        .map(|v| VitalSigns {
            recorded_at: v.recorded_at.map(timestamp),
            heart_rate: v.heart_rate,
            systolic: v.systolic,
            diastolic: v.diastolic,
            respiratory_rate: v.respiratory_rate,
            temperature_c: v.temperature_c,
            spo2: v.spo2,
            weight_kg: v.weight_kg,
            height_cm: v.height_cm,
            bmi: v.bmi,
        })
        .collect();
    Ok(to_json(VitalSignsList {
        patient_id: pid.to_string(),
        count: vitals.len(),
        vitals,
    }))
}

async fn meds(db: &DatabaseConnection, pid: &str, status: Option<&str>) -> Result<Value> {
    let mut q = medications::Entity::find().filter(medications::Column::PatientId.eq(pid));
    if let Some(s) = status {
        q = q.filter(medications::Column::Status.eq(s));
    }
    let mut rows = q
        .order_by_with_nulls(
            medications::Column::StartDate,
            Order::Desc,
            NullOrdering::Last,
        )
        .all(db)
        .await?;
    rows.sort_by_key(|m| m.status != "active");
    let medications: Vec<Medication> = rows
        .into_iter()
        .map(|m| Medication {
            medication: m.medication,
            dose: m.dose,
            route: m.route,
            frequency: m.frequency,
            status: m.status,
            start_date: m.start_date.map(date),
            end_date: m.end_date.map(date),
            prescriber: m.prescriber,
        })
        .collect();
    Ok(to_json(MedicationList {
        patient_id: pid.to_string(),
        count: medications.len(),
        medications,
    }))
}

async fn notes(
    db: &DatabaseConnection,
    pid: &str,
    note_type: Option<&str>,
    limit: u64,
) -> Result<Value> {
    let mut q = clinical_notes::Entity::find().filter(clinical_notes::Column::PatientId.eq(pid));
    if let Some(t) = note_type {
        q = q.filter(clinical_notes::Column::NoteType.eq(t.to_lowercase()));
    }
    let rows = q
        .order_by_with_nulls(
            clinical_notes::Column::WrittenAt,
            Order::Desc,
            NullOrdering::Last,
        )
        .limit(limit)
        .all(db)
        .await?;
    let notes: Vec<ClinicalNote> = rows
        .into_iter()
        .map(|n| ClinicalNote {
            note_id: n.id,
            written_at: n.written_at.map(timestamp),
            note_type: n.note_type,
            author: n.author,
            text: n.text,
        })
        .collect();
    Ok(to_json(ClinicalNoteList {
        patient_id: pid.to_string(),
        count: notes.len(),
        notes,
    }))
}

async fn billing(db: &DatabaseConnection, pid: &str) -> Result<Value> {
    let account = billing_accounts::Entity::find_by_id(pid.to_string())
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("billing account"))?;
    let all = insurance_claims::Entity::find()
        .filter(insurance_claims::Column::PatientId.eq(pid))
        .all(db)
        .await?;
    Ok(to_json(BillingSummary {
        patient_id: pid.to_string(),
        account_number: account.account_number,
        payer: account.payer,
        member_id: account.member_id,
        total_billed: cents(all.iter().map(|c| c.billed_cents).sum()),
        total_paid: cents(all.iter().map(|c| c.paid_cents).sum()),
        balance: cents(account.balance_cents),
        open_claims: all
            .iter()
            .filter(|c| c.status == "submitted" || c.status == "pending")
            .count(),
        last_payment_date: account.last_payment_date.map(date),
    }))
}

async fn claims(db: &DatabaseConnection, pid: &str, status: Option<&str>) -> Result<Value> {
    let mut q =
        insurance_claims::Entity::find().filter(insurance_claims::Column::PatientId.eq(pid));
    if let Some(s) = status {
        q = q.filter(insurance_claims::Column::Status.eq(s));
    }
    let rows = q
        .order_by_with_nulls(
            insurance_claims::Column::ServiceDate,
            Order::Desc,
            NullOrdering::Last,
        )
        .all(db)
        .await?;
    let claims: Vec<InsuranceClaim> = rows
        .into_iter()
        .map(|c| InsuranceClaim {
            claim_number: c.id,
            service_date: c.service_date.map(date),
            submitted_at: date(c.submitted_at),
            payer: c.payer,
            status: c.status,
            billed: cents(c.billed_cents),
            paid: cents(c.paid_cents),
            diagnosis_codes: serde_json::from_str(&c.diagnosis_codes).unwrap_or_default(),
        })
        .collect();
    Ok(to_json(ClaimList {
        patient_id: pid.to_string(),
        count: claims.len(),
        claims,
    }))
}

/// The SNOMED CT codes of "no known allergy" statements: recorded as allergies in FHIR,
/// but not a substance to avoid.
pub const NO_KNOWN_ALLERGY_CODES: [&str; 6] = [
    "716186003",  // No known allergy
    "409137002",  // No known drug allergy
    "429625007",  // No known food allergy
    "428607008",  // No known environmental allergy
    "1003774007", // No known Hevea brasiliensis latex allergy
    "1003775008", // No known insect allergy
];

/// Whether an allergy row is in force: not resolved or inactive, not refuted or entered in
/// error.
pub fn allergy_in_force(clinical_status: &str, verification_status: &str) -> bool {
    !matches!(clinical_status, "inactive" | "resolved")
        && !matches!(verification_status, "refuted" | "entered-in-error")
}

/// The overview's allergy list: the substances of the patient's allergies in force (rows
/// of `allergies`, without "no known allergy" statements), after those of the patient's
/// own list (demo data and earlier imports), without repeats.
async fn allergy_summary(db: &DatabaseConnection, pid: &str, listed: &str) -> Result<Vec<String>> {
    let rows = allergies::Entity::find()
        .filter(allergies::Column::PatientId.eq(pid))
        .order_by_asc(allergies::Column::Substance)
        .all(db)
        .await?;
    let mut out: Vec<String> = serde_json::from_str(listed).unwrap_or_default();
    for a in rows {
        let statement = NO_KNOWN_ALLERGY_CODES.contains(&a.code.as_str());
        if statement || !allergy_in_force(&a.clinical_status, &a.verification_status) {
            // A refuted or resolved allergy also leaves the patient's own list.
            if !statement {
                out.retain(|s| !s.eq_ignore_ascii_case(&a.substance));
            }
            continue;
        }
        if !out.iter().any(|s| s.eq_ignore_ascii_case(&a.substance)) {
            out.push(a.substance);
        }
    }
    Ok(out)
}

/// A filter on a record's name (any case, any part) or exact code.
fn name_or_code<E: EntityTrait>(entity: E, name: E::Column, code: E::Column, f: &str) -> Condition {
    Condition::any()
        .add(Expr::col((entity, code)).eq(f))
        .add(contains(entity, name, &like_pattern(f)))
}

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

async fn list_procedures(
    db: &DatabaseConnection,
    pid: &str,
    filter: Option<&str>,
    limit: u64,
) -> Result<Value> {
    let mut q = procedures::Entity::find().filter(procedures::Column::PatientId.eq(pid));
    if let Some(f) = filter {
        q = q.filter(name_or_code(
            procedures::Entity,
            procedures::Column::Display,
            procedures::Column::Code,
            f,
        ));
    }
    let rows = q
        .order_by_with_nulls(
            procedures::Column::PerformedAt,
            Order::Desc,
            NullOrdering::Last,
        )
        .order_by_asc(procedures::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let procedures: Vec<records::Procedure> = rows
        .into_iter()
        .map(|r| records::Procedure {
            procedure_id: r.id,
            code: r.code,
            display: r.display,
            status: r.status,
            performed_at: r.performed_at,
            performed_end: r.performed_end,
            reason: r.reason,
            body_site: r.body_site,
            outcome: r.outcome,
            performer: r.performer,
            location: r.location,
            note: r.note,
        })
        .collect();
    Ok(to_json(ProcedureList {
        patient_id: pid.to_string(),
        count: procedures.len(),
        procedures,
    }))
}

async fn list_immunizations(
    db: &DatabaseConnection,
    pid: &str,
    filter: Option<&str>,
    limit: u64,
) -> Result<Value> {
    let mut q = immunizations::Entity::find().filter(immunizations::Column::PatientId.eq(pid));
    if let Some(f) = filter {
        q = q.filter(name_or_code(
            immunizations::Entity,
            immunizations::Column::Vaccine,
            immunizations::Column::VaccineCode,
            f,
        ));
    }
    let rows = q
        .order_by_with_nulls(
            immunizations::Column::OccurredAt,
            Order::Desc,
            NullOrdering::Last,
        )
        .order_by_asc(immunizations::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let immunizations: Vec<records::Immunization> = rows
        .into_iter()
        .map(|r| records::Immunization {
            immunization_id: r.id,
            vaccine_code: r.vaccine_code,
            vaccine: r.vaccine,
            status: r.status,
            status_reason: r.status_reason,
            occurred_at: r.occurred_at,
            dose_number: r.dose_number,
            lot_number: r.lot_number,
            site: r.site,
            route: r.route,
            performer: r.performer,
            location: r.location,
            note: r.note,
        })
        .collect();
    Ok(to_json(ImmunizationList {
        patient_id: pid.to_string(),
        count: immunizations.len(),
        immunizations,
    }))
}

async fn diagnostic_reports(
    db: &DatabaseConnection,
    pid: &str,
    filter: Option<&str>,
    limit: u64,
) -> Result<Value> {
    let mut q =
        diagnostic_reports::Entity::find().filter(diagnostic_reports::Column::PatientId.eq(pid));
    if let Some(f) = filter {
        q = q.filter(name_or_code(
            diagnostic_reports::Entity,
            diagnostic_reports::Column::Display,
            diagnostic_reports::Column::Code,
            f,
        ));
    }
    let rows = q
        .order_by_with_nulls(
            diagnostic_reports::Column::EffectiveAt,
            Order::Desc,
            NullOrdering::Last,
        )
        .order_by_asc(diagnostic_reports::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    // The results of every report in one query, then back into each report's order.
    let ids: Vec<Vec<String>> = rows.iter().map(|r| json_list(&r.result_ids)).collect();
    let wanted: Vec<String> = ids.iter().flatten().cloned().collect();
    let mut by_id = std::collections::HashMap::new();
    for chunk in wanted.chunks(500) {
        for r in lab_results::Entity::find()
            .filter(lab_results::Column::PatientId.eq(pid))
            .filter(lab_results::Column::Id.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            by_id.insert(r.id.clone(), r);
        }
    }
    let reports: Vec<records::DiagnosticReport> = rows
        .into_iter()
        .zip(ids)
        .map(|(r, ids)| records::DiagnosticReport {
            report_id: r.id,
            code: r.code,
            display: r.display,
            category: r.category,
            status: r.status,
            effective_at: r.effective_at,
            issued_at: r.issued_at,
            performer: r.performer,
            conclusion: r.conclusion,
            results: ids
                .iter()
                .filter_map(|id| by_id.get(id).cloned().map(lab_result_of))
                .collect(),
        })
        .collect();
    Ok(to_json(DiagnosticReportList {
        patient_id: pid.to_string(),
        count: reports.len(),
        reports,
    }))
}

async fn list_allergies(db: &DatabaseConnection, pid: &str, status: Option<&str>) -> Result<Value> {
    let rows = allergies::Entity::find()
        .filter(allergies::Column::PatientId.eq(pid))
        .order_by_asc(allergies::Column::Substance)
        .order_by_asc(allergies::Column::Id)
        .all(db)
        .await?;
    let mut allergies: Vec<records::Allergy> = rows
        .into_iter()
        .filter(|a| {
            status != Some("active") || allergy_in_force(&a.clinical_status, &a.verification_status)
        })
        .map(|a| records::Allergy {
            allergy_id: a.id,
            substance: a.substance,
            code: a.code,
            allergy_type: a.allergy_type,
            category: a.category,
            criticality: a.criticality,
            clinical_status: a.clinical_status,
            verification_status: a.verification_status,
            reaction: a.reaction,
            severity: a.severity,
            onset_date: a.onset_date,
            recorded_date: a.recorded_date,
            note: a.note,
        })
        .collect();
    // Allergies on the patient's own list (demo data, earlier imports) that no row
    // describes are listed too, with what is known: the substance.
    let p = patient(db, pid).await?;
    let listed: Vec<String> = json_list(&p.allergies);
    for (i, substance) in listed.into_iter().enumerate() {
        if !allergies
            .iter()
            .any(|a| a.substance.eq_ignore_ascii_case(&substance))
        {
            allergies.push(records::Allergy {
                allergy_id: format!("{pid}-listed-{}", i + 1),
                substance,
                code: String::new(),
                allergy_type: String::new(),
                category: String::new(),
                criticality: String::new(),
                clinical_status: "active".into(),
                verification_status: String::new(),
                reaction: String::new(),
                severity: String::new(),
                onset_date: None,
                recorded_date: None,
                note: String::new(),
            });
        }
    }
    Ok(to_json(AllergyList {
        patient_id: pid.to_string(),
        count: allergies.len(),
        allergies,
    }))
}

async fn list_care_plans(
    db: &DatabaseConnection,
    pid: &str,
    status: Option<&str>,
    limit: u64,
) -> Result<Value> {
    let mut q = care_plans::Entity::find().filter(care_plans::Column::PatientId.eq(pid));
    if let Some(s) = status {
        q = q.filter(care_plans::Column::Status.eq(s));
    }
    let rows = q
        .order_by_with_nulls(
            care_plans::Column::PeriodStart,
            Order::Desc,
            NullOrdering::Last,
        )
        .order_by_asc(care_plans::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let care_plans: Vec<records::CarePlan> = rows
        .into_iter()
        .map(|c| records::CarePlan {
            care_plan_id: c.id,
            title: c.title,
            category: c.category,
            status: c.status,
            intent: c.intent,
            period_start: c.period_start,
            period_end: c.period_end,
            author: c.author,
            addresses: json_list(&c.addresses),
            activities: json_list(&c.activities),
            description: c.description,
        })
        .collect();
    Ok(to_json(CarePlanList {
        patient_id: pid.to_string(),
        count: care_plans.len(),
        care_plans,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_whole_years() {
        let b = NaiveDate::from_ymd_opt(1960, 6, 15).unwrap();
        assert_eq!(age_on(b, NaiveDate::from_ymd_opt(2020, 6, 14).unwrap()), 59);
        assert_eq!(age_on(b, NaiveDate::from_ymd_opt(2020, 6, 15).unwrap()), 60);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("Do%e_"), "%do\\%e\\_%");
    }
}

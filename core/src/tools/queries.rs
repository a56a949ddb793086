//! The database reads behind each tool, returning the typed results of
//! `ward_domain::records` as JSON. No access checks here: [`super::call_tool`] has made
//! them before any of these runs.

use crate::entity::{
    billing_accounts, care_team_assignments, clinical_notes, conditions, encounters,
    insurance_claims, lab_results, medications, patients, vital_signs,
};
use crate::error::{Error, Result};
use crate::identity::Principal;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::Value;
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

fn to_json<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).expect("records serialise")
}

fn cents(c: i64) -> f64 {
    c as f64 / 100.0
}

/// Runs the query for `call`. `care_team` restricts a search to that user's care team.
pub async fn run(
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
    Expr::expr(Func::lower(Expr::col((patients::Entity, col))))
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
            name: format!("{} {}", p.given_name, p.family_name),
            patient_id: p.id,
            mrn: p.mrn,
            birth_date: date(p.birth_date),
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
        admitted_at: timestamp(e.admitted_at),
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
        .order_by_desc(encounters::Column::AdmittedAt)
        .one(db)
        .await?;
    let account = billing_accounts::Entity::find_by_id(pid.to_string())
        .one(db)
        .await?;
    let allergies: Vec<String> = serde_json::from_str(&p.allergies).unwrap_or_default();
    Ok(to_json(PatientOverview {
        name: format!("{} {}", p.given_name, p.family_name),
        age: age_on(p.birth_date, Utc::now().date_naive()),
        birth_date: date(p.birth_date),
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
        .order_by_desc(encounters::Column::AdmittedAt)
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
        .order_by_desc(lab_results::Column::CollectedAt)
        .order_by_asc(lab_results::Column::Test)
        .limit(limit)
        .all(db)
        .await?;
    let results: Vec<LabResult> = rows
        .into_iter()
        .map(|r| LabResult {
            collected_at: timestamp(r.collected_at),
            test: r.test,
            loinc: r.loinc,
            value: r.value,
            units: r.units,
            reference_range: r.reference_range,
            flag: r.flag,
        })
        .collect();
    Ok(to_json(LabResultList {
        patient_id: pid.to_string(),
        count: results.len(),
        results,
    }))
}

async fn vitals(db: &DatabaseConnection, pid: &str, limit: u64) -> Result<Value> {
    let rows = vital_signs::Entity::find()
        .filter(vital_signs::Column::PatientId.eq(pid))
        .order_by_desc(vital_signs::Column::RecordedAt)
        .limit(limit)
        .all(db)
        .await?;
    let vitals: Vec<VitalSigns> = rows
        .into_iter()
        .map(|v| VitalSigns {
            recorded_at: timestamp(v.recorded_at),
            heart_rate: v.heart_rate,
            systolic: v.systolic,
            diastolic: v.diastolic,
            respiratory_rate: v.respiratory_rate,
            temperature_c: v.temperature_c,
            spo2: v.spo2,
            weight_kg: v.weight_kg,
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
        .order_by_desc(medications::Column::StartDate)
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
            start_date: date(m.start_date),
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
        .order_by_desc(clinical_notes::Column::WrittenAt)
        .limit(limit)
        .all(db)
        .await?;
    let notes: Vec<ClinicalNote> = rows
        .into_iter()
        .map(|n| ClinicalNote {
            note_id: n.id,
            written_at: timestamp(n.written_at),
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
        .order_by_desc(insurance_claims::Column::ServiceDate)
        .all(db)
        .await?;
    let claims: Vec<InsuranceClaim> = rows
        .into_iter()
        .map(|c| InsuranceClaim {
            claim_number: c.id,
            service_date: date(c.service_date),
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

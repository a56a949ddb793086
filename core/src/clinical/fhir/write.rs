//! Writing converted resources: one batch in one serialised transaction. Patients first
//! (matched by id, by an alias an earlier import recorded, or by MRN), then every other
//! row with its patient resolved, upserted by id. A row whose id Ward already holds for
//! another patient is refused rather than moved between patients.

use super::convert::{Addressed, PatientRef, PatientRow, Row, Table, Vital, VitalPart};
use super::IMPORTED_UNIT;
use crate::db::SerializedTxn;
use crate::entity::{
    allergies, billing_accounts, care_plans, clinical_notes, conditions, diagnostic_reports,
    encounters, immunizations, insurance_claims, lab_results, medications, patient_aliases,
    patients, procedures, vital_signs,
};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IdenStatic, IntoActiveModel, Iterable, QueryFilter, QuerySelect,
};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Where a resource came from, for its line in the report.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    /// The file, when importing files.
    pub file: Option<String>,
    /// `entry N` of a bundle or `line N` of an NDJSON file.
    pub entry: Option<String>,
    /// The FHIR resource type.
    pub rtype: String,
    /// `Type/id`.
    pub label: String,
}

/// A converted resource waiting for its batch.
#[derive(Clone, Debug)]
pub enum Item {
    /// A row to write (boxed: rows are large, withdrawals small).
    Row(Box<Row>),
    /// A withdrawn resource whose row is deleted.
    Withdrawn {
        /// The table.
        table: Table,
        /// The row id.
        id: String,
        /// Its patient.
        patient: PatientRef,
    },
}

/// What became of one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
    /// A new row.
    Created,
    /// An existing row, updated.
    Updated,
    /// Not used by Ward, with what it was.
    NotUsed(String),
    /// Could not be used, and why.
    Failed(String),
}

/// Rows of one table waiting to be written: (index of the item, row id, patient, row).
type Pending<T> = Vec<(usize, String, String, T)>;

/// Writes a batch inside `txn` and returns each item's fate, in order. Only a database
/// failure is an error (the caller rolls the batch back).
pub async fn apply(txn: &SerializedTxn, items: Vec<Item>) -> Result<Vec<Fate>, DbErr> {
    let mut fates: Vec<Option<Fate>> = vec![None; items.len()];
    let mut resolved: HashMap<PatientRef, String> = HashMap::new();

    // Patients, one at a time (they are few, and each may match by MRN).
    for (i, item) in items.iter().enumerate() {
        if let Item::Row(row) = item {
            let Row::Patient(p) = row.as_ref() else {
                continue;
            };
            fates[i] = Some(match upsert_patient(txn, p).await? {
                Ok((ward_id, created)) => {
                    resolved.insert(PatientRef::Id(p.id.clone()), ward_id);
                    if created {
                        Fate::Created
                    } else {
                        Fate::Updated
                    }
                }
                Err(reason) => Fate::Failed(reason),
            });
        }
    }

    // Every other item's patient.
    let wanted: HashSet<PatientRef> = items
        .iter()
        .filter_map(|item| match item {
            Item::Row(r) => patient_of(r).cloned(),
            Item::Withdrawn { patient, .. } => Some(patient.clone()),
        })
        .filter(|p| !resolved.contains_key(p))
        .collect();
    resolve_patients(txn, wanted, &mut resolved).await?;
    let ward_patient = |p: &PatientRef| resolved.get(p).cloned();
    let unknown = |p: &PatientRef| {
        Fate::Failed(format!(
            "its patient ({}) is neither in this import nor in Ward",
            p.describe()
        ))
    };

    let mut encounters_rows: Pending<encounters::ActiveModel> = vec![];
    let mut condition_rows: Pending<conditions::ActiveModel> = vec![];
    let mut lab_rows: Pending<lab_results::ActiveModel> = vec![];
    let mut vital_parts: Vec<(usize, String, String, VitalPart)> = vec![];
    let mut medication_rows: Pending<medications::ActiveModel> = vec![];
    let mut note_rows: Pending<clinical_notes::ActiveModel> = vec![];
    let mut claim_rows: Pending<super::convert::ClaimRow> = vec![];
    let mut allergy_rows: Pending<allergies::ActiveModel> = vec![];
    let mut procedure_rows: Pending<procedures::ActiveModel> = vec![];
    let mut immunization_rows: Pending<immunizations::ActiveModel> = vec![];
    let mut report_rows: Pending<diagnostic_reports::ActiveModel> = vec![];
    let mut care_plan_rows: Pending<super::convert::CarePlanRow> = vec![];
    let mut withdrawn: Vec<(usize, Table, String, String)> = vec![];

    macro_rules! route {
        ($i:expr, $s:expr, $into:expr) => {{
            match ward_patient(&$s.patient) {
                Some(pid) => $into.push(($i, $s.id, pid, $s.row)),
                None => fates[$i] = Some(unknown(&$s.patient)),
            }
        }};
    }
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Item::Row(row) => match *row {
                Row::Patient(_) => {}
                Row::Encounter(s) => route!(i, s, encounters_rows),
                Row::Condition(s) => route!(i, s, condition_rows),
                Row::Lab(s) => route!(i, s, lab_rows),
                Row::Vital(s) => route!(i, s, vital_parts),
                Row::Medication(s) => route!(i, s, medication_rows),
                Row::Note(s) => route!(i, s, note_rows),
                Row::Claim(s) => route!(i, s, claim_rows),
                Row::Allergy(s) => route!(i, s, allergy_rows),
                Row::Procedure(s) => route!(i, s, procedure_rows),
                Row::Immunization(s) => route!(i, s, immunization_rows),
                Row::Report(s) => route!(i, s, report_rows),
                Row::CarePlan(s) => route!(i, s, care_plan_rows),
            },
            Item::Withdrawn { table, id, patient } => match ward_patient(&patient) {
                Some(pid) => withdrawn.push((i, table, id, pid)),
                None => fates[i] = Some(Fate::NotUsed("entered in error".into())),
            },
        }
    }

    macro_rules! write_table {
        ($m:ident, $rows:expr) => {{
            let rows = claim_ids(txn, &mut fates, $rows, |ids| {
                existing_owners::<$m::Entity>(txn, $m::Column::Id, $m::Column::PatientId, ids)
            })
            .await?;
            let models: Vec<$m::ActiveModel> = rows
                .into_iter()
                .map(|(_, _, pid, mut row)| {
                    row.patient_id = Set(pid);
                    row
                })
                .collect();
            upsert::<$m::Entity, _>(txn, models, $m::Column::Id).await?;
        }};
    }

    write_table!(encounters, encounters_rows);
    write_table!(conditions, condition_rows);
    write_table!(lab_results, lab_rows);
    write_vitals(txn, &mut fates, vital_parts).await?;
    write_table!(medications, medication_rows);
    write_table!(clinical_notes, note_rows);

    // Claims: diagnosis codes from the Conditions they refer to.
    let claim_rows = claim_ids(txn, &mut fates, claim_rows, |ids| {
        existing_owners::<insurance_claims::Entity>(
            txn,
            insurance_claims::Column::Id,
            insurance_claims::Column::PatientId,
            ids,
        )
    })
    .await?;
    let wanted: Vec<String> = claim_rows
        .iter()
        .flat_map(|(_, _, _, c)| c.condition_ids.clone())
        .collect();
    let condition_codes = column_by_id::<conditions::Entity>(
        txn,
        conditions::Column::Id,
        conditions::Column::Code,
        &wanted,
    )
    .await?;
    let mut payers: Vec<(String, String)> = vec![];
    let claims: Vec<insurance_claims::ActiveModel> = claim_rows
        .into_iter()
        .map(|(_, _, pid, c)| {
            let mut codes = c.codes;
            for cid in &c.condition_ids {
                if let Some(code) = condition_codes.get(cid).filter(|c| !c.is_empty()) {
                    if !codes.contains(code) {
                        codes.push(code.clone());
                    }
                }
            }
            if let Some(p) = c.payer.filter(|p| !p.is_empty()) {
                payers.push((pid.clone(), p));
            }
            let mut row = c.row;
            row.patient_id = Set(pid);
            row.diagnosis_codes =
                Set(serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into()));
            row
        })
        .collect();
    upsert::<insurance_claims::Entity, _>(txn, claims, insurance_claims::Column::Id).await?;
    // An account Ward opened for an imported patient takes the payer of their claims.
    for (pid, payer) in payers {
        let stmt = crate::db::statement(
            txn.get_database_backend(),
            "UPDATE billing_accounts SET payer = $1 \
             WHERE patient_id = $2 AND payer = 'Self-pay' AND account_number LIKE 'FHIR-%'",
            [payer.into(), pid.into()],
        );
        txn.execute_raw(stmt).await?;
    }

    write_table!(allergies, allergy_rows);
    write_table!(procedures, procedure_rows);
    write_table!(immunizations, immunization_rows);
    write_table!(diagnostic_reports, report_rows);

    // Care plans: the text of the Conditions they address.
    let care_plan_rows = claim_ids(txn, &mut fates, care_plan_rows, |ids| {
        existing_owners::<care_plans::Entity>(
            txn,
            care_plans::Column::Id,
            care_plans::Column::PatientId,
            ids,
        )
    })
    .await?;
    let wanted: Vec<String> = care_plan_rows
        .iter()
        .flat_map(|(_, _, _, c)| {
            c.addresses.iter().filter_map(|a| match a {
                Addressed::Condition(id) => Some(id.clone()),
                Addressed::Text(_) => None,
            })
        })
        .collect();
    let condition_text = column_by_id::<conditions::Entity>(
        txn,
        conditions::Column::Id,
        conditions::Column::Display,
        &wanted,
    )
    .await?;
    let plans: Vec<care_plans::ActiveModel> = care_plan_rows
        .into_iter()
        .map(|(_, _, pid, c)| {
            let addresses: Vec<String> = c
                .addresses
                .into_iter()
                .filter_map(|a| match a {
                    Addressed::Text(t) => Some(t),
                    Addressed::Condition(id) => {
                        condition_text.get(&id).filter(|t| !t.is_empty()).cloned()
                    }
                })
                .collect();
            let mut row = c.row;
            row.patient_id = Set(pid);
            row.addresses = Set(serde_json::to_string(&addresses).unwrap_or_else(|_| "[]".into()));
            row
        })
        .collect();
    upsert::<care_plans::Entity, _>(txn, plans, care_plans::Column::Id).await?;

    for (i, table, id, pid) in withdrawn {
        let stmt = crate::db::statement(
            txn.get_database_backend(),
            &format!(
                "DELETE FROM {} WHERE id = $1 AND patient_id = $2",
                table.name()
            ),
            [id.into(), pid.into()],
        );
        let gone = txn.execute_raw(stmt).await?.rows_affected() > 0;
        fates[i] = Some(Fate::NotUsed(
            if gone {
                "entered in error (Ward's record removed)"
            } else {
                "entered in error"
            }
            .into(),
        ));
    }

    Ok(fates
        .into_iter()
        .map(|f| f.unwrap_or_else(|| Fate::Failed("was not written".into())))
        .collect())
}

fn patient_of(row: &Row) -> Option<&PatientRef> {
    Some(match row {
        Row::Patient(_) => return None,
        Row::Encounter(s) => &s.patient,
        Row::Condition(s) => &s.patient,
        Row::Lab(s) => &s.patient,
        Row::Vital(s) => &s.patient,
        Row::Medication(s) => &s.patient,
        Row::Note(s) => &s.patient,
        Row::Claim(s) => &s.patient,
        Row::Allergy(s) => &s.patient,
        Row::Procedure(s) => &s.patient,
        Row::Immunization(s) => &s.patient,
        Row::Report(s) => &s.patient,
        Row::CarePlan(s) => &s.patient,
    })
}

/// Finds Ward's patient for each reference: a patient id, an alias, or an MRN.
async fn resolve_patients(
    txn: &SerializedTxn,
    wanted: HashSet<PatientRef>,
    resolved: &mut HashMap<PatientRef, String>,
) -> Result<(), DbErr> {
    let ids: Vec<String> = wanted
        .iter()
        .filter_map(|p| match p {
            PatientRef::Id(id) => Some(id.clone()),
            PatientRef::Mrn(_) => None,
        })
        .collect();
    let mrns: Vec<String> = wanted
        .iter()
        .filter_map(|p| match p {
            PatientRef::Mrn(m) => Some(m.clone()),
            PatientRef::Id(_) => None,
        })
        .collect();
    for chunk in ids.chunks(500) {
        let found: Vec<String> = patients::Entity::find()
            .select_only()
            .column(patients::Column::Id)
            .filter(patients::Column::Id.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(txn)
            .await?;
        for id in found {
            resolved.insert(PatientRef::Id(id.clone()), id);
        }
        let aliased: Vec<(String, String)> = patient_aliases::Entity::find()
            .select_only()
            .column(patient_aliases::Column::Alias)
            .column(patient_aliases::Column::PatientId)
            .filter(patient_aliases::Column::Alias.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(txn)
            .await?;
        for (alias, pid) in aliased {
            resolved.entry(PatientRef::Id(alias)).or_insert(pid);
        }
    }
    for chunk in mrns.chunks(500) {
        let found: Vec<(String, String)> = patients::Entity::find()
            .select_only()
            .column(patients::Column::Id)
            .column(patients::Column::Mrn)
            .filter(patients::Column::Mrn.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(txn)
            .await?;
        for (id, mrn) in found {
            resolved.insert(PatientRef::Mrn(mrn), id);
        }
    }
    Ok(())
}

/// Inserts or updates one patient. Returns Ward's id and whether the patient is new, or
/// why the resource cannot be used.
async fn upsert_patient(
    txn: &SerializedTxn,
    p: &PatientRow,
) -> Result<Result<(String, bool), String>, DbErr> {
    let mut target = patients::Entity::find_by_id(p.id.clone()).one(txn).await?;
    if target.is_none() {
        if let Some(alias) = patient_aliases::Entity::find_by_id(p.id.clone())
            .one(txn)
            .await?
        {
            target = patients::Entity::find_by_id(alias.patient_id)
                .one(txn)
                .await?;
        }
    }
    let by_mrn = match &p.mrn {
        Some(mrn) => {
            patients::Entity::find()
                .filter(patients::Column::Mrn.eq(mrn.as_str()))
                .one(txn)
                .await?
        }
        None => None,
    };
    let Some(existing) = target.or_else(|| by_mrn.clone()) else {
        patients::ActiveModel {
            id: Set(p.id.clone()),
            mrn: Set(p.mrn.clone()),
            given_name: Set(p.given.clone()),
            family_name: Set(p.family.clone()),
            birth_date: Set(p.birth),
            sex: Set(p.sex.clone()),
            ssn: Set(p.ssn.clone()),
            phone: Set(p.phone.clone()),
            email: Set(p.email.clone()),
            address_line: Set(p.address_line.clone()),
            city: Set(p.city.clone()),
            state: Set(p.state.clone()),
            zip: Set(p.zip.clone()),
            unit: Set(p.unit.clone().unwrap_or_else(|| IMPORTED_UNIT.into())),
            allergies: Set("[]".into()),
            created_at: Set(Utc::now()),
        }
        .insert(txn)
        .await?;
        open_account(txn, &p.id).await?;
        return Ok(Ok((p.id.clone(), true)));
    };
    if let Some(other) = by_mrn.filter(|o| o.id != existing.id) {
        return Ok(Err(format!(
            "identifier: its MRN belongs to another patient in Ward (Patient/{})",
            other.id
        )));
    }
    let ward_id = existing.id.clone();
    if ward_id != p.id {
        // Matched by an alias or by MRN: later references to this id reach the patient.
        patient_aliases::Entity::insert(patient_aliases::ActiveModel {
            alias: Set(p.id.clone()),
            patient_id: Set(ward_id.clone()),
        })
        .on_conflict(
            OnConflict::column(patient_aliases::Column::Alias)
                .update_column(patient_aliases::Column::PatientId)
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    }
    let mut row = existing.into_active_model();
    // An MRN or date of birth the new resource leaves out is kept: it identifies the
    // patient.
    if p.mrn.is_some() {
        row.mrn = Set(p.mrn.clone());
    }
    if p.birth.is_some() {
        row.birth_date = Set(p.birth);
    }
    row.given_name = Set(p.given.clone());
    row.family_name = Set(p.family.clone());
    row.sex = Set(p.sex.clone());
    row.ssn = Set(p.ssn.clone());
    row.phone = Set(p.phone.clone());
    row.email = Set(p.email.clone());
    row.address_line = Set(p.address_line.clone());
    row.city = Set(p.city.clone());
    row.state = Set(p.state.clone());
    row.zip = Set(p.zip.clone());
    // The care-team unit changes only when the source names one: an import never takes
    // a patient off the care team that has them.
    if let Some(unit) = &p.unit {
        row.unit = Set(unit.clone());
    }
    row.update(txn).await?;
    open_account(txn, &ward_id).await?;
    Ok(Ok((ward_id, false)))
}

/// Opens a billing account for an imported patient, unless they have one: numbered `FHIR-`
/// and 16 hex digits of the SHA-256 of the patient id, self-pay until a claim names a
/// payer, no member id, a zero balance.
async fn open_account(txn: &SerializedTxn, patient_id: &str) -> Result<(), DbErr> {
    let digest = hex::encode(Sha256::digest(patient_id.as_bytes()));
    billing_accounts::Entity::insert(billing_accounts::ActiveModel {
        patient_id: Set(patient_id.to_string()),
        account_number: Set(format!("FHIR-{}", digest[..16].to_uppercase())),
        payer: Set("Self-pay".into()),
        member_id: Set(String::new()),
        balance_cents: Set(0),
        last_payment_date: Set(None),
    })
    .on_conflict(
        OnConflict::column(billing_accounts::Column::PatientId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// `id → patient_id` of the rows of `E` with these ids.
async fn existing_owners<E: EntityTrait>(
    txn: &SerializedTxn,
    id: E::Column,
    patient_id: E::Column,
    ids: Vec<String>,
) -> Result<HashMap<String, String>, DbErr> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, String)> = E::find()
            .select_only()
            .column(id)
            .column(patient_id)
            .filter(id.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(txn)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// `id → value` of one column of the rows of `E` with these ids.
async fn column_by_id<E: EntityTrait>(
    txn: &SerializedTxn,
    id: E::Column,
    value: E::Column,
    ids: &[String],
) -> Result<HashMap<String, String>, DbErr> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, String)> = E::find()
            .select_only()
            .column(id)
            .column(value)
            .filter(id.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(txn)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Decides each row's fate against the rows Ward has: a row of another patient refuses
/// the resource; an existing row of the same patient is updated; the rest are new. Of two
/// rows with one id in a batch, the later is written. Returns the rows to write.
async fn claim_ids<T, F, Fut>(
    _txn: &SerializedTxn,
    fates: &mut [Option<Fate>],
    rows: Pending<T>,
    owners: F,
) -> Result<Pending<T>, DbErr>
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: std::future::Future<Output = Result<HashMap<String, String>, DbErr>>,
{
    let ids: Vec<String> = rows.iter().map(|(_, id, _, _)| id.clone()).collect();
    let owner = owners(ids).await?;
    let mut last: HashMap<String, usize> = HashMap::new();
    for (k, (_, id, _, _)) in rows.iter().enumerate() {
        last.insert(id.clone(), k);
    }
    let mut keep = Vec::with_capacity(rows.len());
    for (k, (i, id, pid, row)) in rows.into_iter().enumerate() {
        match owner.get(&id) {
            Some(other) if *other != pid => {
                fates[i] = Some(Fate::Failed(format!(
                    "id: Ward already holds a record with this id for another patient \
                     (Patient/{other})"
                )));
                continue;
            }
            Some(_) => fates[i] = Some(Fate::Updated),
            None if last[&id] != k => fates[i] = Some(Fate::Updated),
            None => fates[i] = Some(Fate::Created),
        }
        if last[&id] == k {
            keep.push((i, id, pid, row));
        }
    }
    Ok(keep)
}

/// Inserts rows, or updates every column of those whose id exists, in chunks.
async fn upsert<E, A>(txn: &SerializedTxn, rows: Vec<A>, id: E::Column) -> Result<(), DbErr>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send + Clone,
{
    if rows.is_empty() {
        return Ok(());
    }
    let columns: Vec<E::Column> = E::Column::iter()
        .filter(|c| c.as_str() != id.as_str())
        .collect();
    for chunk in rows.chunks(100) {
        E::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(id)
                    .update_columns(columns.clone())
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// The id of the vital-signs row of a patient at a time (several Observations share
/// it), or of an Observation without a time (a row of its own).
fn vital_row_id(patient_id: &str, at: Option<DateTime<Utc>>, observation: &str) -> String {
    let key = match at {
        Some(t) => format!("{patient_id}|{}", t.timestamp_millis()),
        None => format!("{patient_id}|obs|{observation}"),
    };
    let digest = hex::encode(Sha256::digest(key.as_bytes()));
    format!("vs-{}", &digest[..40])
}

/// A vital-signs row being merged: id, patient, time, values by [`Vital`] index.
type VitalRow = (
    String,
    String,
    Option<DateTime<Utc>>,
    [Option<f64>; Vital::COUNT],
);

/// Merges vital-sign Observations into the rows of their patient and time: within the
/// batch the first value of a kind wins; over a row Ward has, a new value replaces the
/// old and a missing one keeps it.
async fn write_vitals(
    txn: &SerializedTxn,
    fates: &mut [Option<Fate>],
    parts: Vec<(usize, String, String, VitalPart)>,
) -> Result<(), DbErr> {
    if parts.is_empty() {
        return Ok(());
    }
    let mut rows: Vec<VitalRow> = vec![];
    let mut at_row: HashMap<String, usize> = HashMap::new();
    let mut members: Vec<(usize, String)> = vec![];
    for (i, obs_id, pid, part) in parts {
        let id = vital_row_id(&pid, part.at, &obs_id);
        let k = *at_row.entry(id.clone()).or_insert_with(|| {
            rows.push((id.clone(), pid.clone(), part.at, [None; Vital::COUNT]));
            rows.len() - 1
        });
        for (slot, v) in rows[k].3.iter_mut().zip(part.values) {
            if slot.is_none() {
                *slot = v;
            }
        }
        members.push((i, id));
    }
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let existing = existing_owners::<vital_signs::Entity>(
        txn,
        vital_signs::Column::Id,
        vital_signs::Column::PatientId,
        ids,
    )
    .await?;
    for (i, id) in members {
        fates[i] = Some(if existing.contains_key(&id) {
            Fate::Updated
        } else {
            Fate::Created
        });
    }
    let value = |v: &[Option<f64>; Vital::COUNT], k: Vital| v[k as usize];
    let models: Vec<vital_signs::ActiveModel> = rows
        .iter()
        .map(|(id, pid, at, v)| vital_signs::ActiveModel {
            id: Set(id.clone()),
            patient_id: Set(pid.clone()),
            recorded_at: Set(*at),
            heart_rate: Set(value(v, Vital::HeartRate)),
            systolic: Set(value(v, Vital::Systolic)),
            diastolic: Set(value(v, Vital::Diastolic)),
            respiratory_rate: Set(value(v, Vital::RespiratoryRate)),
            temperature_c: Set(value(v, Vital::Temperature)),
            spo2: Set(value(v, Vital::Spo2)),
            weight_kg: Set(value(v, Vital::Weight)),
            height_cm: Set(value(v, Vital::Height)),
            bmi: Set(value(v, Vital::Bmi)),
        })
        .collect();
    let merged = [
        vital_signs::Column::HeartRate,
        vital_signs::Column::Systolic,
        vital_signs::Column::Diastolic,
        vital_signs::Column::RespiratoryRate,
        vital_signs::Column::TemperatureC,
        vital_signs::Column::Spo2,
        vital_signs::Column::WeightKg,
        vital_signs::Column::HeightCm,
        vital_signs::Column::Bmi,
    ];
    for chunk in models.chunks(100) {
        let mut on_conflict = OnConflict::column(vital_signs::Column::Id);
        for c in merged {
            let name = c.as_str();
            on_conflict.value(
                c,
                Expr::cust(format!("COALESCE(excluded.{name}, vital_signs.{name})")),
            );
        }
        vital_signs::Entity::insert_many(chunk.to_vec())
            .on_conflict(on_conflict.to_owned())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vital_rows_are_keyed_by_patient_and_time() {
        let t = chrono::TimeZone::with_ymd_and_hms(&Utc, 2024, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(
            vital_row_id("p1", Some(t), "a"),
            vital_row_id("p1", Some(t), "b")
        );
        assert_ne!(
            vital_row_id("p1", Some(t), "a"),
            vital_row_id("p2", Some(t), "a")
        );
        assert_ne!(vital_row_id("p1", None, "a"), vital_row_id("p1", None, "b"));
        assert!(vital_row_id("p1", None, "a").len() <= 64);
    }
}

//! FHIR R4 makes the main date of several resources optional (an Encounter's period, an
//! Observation's effective time, a MedicationRequest's `authoredOn`, a DocumentReference's
//! `date`, a Claim's `billablePeriod`): these columns become nullable, so a record whose
//! source left the date out is stored without one instead of being refused.
//!
//! PostgreSQL drops the `NOT NULL`. SQLite cannot alter a column, so each table is rebuilt
//! (create the new shape, copy, drop, rename, re-index) inside this migration's
//! transaction. None of these tables is referenced by a foreign key, so dropping the old
//! one cascades nowhere.

use crate::{cascade, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One table to relax: its name, the column that becomes nullable, its index, and its
/// full new shape (for SQLite's rebuild).
struct Relaxed {
    table: &'static str,
    column: &'static str,
    index: &'static [&'static str],
    shape: fn(&'static str) -> TableCreateStatement,
}

fn base(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(string_len("id", 64).primary_key())
        .col(string_len("patient_id", 64))
        .foreign_key(&mut cascade(name, "patient_id", "patients", "id"))
        .to_owned()
}

fn encounters(name: &'static str) -> TableCreateStatement {
    let mut t = base(name);
    t.col(string_len("class", 32))
        .col(timestamp_with_time_zone_null("admitted_at"))
        .col(timestamp_with_time_zone_null("discharged_at"))
        .col(string_len("department", 100))
        .col(text("reason"))
        .col(string_len_null("code", 32))
        .col(string_len_null("display", 200))
        .col(string_len("attending", 200))
        .col(string_len("facility", 200));
    t
}

fn lab_results(name: &'static str) -> TableCreateStatement {
    let mut t = base(name);
    t.col(timestamp_with_time_zone_null("collected_at"))
        .col(string_len("test", 100))
        .col(string_len("loinc", 32))
        .col(string_len("value", 64))
        .col(string_len("units", 32))
        .col(string_len("reference_range", 64))
        .col(string_len("flag", 8));
    t
}

fn vital_signs(name: &'static str) -> TableCreateStatement {
    let mut t = base(name);
    t.col(timestamp_with_time_zone_null("recorded_at"))
        .col(double_null("heart_rate"))
        .col(double_null("systolic"))
        .col(double_null("diastolic"))
        .col(double_null("respiratory_rate"))
        .col(double_null("temperature_c"))
        .col(double_null("spo2"))
        .col(double_null("weight_kg"));
    t
}

fn medications(name: &'static str) -> TableCreateStatement {
    let mut t = base(name);
    t.col(string_len("medication", 200))
        .col(string_len("dose", 64))
        .col(string_len("route", 32))
        .col(string_len("frequency", 64))
        .col(string_len("status", 16))
        .col(date_null("start_date"))
        .col(date_null("end_date"))
        .col(string_len("prescriber", 200));
    t
}

fn clinical_notes(name: &'static str) -> TableCreateStatement {
    let mut t = base(name);
    t.col(timestamp_with_time_zone_null("written_at"))
        .col(string_len("note_type", 32))
        .col(string_len("author", 200))
        .col(text("text"));
    t
}

fn insurance_claims(name: &'static str) -> TableCreateStatement {
    let mut t = base(name);
    t.col(date_null("service_date"))
        .col(date("submitted_at"))
        .col(string_len("payer", 200))
        .col(string_len("status", 16))
        .col(big_integer("billed_cents"))
        .col(big_integer("paid_cents"))
        .col(text("diagnosis_codes"));
    t
}

const RELAXED: [Relaxed; 6] = [
    Relaxed {
        table: "encounters",
        column: "admitted_at",
        index: &["patient_id", "admitted_at"],
        shape: encounters,
    },
    Relaxed {
        table: "lab_results",
        column: "collected_at",
        index: &["patient_id", "collected_at"],
        shape: lab_results,
    },
    Relaxed {
        table: "vital_signs",
        column: "recorded_at",
        index: &["patient_id", "recorded_at"],
        shape: vital_signs,
    },
    Relaxed {
        table: "medications",
        column: "start_date",
        index: &["patient_id"],
        shape: medications,
    },
    Relaxed {
        table: "clinical_notes",
        column: "written_at",
        index: &["patient_id", "written_at"],
        shape: clinical_notes,
    },
    Relaxed {
        table: "insurance_claims",
        column: "service_date",
        index: &["patient_id", "service_date"],
        shape: insurance_claims,
    },
];

/// The temporary name of a table being rebuilt.
fn staging(table: &str) -> &'static str {
    match table {
        "encounters" => "encounters_relaxed",
        "lab_results" => "lab_results_relaxed",
        "vital_signs" => "vital_signs_relaxed",
        "medications" => "medications_relaxed",
        "clinical_notes" => "clinical_notes_relaxed",
        _ => "insurance_claims_relaxed",
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for r in &RELAXED {
            if m.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Postgres {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {} ALTER COLUMN {} DROP NOT NULL",
                    r.table, r.column
                ))
                .await?;
                continue;
            }
            let tmp = staging(r.table);
            m.create_table((r.shape)(tmp)).await?;
            // Copy by column name, so the copy does not depend on column order.
            let shape = (r.shape)(tmp);
            let columns: Vec<String> = shape
                .get_columns()
                .iter()
                .map(|c| c.get_column_name())
                .collect();
            let list = columns.join(", ");
            db.execute_unprepared(&format!(
                "INSERT INTO {tmp} ({list}) SELECT {list} FROM {}",
                r.table
            ))
            .await?;
            m.drop_table(Table::drop().table(r.table).to_owned())
                .await?;
            m.rename_table(Table::rename().table(tmp, r.table).to_owned())
                .await?;
            m.create_index(index(r.table, r.index)).await?;
        }
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        // Rows without a date may exist by then; they cannot go back under NOT NULL.
        Err(DbErr::Migration(
            "relaxed dates cannot be made required again".into(),
        ))
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

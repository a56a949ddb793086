//! Patients and their clinical and billing records.

use crate::{cascade, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A table keyed by a string id with a `patient_id` column referencing `patients`.
fn patient_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(string_len("id", 64).primary_key())
        .col(string_len("patient_id", 64))
        .foreign_key(&mut cascade(name, "patient_id", "patients", "id"))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("patients")
                .col(string_len("id", 64).primary_key())
                .col(string_len_uniq("mrn", 64))
                .col(string_len("given_name", 100))
                .col(string_len("family_name", 100))
                .col(date("birth_date"))
                .col(string_len("sex", 16))
                .col(string_len("ssn", 16))
                .col(string_len("phone", 32))
                .col(string_len("email", 200))
                .col(string_len("address_line", 200))
                .col(string_len("city", 100))
                .col(string_len("state", 50))
                .col(string_len("zip", 16))
                .col(string_len("unit", 100))
                .col(text("allergies"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("patients", &["family_name", "given_name"]))
            .await?;
        m.create_index(index("patients", &["unit"])).await?;

        let mut t = patient_table("encounters");
        t.col(string_len("class", 32))
            .col(timestamp_with_time_zone("admitted_at"))
            .col(timestamp_with_time_zone_null("discharged_at"))
            .col(string_len("department", 100))
            .col(text("reason"))
            .col(string_len_null("code", 32))
            .col(string_len_null("display", 200))
            .col(string_len("attending", 200))
            .col(string_len("facility", 200));
        m.create_table(t).await?;
        m.create_index(index("encounters", &["patient_id", "admitted_at"]))
            .await?;

        let mut t = patient_table("conditions");
        t.col(string_len("code", 32))
            .col(string_len("display", 200))
            .col(string_len("clinical_status", 32))
            .col(date_null("onset_date"));
        m.create_table(t).await?;
        m.create_index(index("conditions", &["patient_id"])).await?;

        let mut t = patient_table("lab_results");
        t.col(timestamp_with_time_zone("collected_at"))
            .col(string_len("test", 100))
            .col(string_len("loinc", 32))
            .col(string_len("value", 64))
            .col(string_len("units", 32))
            .col(string_len("reference_range", 64))
            .col(string_len("flag", 8));
        m.create_table(t).await?;
        m.create_index(index("lab_results", &["patient_id", "collected_at"]))
            .await?;

        let mut t = patient_table("vital_signs");
        t.col(timestamp_with_time_zone("recorded_at"))
            .col(double_null("heart_rate"))
            .col(double_null("systolic"))
            .col(double_null("diastolic"))
            .col(double_null("respiratory_rate"))
            .col(double_null("temperature_c"))
            .col(double_null("spo2"))
            .col(double_null("weight_kg"));
        m.create_table(t).await?;
        m.create_index(index("vital_signs", &["patient_id", "recorded_at"]))
            .await?;

        let mut t = patient_table("medications");
        t.col(string_len("medication", 200))
            .col(string_len("dose", 64))
            .col(string_len("route", 32))
            .col(string_len("frequency", 64))
            .col(string_len("status", 16))
            .col(date("start_date"))
            .col(date_null("end_date"))
            .col(string_len("prescriber", 200));
        m.create_table(t).await?;
        m.create_index(index("medications", &["patient_id"]))
            .await?;

        let mut t = patient_table("clinical_notes");
        t.col(timestamp_with_time_zone("written_at"))
            .col(string_len("note_type", 32))
            .col(string_len("author", 200))
            .col(text("text"));
        m.create_table(t).await?;
        m.create_index(index("clinical_notes", &["patient_id", "written_at"]))
            .await?;

        let mut t = patient_table("insurance_claims");
        t.col(date("service_date"))
            .col(date("submitted_at"))
            .col(string_len("payer", 200))
            .col(string_len("status", 16))
            .col(big_integer("billed_cents"))
            .col(big_integer("paid_cents"))
            .col(text("diagnosis_codes"));
        m.create_table(t).await?;
        m.create_index(index("insurance_claims", &["patient_id", "service_date"]))
            .await?;

        m.create_table(
            Table::create()
                .table("billing_accounts")
                .col(string_len("patient_id", 64).primary_key())
                .col(string_len_uniq("account_number", 32))
                .col(string_len("payer", 200))
                .col(string_len("member_id", 64))
                .col(big_integer("balance_cents"))
                .col(date_null("last_payment_date"))
                .foreign_key(&mut cascade(
                    "billing_accounts",
                    "patient_id",
                    "patients",
                    "id",
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "billing_accounts",
            "insurance_claims",
            "clinical_notes",
            "medications",
            "vital_signs",
            "lab_results",
            "conditions",
            "encounters",
            "patients",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

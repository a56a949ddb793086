//! More of the clinical record (issue 31): procedures, immunizations, diagnostic reports,
//! allergies and care plans, each keyed by its FHIR resource id like the other clinical
//! tables; height and BMI on vital signs; and `patient_aliases`, the FHIR ids of patients
//! that an import matched to an existing patient by MRN, so that later references to those
//! ids reach the same patient.
//!
//! Dates of these records are kept as ISO 8601 text at the precision the source gave
//! (`2013`, `2013-04`, `2013-04-05`, or an instant in UTC such as `2013-04-05T10:00:00Z`):
//! FHIR allows partial dates there, and the text sorts chronologically.

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
        let mut t = patient_table("procedures");
        t.col(string_len("code", 32))
            .col(string_len("display", 200))
            .col(string_len("status", 32))
            .col(string_len_null("performed_at", 32))
            .col(string_len_null("performed_end", 32))
            .col(string_len("reason", 200))
            .col(string_len("body_site", 100))
            .col(string_len("performer", 200))
            .col(string_len("location", 200))
            .col(string_len("outcome", 200))
            .col(text("note"));
        m.create_table(t).await?;
        m.create_index(index("procedures", &["patient_id", "performed_at"]))
            .await?;

        let mut t = patient_table("immunizations");
        t.col(string_len("vaccine_code", 32))
            .col(string_len("vaccine", 200))
            .col(string_len("status", 32))
            .col(string_len_null("occurred_at", 32))
            .col(string_len("status_reason", 200))
            .col(string_len("lot_number", 64))
            .col(string_len("dose_number", 16))
            .col(string_len("site", 100))
            .col(string_len("route", 64))
            .col(string_len("performer", 200))
            .col(string_len("location", 200))
            .col(text("note"));
        m.create_table(t).await?;
        m.create_index(index("immunizations", &["patient_id", "occurred_at"]))
            .await?;

        let mut t = patient_table("diagnostic_reports");
        t.col(string_len("code", 32))
            .col(string_len("display", 200))
            .col(string_len("category", 100))
            .col(string_len("status", 32))
            .col(string_len_null("effective_at", 32))
            .col(string_len_null("issued_at", 32))
            .col(string_len("performer", 200))
            .col(text("conclusion"))
            .col(text("result_ids"));
        m.create_table(t).await?;
        m.create_index(index("diagnostic_reports", &["patient_id", "effective_at"]))
            .await?;

        let mut t = patient_table("allergies");
        t.col(string_len("code", 32))
            .col(string_len("substance", 200))
            .col(string_len("allergy_type", 16))
            .col(string_len("category", 64))
            .col(string_len("criticality", 16))
            .col(string_len("clinical_status", 32))
            .col(string_len("verification_status", 32))
            .col(string_len("reaction", 200))
            .col(string_len("severity", 16))
            .col(string_len_null("onset_date", 32))
            .col(string_len_null("recorded_date", 32))
            .col(text("note"));
        m.create_table(t).await?;
        m.create_index(index("allergies", &["patient_id"])).await?;

        let mut t = patient_table("care_plans");
        t.col(string_len("title", 200))
            .col(string_len("category", 200))
            .col(string_len("status", 32))
            .col(string_len("intent", 32))
            .col(string_len_null("period_start", 32))
            .col(string_len_null("period_end", 32))
            .col(string_len("author", 200))
            .col(text("addresses"))
            .col(text("activities"))
            .col(text("description"));
        m.create_table(t).await?;
        m.create_index(index("care_plans", &["patient_id", "period_start"]))
            .await?;

        m.create_table(
            Table::create()
                .table("patient_aliases")
                .col(string_len("alias", 64).primary_key())
                .col(string_len("patient_id", 64))
                .foreign_key(&mut cascade(
                    "patient_aliases",
                    "patient_id",
                    "patients",
                    "id",
                ))
                .to_owned(),
        )
        .await?;

        for column in ["height_cm", "bmi"] {
            m.alter_table(
                Table::alter()
                    .table("vital_signs")
                    .add_column(double_null(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["height_cm", "bmi"] {
            m.alter_table(
                Table::alter()
                    .table("vital_signs")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for t in [
            "patient_aliases",
            "care_plans",
            "allergies",
            "diagnostic_reports",
            "immunizations",
            "procedures",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

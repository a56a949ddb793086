//! `insurance_claims`: An insurance claim.

use sea_orm::entity::prelude::*;

/// A row of `insurance_claims`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "insurance_claims")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub service_date: Option<Date>,
    pub submitted_at: Date,
    pub payer: String,
    pub status: String,
    pub billed_cents: i64,
    pub paid_cents: i64,
    #[sea_orm(column_type = "Text")]
    pub diagnosis_codes: String,
}

impl ActiveModelBehavior for ActiveModel {}

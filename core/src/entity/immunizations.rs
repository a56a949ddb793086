//! `immunizations`: A vaccine given, or recorded as not given (FHIR `Immunization`).

use sea_orm::entity::prelude::*;

/// A row of `immunizations`. Dates are ISO 8601 text at the source's precision.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "immunizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub vaccine_code: String,
    pub vaccine: String,
    pub status: String,
    pub occurred_at: Option<String>,
    pub status_reason: String,
    pub lot_number: String,
    pub dose_number: String,
    pub site: String,
    pub route: String,
    pub performer: String,
    pub location: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
}

impl ActiveModelBehavior for ActiveModel {}

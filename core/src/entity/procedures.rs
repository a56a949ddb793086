//! `procedures`: A procedure performed on a patient (FHIR `Procedure`).

use sea_orm::entity::prelude::*;

/// A row of `procedures`. Dates are ISO 8601 text at the source's precision.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "procedures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub code: String,
    pub display: String,
    pub status: String,
    pub performed_at: Option<String>,
    pub performed_end: Option<String>,
    pub reason: String,
    pub body_site: String,
    pub performer: String,
    pub location: String,
    pub outcome: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
}

impl ActiveModelBehavior for ActiveModel {}

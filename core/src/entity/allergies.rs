//! `allergies`: An allergy or intolerance, or a "no known allergy" statement (FHIR
//! `AllergyIntolerance`).

use sea_orm::entity::prelude::*;

/// A row of `allergies`. Dates are ISO 8601 text at the source's precision.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "allergies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub code: String,
    pub substance: String,
    pub allergy_type: String,
    pub category: String,
    pub criticality: String,
    pub clinical_status: String,
    pub verification_status: String,
    pub reaction: String,
    pub severity: String,
    pub onset_date: Option<String>,
    pub recorded_date: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub note: String,
}

impl ActiveModelBehavior for ActiveModel {}

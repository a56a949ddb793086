//! `care_plans`: A care plan (FHIR `CarePlan`).

use sea_orm::entity::prelude::*;

/// A row of `care_plans`. Dates are ISO 8601 text at the source's precision;
/// `addresses` and `activities` are JSON arrays of text.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "care_plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub title: String,
    pub category: String,
    pub status: String,
    pub intent: String,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub author: String,
    #[sea_orm(column_type = "Text")]
    pub addresses: String,
    #[sea_orm(column_type = "Text")]
    pub activities: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
}

impl ActiveModelBehavior for ActiveModel {}

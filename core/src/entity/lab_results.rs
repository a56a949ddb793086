//! `lab_results`: A laboratory result.

use sea_orm::entity::prelude::*;

/// A row of `lab_results`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lab_results")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub collected_at: Option<DateTimeUtc>,
    pub test: String,
    pub loinc: String,
    pub value: String,
    pub units: String,
    pub reference_range: String,
    pub flag: String,
}

impl ActiveModelBehavior for ActiveModel {}

//! `encounters`: An admission or encounter.

use sea_orm::entity::prelude::*;

/// A row of `encounters`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "encounters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub class: String,
    pub admitted_at: Option<DateTimeUtc>,
    pub discharged_at: Option<DateTimeUtc>,
    pub department: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub code: Option<String>,
    pub display: Option<String>,
    pub attending: String,
    pub facility: String,
}

impl ActiveModelBehavior for ActiveModel {}

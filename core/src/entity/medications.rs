//! `medications`: A medication order.

use sea_orm::entity::prelude::*;

/// A row of `medications`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "medications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub medication: String,
    pub dose: String,
    pub route: String,
    pub frequency: String,
    pub status: String,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub prescriber: String,
}

impl ActiveModelBehavior for ActiveModel {}

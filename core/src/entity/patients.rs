//! `patients`: A patient and their demographics.

use sea_orm::entity::prelude::*;

/// A row of `patients`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "patients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub mrn: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<Date>,
    pub sex: String,
    pub ssn: String,
    pub phone: String,
    pub email: String,
    pub address_line: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub unit: String,
    #[sea_orm(column_type = "Text")]
    pub allergies: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}

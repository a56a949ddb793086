//! `conditions`: A coded condition or diagnosis.

use sea_orm::entity::prelude::*;

/// A row of `conditions`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "conditions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub code: String,
    pub display: String,
    pub clinical_status: String,
    pub onset_date: Option<Date>,
}

impl ActiveModelBehavior for ActiveModel {}

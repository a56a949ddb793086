//! `budget_counters`: Micro-dollars spent (and reserved) per scope and UTC day.

use sea_orm::entity::prelude::*;

/// A row of `budget_counters`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_counters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub scope: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    pub spent_micros: i64,
}

impl ActiveModelBehavior for ActiveModel {}

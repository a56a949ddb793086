//! `break_glass_grants`: Time-limited access to a patient outside the care team, with its reason.

use sea_orm::entity::prelude::*;

/// A row of `break_glass_grants`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "break_glass_grants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub patient_id: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub granted_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}

//! `care_team_assignments`: A patient explicitly assigned to a user's care team.

use sea_orm::entity::prelude::*;

/// A row of `care_team_assignments`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "care_team_assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub patient_id: String,
}

impl ActiveModelBehavior for ActiveModel {}

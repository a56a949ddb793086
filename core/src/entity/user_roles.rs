//! `user_roles`: One role held by one user.

use sea_orm::entity::prelude::*;

/// A row of `user_roles`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "user_roles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub role: String,
}

impl ActiveModelBehavior for ActiveModel {}

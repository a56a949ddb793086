//! `rate_limit_locks`: One row per user, locked to serialise that user's rate-limit checks.

use sea_orm::entity::prelude::*;

/// A row of `rate_limit_locks`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_limit_locks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub touched: i64,
}

impl ActiveModelBehavior for ActiveModel {}

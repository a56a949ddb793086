//! `audit_head`: The last link of the audit chain (one row), locked by every append.

use sea_orm::entity::prelude::*;

/// A row of `audit_head`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_head")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub last_seq: i64,
    pub last_hash: String,
    /// The first record hashed with the audit key.
    pub keyed_from: i64,
}

impl ActiveModelBehavior for ActiveModel {}

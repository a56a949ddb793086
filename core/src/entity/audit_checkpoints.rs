//! `audit_checkpoints`: Signed checkpoints of the audit chain (append-only).

use sea_orm::entity::prelude::*;

/// A row of `audit_checkpoints`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_checkpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub seq: i64,
    pub head_hash: String,
    pub keyed_from: i64,
    pub created_at: DateTimeUtc,
    pub signature: String,
}

impl ActiveModelBehavior for ActiveModel {}

//! `audit_events`: One record of the append-only, hash-chained audit trail.

use sea_orm::entity::prelude::*;

/// A row of `audit_events`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub occurred_at: DateTimeUtc,
    pub actor: String,
    pub roles: String,
    pub client_ip: Option<String>,
    pub request_id: Option<String>,
    pub action: String,
    pub patient_id: Option<String>,
    pub tool: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub arguments: Option<String>,
    pub outcome: String,
    #[sea_orm(column_type = "Text")]
    pub reason: Option<String>,
    pub session_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl ActiveModelBehavior for ActiveModel {}

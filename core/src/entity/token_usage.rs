//! `token_usage`: One provider call's tokens and cost: reserved before the call, settled after.

use sea_orm::entity::prelude::*;

/// A row of `token_usage`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "token_usage")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub session_id: Option<String>,
    pub message_id: Option<String>,
    pub provider: String,
    pub model: String,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub reserved_micros: i64,
    pub cost_micros: i64,
    pub settled: bool,
    pub day: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}

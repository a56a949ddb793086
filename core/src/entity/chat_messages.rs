//! `chat_messages`: A stored chat message (compat fields, docs/contract.md §8), ordered by
//! `position` in its session.

use sea_orm::entity::prelude::*;

/// A row of `chat_messages`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub session_id: String,
    pub position: i64,
    pub role: String,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub tool_call_id: Option<String>,
    pub tool_name: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub tool_result: Option<String>,
    pub tokens_used: i32,
    pub incomplete: bool,
    pub created_at: DateTimeUtc,
    /// What the provider was sent for this message (protected); null before issue 25.
    #[sea_orm(column_type = "Text")]
    pub provider_content: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}

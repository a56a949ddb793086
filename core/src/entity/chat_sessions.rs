//! `chat_sessions`: A chat session (compat fields, docs/contract.md §8) with its
//! pseudonymisation vault.

use sea_orm::entity::prelude::*;

/// A row of `chat_sessions`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: i64,
    pub title: String,
    pub patient_id: Option<String>,
    pub is_archived: bool,
    #[sea_orm(column_type = "Text")]
    pub phi_vault: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// While a reply streams: when the turn's lease runs out (see `chat::turn`).
    pub turn_lease_until: Option<DateTimeUtc>,
    /// The banner of `patient_id` as JSON (`ward_domain::chat::PatientBanner`), written
    /// with it when a tool ran on that patient.
    #[sea_orm(column_type = "Text")]
    pub patient_banner: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}

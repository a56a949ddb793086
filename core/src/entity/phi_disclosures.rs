//! `phi_disclosures`: Accounting of disclosures: PHI counts by type sent to a provider, per request.

use sea_orm::entity::prelude::*;

/// A row of `phi_disclosures`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "phi_disclosures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub session_id: String,
    pub provider: String,
    pub model: String,
    pub mode: String,
    #[sea_orm(column_type = "Text")]
    pub tally: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}

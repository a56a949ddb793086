//! `clinical_notes`: A clinical note (free text that contains PHI).

use sea_orm::entity::prelude::*;

/// A row of `clinical_notes`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "clinical_notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub written_at: Option<DateTimeUtc>,
    pub note_type: String,
    pub author: String,
    #[sea_orm(column_type = "Text")]
    pub text: String,
}

impl ActiveModelBehavior for ActiveModel {}

//! The provider's form of each chat message (issue 25): beside the clinician's `content`,
//! `provider_content` holds exactly what the LLM provider was sent (the clinician's text
//! protected, the model's text as it wrote it, with surrogates). Later turns build the
//! provider's view of the history from it and never re-detect the history, so protection
//! within a session only grows. Null for messages stored before this column existed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("chat_messages")
                .add_column(text_null("provider_content"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("chat_messages")
                .drop_column("provider_content")
                .to_owned(),
        )
        .await
    }
}

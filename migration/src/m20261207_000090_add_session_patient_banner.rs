//! The patient banner of a chat session: `chat_sessions.patient_banner` holds, as JSON, the
//! demographics the banner above the conversation shows (name, birth date, MRN, sex,
//! unit), written with `patient_id` when a tool runs on a patient who becomes the session's
//! (see `chat::sessions::bind_patient`), in the transaction of its audit record.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("chat_sessions")
                .add_column(text_null("patient_banner"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("chat_sessions")
                .drop_column("patient_banner")
                .to_owned(),
        )
        .await
    }
}

//! Crash safety of chat turns: the live server processes (`replicas`, each beating a
//! heartbeat), the replica holding a session's turn lease (`chat_sessions.turn_replica`),
//! and the part of a reply streamed so far (`chat_reply_checkpoints`), so that a turn
//! whose replica died is taken over within seconds and its reply is kept, marked
//! interrupted.

use crate::{cascade, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("replicas")
                .col(string_len("id", 64).primary_key())
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone("heartbeat_at"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("chat_sessions")
                .add_column(string_len_null("turn_replica", 64))
                .to_owned(),
        )
        .await?;
        m.create_index(index("chat_sessions", &["turn_lease_until"]))
            .await?;
        m.create_table(
            Table::create()
                .table("chat_reply_checkpoints")
                .col(string_len("session_id", 36).primary_key())
                .col(big_integer("position"))
                .col(text("content"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut cascade(
                    "chat_reply_checkpoints",
                    "session_id",
                    "chat_sessions",
                    "id",
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("chat_reply_checkpoints").to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("ix_chat_sessions_turn_lease_until")
                .table("chat_sessions")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("chat_sessions")
                .drop_column("turn_replica")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("replicas").to_owned())
            .await
    }
}

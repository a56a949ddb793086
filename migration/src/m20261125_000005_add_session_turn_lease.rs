//! A per-session turn lease: while a reply streams in a session, `turn_lease_until` holds
//! the time after which another replica may start a turn there even if the first never
//! cleared it (a replica that died mid-turn).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("chat_sessions")
                .add_column(timestamp_with_time_zone_null("turn_lease_until"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("chat_sessions")
                .drop_column("turn_lease_until")
                .to_owned(),
        )
        .await
    }
}

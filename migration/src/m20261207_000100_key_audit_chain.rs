//! The keyed audit chain: `audit_head.keyed_from` (the first record hashed with the audit
//! key; records before it, written by earlier versions, keep the unkeyed hash), and
//! `audit_checkpoints`, the signed checkpoints of the chain, append-only like the trail.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("audit_head")
                .add_column(big_integer("keyed_from").default(1))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared("UPDATE audit_head SET keyed_from = last_seq + 1")
            .await?;
        m.create_table(
            Table::create()
                .table("audit_checkpoints")
                .col(big_pk_auto("id"))
                .col(big_integer("seq"))
                .col(string_len("head_hash", 64))
                .col(big_integer("keyed_from"))
                .col(timestamp_with_time_zone("created_at"))
                .col(string_len("signature", 64))
                .to_owned(),
        )
        .await?;
        match m.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON \
                     audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON \
                     audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION \
                     audit_events_append_only()",
                )
                .await?;
            }
            _ => {
                for op in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER audit_checkpoints_no_{} BEFORE {op} ON \
                         audit_checkpoints BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is \
                         append-only: {op} is not allowed'); END",
                        op.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("audit_checkpoints").to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table("audit_head")
                .drop_column("keyed_from")
                .to_owned(),
        )
        .await
    }
}

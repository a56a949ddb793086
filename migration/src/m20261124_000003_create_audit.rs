//! The append-only, hash-chained audit trail and its head. Both databases reject UPDATE and
//! DELETE on `audit_events` with a trigger; PostgreSQL also rejects TRUNCATE.

use crate::index;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("audit_events")
                .col(big_integer("seq").primary_key())
                .col(timestamp_with_time_zone("occurred_at"))
                .col(string_len("actor", 150))
                .col(string_len("roles", 200))
                .col(string_len_null("client_ip", 64))
                .col(string_len_null("request_id", 64))
                .col(string_len("action", 32))
                .col(string_len_null("patient_id", 64))
                .col(string_len_null("tool", 64))
                .col(text_null("arguments"))
                .col(string_len("outcome", 16))
                .col(text_null("reason"))
                .col(string_len_null("session_id", 64))
                .col(string_len("prev_hash", 64))
                .col(string_len("hash", 64))
                .to_owned(),
        )
        .await?;
        for cols in [
            &["actor", "seq"][..],
            &["patient_id", "seq"],
            &["action", "seq"],
            &["occurred_at"],
            &["session_id"],
        ] {
            m.create_index(index("audit_events", cols)).await?;
        }
        m.create_table(
            Table::create()
                .table("audit_head")
                .col(integer("id").primary_key())
                .col(big_integer("last_seq"))
                .col(string_len("last_hash", 64))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '{GENESIS}')"
        ))
        .await?;
        match m.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION audit_events_append_only() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN \
                     RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP; \
                     END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON \
                     audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events \
                     FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
                )
                .await?;
            }
            _ => {
                for op in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER audit_events_no_{} BEFORE {op} ON audit_events \
                         BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: {op} is not \
                         allowed'); END",
                        op.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("audit_head").to_owned())
            .await?;
        m.drop_table(Table::drop().table("audit_events").to_owned())
            .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            m.get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS audit_events_append_only()")
                .await?;
        }
        Ok(())
    }
}

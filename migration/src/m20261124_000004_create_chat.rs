//! Chat sessions and messages, token usage and budget counters, rate-limit events, PHI
//! disclosures and runtime settings.

use crate::{cascade, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("chat_sessions")
                .col(string_len("id", 36).primary_key())
                .col(big_integer("user_id"))
                .col(string_len("title", 200))
                .col(string_len_null("patient_id", 64))
                .col(boolean("is_archived").default(false))
                .col(text_null("phi_vault"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut cascade("chat_sessions", "user_id", "users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "chat_sessions",
            &["user_id", "is_archived", "updated_at"],
        ))
        .await?;
        m.create_index(index("chat_sessions", &["is_archived", "updated_at"]))
            .await?;
        m.create_table(
            Table::create()
                .table("chat_messages")
                .col(string_len("id", 36).primary_key())
                .col(string_len("session_id", 36))
                .col(big_integer("position"))
                .col(string_len("role", 16))
                .col(text("content"))
                .col(string_len_null("tool_call_id", 64))
                .col(string_len_null("tool_name", 64))
                .col(text_null("tool_result"))
                .col(integer("tokens_used").default(0))
                .col(boolean("incomplete").default(false))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut cascade(
                    "chat_messages",
                    "session_id",
                    "chat_sessions",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("chat_messages", &["session_id", "position"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("token_usage")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len_null("session_id", 36))
                .col(string_len_null("message_id", 36))
                .col(string_len("provider", 32))
                .col(string_len("model", 100))
                .col(big_integer("prompt_tokens"))
                .col(big_integer("completion_tokens"))
                .col(big_integer("reserved_micros"))
                .col(big_integer("cost_micros"))
                .col(boolean("settled").default(false))
                .col(string_len("day", 10))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("token_usage", &["day", "user_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("budget_counters")
                .col(string_len("scope", 64))
                .col(string_len("day", 10))
                .col(big_integer("spent_micros"))
                .primary_key(Index::create().col("scope").col("day"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("rate_limit_locks")
                .col(big_integer("user_id").primary_key())
                .col(big_integer("touched"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("rate_limit_events")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(timestamp_with_time_zone("occurred_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("rate_limit_events", &["user_id", "occurred_at"]))
            .await?;
        m.create_table(
            Table::create()
                .table("phi_disclosures")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len("session_id", 36))
                .col(string_len("provider", 32))
                .col(string_len("model", 100))
                .col(string_len("mode", 16))
                .col(text("tally"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("phi_disclosures", &["session_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("settings")
                .col(string_len("key", 64).primary_key())
                .col(text("value"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "settings",
            "phi_disclosures",
            "rate_limit_events",
            "rate_limit_locks",
            "budget_counters",
            "token_usage",
            "chat_messages",
            "chat_sessions",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

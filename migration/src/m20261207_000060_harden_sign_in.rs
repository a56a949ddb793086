//! Sign-in hardening (issue 26).
//!
//! - `login_throttle`: one row per throttle key — an account (`a:<name>`), an account
//!   from one address (`p:<ip>|<name>`) or an address (`i:<ip>`) — with the failures of
//!   the current window (an attempt is counted before its password is checked, so
//!   concurrent attempts cannot pass the limit), the lock and its back-off, the time of
//!   the address's last attempt, and the refused attempts not yet written to the audit
//!   trail (one aggregate record per account and address per window).
//! - `refresh_tokens.family_id`, `generation`, `replaced_at`: refresh tokens rotate; each
//!   new one is the next generation of its family (one sign-in), and presenting one that
//!   was already replaced revokes the whole family.

use crate::index;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("login_throttle")
                .col(string_len("throttle_key", 300).primary_key())
                .col(string_len("username", 150))
                .col(string_len_null("client_ip", 64))
                .col(integer("failures").default(0))
                .col(timestamp_with_time_zone("window_start"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(integer("lockouts").default(0))
                .col(timestamp_with_time_zone_null("last_attempt_at"))
                .col(integer("throttled").default(0))
                .col(timestamp_with_time_zone_null("throttled_since"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("login_throttle", &["throttled_since"]))
            .await?;
        // SQLite adds one column per statement.
        for column in [
            string_len_null("family_id", 64),
            integer("generation").default(0).to_owned(),
            timestamp_with_time_zone_null("replaced_at"),
        ] {
            m.alter_table(
                Table::alter()
                    .table("refresh_tokens")
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(index("refresh_tokens", &["family_id"]))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_refresh_tokens_family_id")
                .table("refresh_tokens")
                .to_owned(),
        )
        .await?;
        for c in ["replaced_at", "generation", "family_id"] {
            m.alter_table(
                Table::alter()
                    .table("refresh_tokens")
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table("login_throttle").to_owned())
            .await
    }
}

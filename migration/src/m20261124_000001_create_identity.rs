//! Users, their roles and care teams, refresh tokens, failed logins, break-the-glass grants.

use crate::{cascade, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("users")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("username", 150))
                .col(string_len("display_name", 200))
                .col(string("password_hash"))
                .col(string_len_null("unit", 100))
                .col(boolean("is_active").default(true))
                .col(boolean("is_superuser").default(false))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("user_roles")
                .col(big_integer("user_id"))
                .col(string_len("role", 32))
                .primary_key(Index::create().col("user_id").col("role"))
                .foreign_key(&mut cascade("user_roles", "user_id", "users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("care_team_assignments")
                .col(big_integer("user_id"))
                .col(string_len("patient_id", 64))
                .primary_key(Index::create().col("user_id").col("patient_id"))
                .foreign_key(&mut cascade(
                    "care_team_assignments",
                    "user_id",
                    "users",
                    "id",
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("refresh_tokens")
                .col(string_len("jti", 64).primary_key())
                .col(big_integer("user_id"))
                .col(timestamp_with_time_zone("issued_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut cascade("refresh_tokens", "user_id", "users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("login_failures")
                .col(big_pk_auto("id"))
                .col(string_len("username", 150))
                .col(string_len_null("client_ip", 64))
                .col(timestamp_with_time_zone("occurred_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("login_failures", &["username", "occurred_at"]))
            .await?;
        m.create_index(index("login_failures", &["client_ip", "occurred_at"]))
            .await?;
        m.create_table(
            Table::create()
                .table("break_glass_grants")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len("patient_id", 64))
                .col(text("reason"))
                .col(timestamp_with_time_zone("granted_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(&mut cascade("break_glass_grants", "user_id", "users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "break_glass_grants",
            &["user_id", "patient_id", "expires_at"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "break_glass_grants",
            "login_failures",
            "refresh_tokens",
            "care_team_assignments",
            "user_roles",
            "users",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

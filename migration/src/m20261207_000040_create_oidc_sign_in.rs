//! Single sign-on: which identity at which OpenID Provider is which Ward user
//! (`user_identities`), and the sign-ins under way (`oidc_logins`: the state, nonce and PKCE
//! verifier of an authorization request, each used once, by whichever replica receives the
//! callback).

use crate::{cascade, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("user_identities")
                .col(string_len("issuer", 500))
                .col(string_len("subject", 255))
                .col(big_integer("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_sign_in_at"))
                .primary_key(Index::create().col("issuer").col("subject"))
                .foreign_key(&mut cascade("user_identities", "user_id", "users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("user_identities", &["user_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("oidc_logins")
                .col(string_len("state", 128).primary_key())
                .col(string_len("nonce", 128))
                .col(string_len("pkce_verifier", 128))
                .col(timestamp_with_time_zone("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("oidc_logins", &["expires_at"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("oidc_logins").to_owned())
            .await?;
        m.drop_table(Table::drop().table("user_identities").to_owned())
            .await
    }
}

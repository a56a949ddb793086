//! `user_identities`: a Ward user's identity at an OpenID Provider (issuer and subject).

use sea_orm::entity::prelude::*;

/// A row of `user_identities`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "user_identities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub issuer: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject: String,
    pub user_id: i64,
    pub created_at: DateTimeUtc,
    pub last_sign_in_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}

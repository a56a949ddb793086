//! `oidc_logins`: a single sign-on under way, by its `state`; taken (deleted) by the
//! callback, so each is used once.

use sea_orm::entity::prelude::*;

/// A row of `oidc_logins`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "oidc_logins")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub expires_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}

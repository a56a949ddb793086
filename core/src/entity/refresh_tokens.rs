//! `refresh_tokens`: An issued refresh token, by its JWT id; revoked at logout. Tokens
//! rotate: each refresh replaces the token with the next generation of its family (one
//! sign-in), and a replaced token presented again revokes the family.

use sea_orm::entity::prelude::*;

/// A row of `refresh_tokens`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub jti: String,
    pub user_id: i64,
    pub issued_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    /// The sign-in this token descends from (its first token's `jti`); none for tokens
    /// issued before rotation existed (their own `jti` is their family).
    pub family_id: Option<String>,
    /// 0 for the token of the sign-in, then one more per rotation.
    pub generation: i32,
    /// When a refresh replaced this token with the next generation.
    pub replaced_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}

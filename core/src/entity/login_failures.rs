//! `login_failures`: A failed sign-in, for throttling per account and per IP.

use sea_orm::entity::prelude::*;

/// A row of `login_failures`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "login_failures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    pub client_ip: Option<String>,
    pub occurred_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}

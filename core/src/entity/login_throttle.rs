//! `login_throttle`: the sign-in throttle of one key (an account, an account from one
//! address, or an address): failures in the window, lock and back-off, and refused
//! attempts awaiting their aggregate audit record.

use sea_orm::entity::prelude::*;

/// A row of `login_throttle`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttle")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub throttle_key: String,
    pub username: String,
    pub client_ip: Option<String>,
    pub failures: i32,
    pub window_start: DateTimeUtc,
    pub locked_until: Option<DateTimeUtc>,
    pub lockouts: i32,
    pub last_attempt_at: Option<DateTimeUtc>,
    pub throttled: i32,
    pub throttled_since: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}

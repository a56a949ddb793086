//! `billing_accounts`: A patient's billing account.

use sea_orm::entity::prelude::*;

/// A row of `billing_accounts`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub patient_id: String,
    pub account_number: String,
    pub payer: String,
    pub member_id: String,
    pub balance_cents: i64,
    pub last_payment_date: Option<Date>,
}

impl ActiveModelBehavior for ActiveModel {}

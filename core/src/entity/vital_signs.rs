//! `vital_signs`: One set of vital signs.

use sea_orm::entity::prelude::*;

/// A row of `vital_signs`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "vital_signs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub recorded_at: Option<DateTimeUtc>,
    pub heart_rate: Option<f64>,
    pub systolic: Option<f64>,
    pub diastolic: Option<f64>,
    pub respiratory_rate: Option<f64>,
    pub temperature_c: Option<f64>,
    pub spo2: Option<f64>,
    pub weight_kg: Option<f64>,
    pub height_cm: Option<f64>,
    pub bmi: Option<f64>,
}

impl ActiveModelBehavior for ActiveModel {}

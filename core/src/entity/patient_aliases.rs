//! `patient_aliases`: A FHIR Patient id that an import matched, by MRN, to a patient
//! Ward already had under another id; references to it reach that patient.

use sea_orm::entity::prelude::*;

/// A row of `patient_aliases`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "patient_aliases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub alias: String,
    pub patient_id: String,
}

impl ActiveModelBehavior for ActiveModel {}

//! `diagnostic_reports`: A diagnostic report (FHIR `DiagnosticReport`): a panel or study
//! with its conclusion and the ids of its results (rows of `lab_results`).

use sea_orm::entity::prelude::*;

/// A row of `diagnostic_reports`. Dates are ISO 8601 text at the source's precision;
/// `result_ids` is a JSON array of `lab_results` ids, in the report's order.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "diagnostic_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patient_id: String,
    pub code: String,
    pub display: String,
    pub category: String,
    pub status: String,
    pub effective_at: Option<String>,
    pub issued_at: Option<String>,
    pub performer: String,
    #[sea_orm(column_type = "Text")]
    pub conclusion: String,
    #[sea_orm(column_type = "Text")]
    pub result_ids: String,
}

impl ActiveModelBehavior for ActiveModel {}

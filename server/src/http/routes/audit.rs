//! The auditors' endpoints: search, verify, export. Each use is itself audited.

use crate::http::auth::Auditor;
use crate::http::error::ApiResult;
use crate::http::extract::Query;
use crate::http::openapi::{BadRequest, SignedIn, Unavailable};
use crate::http::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use ward_core::audit::{self, AuditQuery, ExportFormat};
use ward_domain::api::AuditPage;
use ward_domain::audit::{AuditAction, ChainReport, Outcome};

/// `GET /frontend/api/audit/events/`: one page of records, newest first, filtered by
/// `user`, `patient`, `action`, `outcome`, `session`, `from`, `to`; paged by `before_seq`.
#[utoipa::path(get, path = "/frontend/api/audit/events/", tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "One page of records, newest first.", body = AuditPage),
        BadRequest, SignedIn, Unavailable,
    ))]
pub async fn search(
    State(app): State<AppState>,
    Auditor(caller): Auditor,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    let (records, next) = audit::search(&app.ward.db, &q).await?;
    let mut e = caller.entry(AuditAction::AuditSearch, Outcome::Ok);
    e.patient_id = q.patient.clone().filter(|p| !p.is_empty());
    e.arguments = Some(
        serde_json::json!({"user": q.user, "action": q.action, "outcome": q.outcome, "from": q.from, "to": q.to, "session": q.session})
            .to_string(),
    );
    audit::append(&app.ward.db, e).await?;
    Ok(Json(AuditPage {
        records,
        next_before_seq: next,
    }))
}

/// `GET /frontend/api/audit/verify/`: checks the whole chain and reports the first broken
/// link.
#[utoipa::path(get, path = "/frontend/api/audit/verify/", tag = "audit",
    responses(
        (status = 200, description = "The chain's report.", body = ChainReport),
        SignedIn, Unavailable,
    ))]
pub async fn verify(
    State(app): State<AppState>,
    Auditor(caller): Auditor,
) -> ApiResult<Json<ChainReport>> {
    let report = audit::verify(&app.ward.db).await?;
    let mut e = caller.entry(
        AuditAction::AuditVerify,
        if report.ok {
            Outcome::Ok
        } else {
            Outcome::Error
        },
    );
    e.reason = Some(match report.first_broken_seq {
        None => format!("{} records verified", report.records_checked),
        Some(s) => format!("broken at record {s}"),
    });
    audit::append(&app.ward.db, e).await?;
    Ok(Json(report))
}

/// Query of an export: its format (the filters are an [`AuditQuery`] beside it).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `jsonl` (also `ndjson`, `json`), `csv` or `fhir`; `jsonl` by default.
    #[serde(default = "jsonl")]
    #[param(value_type = Option<String>)]
    format: String,
}

fn jsonl() -> String {
    "jsonl".into()
}

/// `GET /frontend/api/audit/export/?format=jsonl|csv|fhir`: every matching record, oldest
/// first, as a download. The export is audited before it is sent.
#[utoipa::path(get, path = "/frontend/api/audit/export/", tag = "audit",
    params(ExportQuery, AuditQuery),
    responses(
        (status = 200, description = "Every matching record, oldest first, as a download.",
            content(
                (String = "application/x-ndjson"),
                (String = "text/csv"),
                (String = "application/fhir+ndjson"),
            )),
        BadRequest, SignedIn, Unavailable,
    ))]
pub async fn export(
    State(app): State<AppState>,
    Auditor(caller): Auditor,
    Query(q): Query<ExportQuery>,
    Query(filters): Query<AuditQuery>,
) -> ApiResult<Response> {
    let format: ExportFormat = q.format.parse()?;
    let body = audit::export(&app.ward.db, &filters, format).await?;
    let mut e = caller.entry(AuditAction::AuditExport, Outcome::Ok);
    e.reason = Some(format!("format {}", q.format));
    e.patient_id = filters.patient.clone().filter(|p| !p.is_empty());
    audit::append(&app.ward.db, e).await?;
    let (mime, ext) = match format {
        ExportFormat::JsonLines => ("application/x-ndjson", "jsonl"),
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        ExportFormat::FhirNdjson => ("application/fhir+ndjson", "ndjson"),
    };
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"ward-audit.{ext}\""))
            .expect("ASCII"),
    );
    Ok(res)
}

//! The auditors' endpoints: search, verify, export, checkpoints, active break-the-glass
//! grants, the accounting of disclosures. Each use is itself audited.

use crate::http::auth::Auditor;
use crate::http::error::ApiResult;
use crate::http::extract::Query;
use crate::http::openapi::{BadRequest, Conflict, SignedIn, Unavailable};
use crate::http::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use ward_core::access;
use ward_core::audit::{self, AuditQuery, ExportFormat};
use ward_core::disclosures::{self, DisclosureFormat, DisclosureQuery};
use ward_domain::api::{ActiveGrants, AuditPage, CheckpointList, DisclosurePage};
use ward_domain::audit::{AuditAction, ChainReport, Checkpoint, Outcome};

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

/// A streamed download: `chunks` as the body, with its media type and file name.
fn download<S>(chunks: S, mime: &'static str, file: &str) -> Response
where
    S: futures::Stream<Item = ward_core::Result<String>> + Send + 'static,
{
    use futures::StreamExt;
    // A database error mid-stream ends the body early (the client sees a cut download,
    // never a partial file presented as whole: no `Content-Length` is promised).
    let body = Body::from_stream(chunks.map(|c| c.map_err(std::io::Error::other)));
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")).expect("ASCII"),
    );
    res
}

/// `GET /frontend/api/audit/export/?format=jsonl|csv|fhir`: every matching record, oldest
/// first, as a download streamed a page at a time (constant memory). The export is
/// audited before it is sent.
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
    let chunks = audit::export_stream(app.ward.db.clone(), &filters, format)?;
    let mut e = caller.entry(AuditAction::AuditExport, Outcome::Ok);
    e.reason = Some(format!("format {}", q.format));
    e.patient_id = filters.patient.clone().filter(|p| !p.is_empty());
    audit::append(&app.ward.db, e).await?;
    let (mime, ext) = match format {
        ExportFormat::JsonLines => ("application/x-ndjson", "jsonl"),
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        ExportFormat::FhirNdjson => ("application/fhir+ndjson", "ndjson"),
    };
    Ok(download(chunks, mime, &format!("ward-audit.{ext}")))
}

/// `GET /frontend/api/audit/checkpoints/`: every signed checkpoint of the chain, oldest
/// first, for an auditor to keep outside Ward (and to hand to `server audit verify
/// --checkpoints`). Audited.
#[utoipa::path(get, path = "/frontend/api/audit/checkpoints/", tag = "audit",
    responses(
        (status = 200, description = "Every signed checkpoint, oldest first.", body = CheckpointList),
        SignedIn, Unavailable,
    ))]
pub async fn checkpoints(
    State(app): State<AppState>,
    Auditor(caller): Auditor,
) -> ApiResult<Json<CheckpointList>> {
    let all = audit::checkpoints(&app.ward.db).await?;
    let mut e = caller.entry(AuditAction::AuditExport, Outcome::Ok);
    e.reason = Some(format!("checkpoints: {}", all.len()));
    audit::append(&app.ward.db, e).await?;
    Ok(Json(CheckpointList { checkpoints: all }))
}

/// `POST /frontend/api/audit/checkpoints/`: signs a checkpoint of the chain's head now.
/// `201` with the checkpoint; `409 empty_trail` when there is nothing to sign. Audited.
#[utoipa::path(post, path = "/frontend/api/audit/checkpoints/", tag = "audit",
    responses(
        (status = 201, description = "The checkpoint just signed.", body = Checkpoint),
        SignedIn, Conflict, Unavailable,
    ))]
pub async fn create_checkpoint(
    State(app): State<AppState>,
    Auditor(caller): Auditor,
) -> ApiResult<(StatusCode, Json<Checkpoint>)> {
    let cp = audit::checkpoint(&app.ward.db, false)
        .await?
        .ok_or_else(|| {
            ward_core::Error::new(
                ward_core::ErrorKind::Conflict,
                "empty_trail",
                "The audit trail is empty: there is nothing to sign.",
            )
        })?;
    let mut e = caller.entry(AuditAction::AuditVerify, Outcome::Ok);
    e.reason = Some(format!("checkpoint signed at record {}", cp.seq));
    audit::append(&app.ward.db, e).await?;
    Ok((StatusCode::CREATED, Json(cp)))
}

/// `GET /frontend/api/audit/break-glass/`: everyone's active break-the-glass grants, for
/// auditors (revocable with `DELETE /frontend/api/break-glass/<id>/`). Audited.
#[utoipa::path(get, path = "/frontend/api/audit/break-glass/", tag = "audit",
    responses(
        (status = 200, description = "Everyone's active grants, newest first.", body = ActiveGrants),
        SignedIn, Unavailable,
    ))]
pub async fn grants(
    State(app): State<AppState>,
    Auditor(caller): Auditor,
) -> ApiResult<Json<ActiveGrants>> {
    let grants = access::active_grants(&app.ward, &caller, true).await?;
    let mut e = caller.entry(AuditAction::AuditSearch, Outcome::Ok);
    e.reason = Some(format!(
        "active break-the-glass grants: {}",
        grants.grants.len()
    ));
    audit::append(&app.ward.db, e).await?;
    Ok(Json(grants))
}

/// `GET /frontend/api/audit/disclosures/`: the accounting of disclosures (HIPAA 164.528),
/// newest first, filtered by `patient`, `provider`, `clinician`, `from`, `to`; paged by
/// `before_id`. Audited.
#[utoipa::path(get, path = "/frontend/api/audit/disclosures/", tag = "audit",
    params(DisclosureQuery),
    responses(
        (status = 200, description = "One page of disclosures, newest first.", body = DisclosurePage),
        BadRequest, SignedIn, Unavailable,
    ))]
pub async fn disclosures(
    State(app): State<AppState>,
    Auditor(caller): Auditor,
    Query(q): Query<DisclosureQuery>,
) -> ApiResult<Json<DisclosurePage>> {
    let page = disclosures::page(&app.ward.db, &q).await?;
    let mut e = caller.entry(AuditAction::AuditSearch, Outcome::Ok);
    e.patient_id = q.patient.clone().filter(|p| !p.trim().is_empty());
    e.reason = Some(format!("accounting of disclosures: {}", page.records.len()));
    audit::append(&app.ward.db, e).await?;
    Ok(Json(page))
}

/// Query of a disclosures export: its format (the filters are a [`DisclosureQuery`]
/// beside it).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DisclosureExportQuery {
    /// `csv` or `fhir`; `csv` by default.
    #[serde(default = "csv")]
    #[param(value_type = Option<String>)]
    format: String,
}

fn csv() -> String {
    "csv".into()
}

/// `GET /frontend/api/audit/disclosures/export/?format=csv|fhir`: the accounting, oldest
/// first, as CSV or FHIR R4 AuditEvent NDJSON, streamed. Audited before it is sent.
#[utoipa::path(get, path = "/frontend/api/audit/disclosures/export/", tag = "audit",
    params(DisclosureExportQuery, DisclosureQuery),
    responses(
        (status = 200, description = "Every matching disclosure, oldest first, as a download.",
            content(
                (String = "text/csv"),
                (String = "application/fhir+ndjson"),
            )),
        BadRequest, SignedIn, Unavailable,
    ))]
pub async fn export_disclosures(
    State(app): State<AppState>,
    Auditor(caller): Auditor,
    Query(q): Query<DisclosureExportQuery>,
    Query(filters): Query<DisclosureQuery>,
) -> ApiResult<Response> {
    let format: DisclosureFormat = q.format.parse()?;
    let chunks = disclosures::export_stream(app.ward.db.clone(), &filters, format)?;
    let mut e = caller.entry(AuditAction::AuditExport, Outcome::Ok);
    e.reason = Some(format!("accounting of disclosures, format {}", q.format));
    e.patient_id = filters.patient.clone().filter(|p| !p.trim().is_empty());
    audit::append(&app.ward.db, e).await?;
    Ok(match format {
        DisclosureFormat::Csv => {
            download(chunks, "text/csv; charset=utf-8", "ward-disclosures.csv")
        }
        DisclosureFormat::FhirNdjson => {
            download(chunks, "application/fhir+ndjson", "ward-disclosures.ndjson")
        }
    })
}

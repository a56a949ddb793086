//! `POST /frontend/api/admin/import/`: an admin uploads one FHIR file (a Bundle, a single
//! resource, or a Bulk Data NDJSON file) and gets the import report, the same as the
//! command line's `import-fhir --json`.
//!
//! The body is streamed to a temporary file (at most `WARD_MAX_IMPORT_BYTES`), then
//! imported from it, so an NDJSON file is read a line at a time and patients are written
//! before the resources that refer to them. The start and the outcome are audited
//! (`data_import`; counts only, no file name); nothing is written if the start cannot be
//! audited. Afterwards the PHI engine learns the imported names and identifiers.

use crate::http::auth::Admin;
use crate::http::error::ApiResult;
use crate::http::extract::Query;
use crate::http::openapi::{BadRequest, SignedIn, Unavailable};
use crate::http::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::StreamExt;
use serde::Deserialize;
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;
use ward_core::clinical::fhir::{self, ImportReport};
use ward_core::{audit, Error, ErrorKind};
use ward_domain::api::ErrorBody;
use ward_domain::audit::{AuditAction, Outcome};

/// The 422 of an import that imported nothing: Ward's error with the report.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct NothingImported {
    /// A sentence for people.
    pub error: String,
    /// `nothing_imported`.
    pub code: String,
    /// Why nothing could be imported.
    pub report: ImportReport,
}

/// Query of an upload.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file's name (it names the file in the report, and `.ndjson` / `.jsonl` mark
    /// NDJSON when the content type does not).
    #[serde(default)]
    name: Option<String>,
}

/// A temporary file, removed when dropped.
struct Spool(PathBuf);

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The name an upload is reported under: its own file name, cut to a sane length and
/// without a path; with the extension its content type implies when it has none.
fn upload_name(name: Option<&str>, ndjson_type: bool) -> String {
    let base = name
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or_default())
        .map(|n| {
            n.chars()
                .filter(|c| !c.is_control())
                .take(120)
                .collect::<String>()
        })
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "upload".into());
    let lower = base.to_ascii_lowercase();
    let has_ext =
        lower.ends_with(".json") || lower.ends_with(".ndjson") || lower.ends_with(".jsonl");
    match (has_ext, ndjson_type) {
        (true, _) => base,
        (false, true) => format!("{base}.ndjson"),
        (false, false) => format!("{base}.json"),
    }
}

/// `POST /frontend/api/admin/import/?name=<file name>`: the body is the file.
/// `Content-Type: application/fhir+json` (or `application/json`) for a Bundle or a
/// resource, `application/fhir+ndjson` (or `application/x-ndjson`, `application/ndjson`)
/// for NDJSON. 200 with the report when anything was imported; 422 `nothing_imported`
/// with the report when nothing could be; 413 over the size limit.
#[utoipa::path(post, path = "/frontend/api/admin/import/", tag = "admin",
    params(ImportQuery),
    request_body(description = "One FHIR file: a Bundle or a resource, or Bulk Data NDJSON.",
        content(
            (serde_json::Value = "application/fhir+json"),
            (serde_json::Value = "application/json"),
            (String = "application/fhir+ndjson"),
            (String = "application/x-ndjson"),
            (String = "application/ndjson"),
            (String = "application/octet-stream"),
        )),
    responses(
        (status = 200, description = "Imported; the report.", body = ImportReport),
        BadRequest, SignedIn,
        (status = 413, description = "The file is over the import limit (`payload_too_large`).", body = ErrorBody),
        (status = 415, description = "Not a FHIR JSON or NDJSON file (`unsupported_media_type`).", body = ErrorBody),
        (status = 422, description = "Nothing could be imported (`nothing_imported`); the report says why.", body = NothingImported),
        Unavailable,
    ))]
pub async fn import_fhir(
    State(app): State<AppState>,
    Admin(caller): Admin,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let ndjson_type = matches!(
        content_type.as_str(),
        "application/fhir+ndjson" | "application/x-ndjson" | "application/ndjson"
    );
    let json_type = matches!(
        content_type.as_str(),
        "application/fhir+json" | "application/json" | ""
    );
    if !ndjson_type && !json_type && content_type != "application/octet-stream" {
        return Err(Error::new(
            ErrorKind::UnsupportedMediaType,
            "unsupported_media_type",
            "Upload a FHIR JSON file (application/fhir+json) or an NDJSON file \
             (application/fhir+ndjson).",
        )
        .into());
    }
    let name = upload_name(q.name.as_deref(), ndjson_type);
    let limit = app.ward.config.max_import_bytes;

    // Audited before anything is written: no audit record, no import.
    let mut start = caller.entry(AuditAction::DataImport, Outcome::Ok);
    start.reason = Some("upload started".into());
    audit::append(&app.ward.db, start).await?;

    let spool = Spool(std::env::temp_dir().join(format!("ward-import-{}", uuid::Uuid::new_v4())));
    let written = spool_body(body, &spool.0, limit).await;
    let bytes = match written {
        Ok(n) => n,
        Err(e) => {
            let mut end = caller.entry(AuditAction::DataImport, Outcome::Error);
            end.reason = Some(format!("upload refused: {}", e.code));
            audit::append(&app.ward.db, end).await?;
            return Err(e.into());
        }
    };
    if bytes == 0 {
        let mut end = caller.entry(AuditAction::DataImport, Outcome::Error);
        end.reason = Some("upload refused: empty_upload".into());
        audit::append(&app.ward.db, end).await?;
        return Err(Error::bad_request("empty_upload", "The uploaded file is empty.").into());
    }

    let result = fhir::import_file_as(&app.ward.db, &spool.0, &name).await;
    drop(spool);
    let (outcome, summary) = match &result {
        Ok(r) if r.nothing_imported() => (Outcome::Error, fhir::audit_summary(r)),
        Ok(r) => (Outcome::Ok, fhir::audit_summary(r)),
        Err(e) => (
            Outcome::Error,
            format!(
                "stopped ({:?}) after {}",
                e.kind(),
                fhir::audit_summary(&e.before)
            ),
        ),
    };
    let mut end = caller.entry(AuditAction::DataImport, outcome);
    end.reason = Some(format!("upload of {bytes} bytes: {summary}"));
    audit::append(&app.ward.db, end).await?;

    let report = result.map_err(|e| {
        Error::unavailable(
            "import_failed",
            format!("The import stopped: {e}. What was imported before it stays."),
        )
    })?;
    if !report.nothing_imported() {
        // Other replicas and processes learn of it from the data version within seconds.
        if let Err(e) = app.ward.phi.reload(&app.ward.db).await {
            tracing::warn!(error = %e, "PHI engine reload after an import failed");
        }
    }
    Ok(respond(report))
}

/// 200 with the report, or 422 `nothing_imported` with it.
fn respond(report: ImportReport) -> Response {
    if report.nothing_imported() {
        let body = NothingImported {
            error: "Nothing in the file could be imported; the report says why.".into(),
            code: "nothing_imported".into(),
            report,
        };
        (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
    } else {
        (StatusCode::OK, Json(report)).into_response()
    }
}

/// Streams the body into `path`, refusing more than `limit` bytes. Returns the size.
async fn spool_body(body: Body, path: &std::path::Path, limit: usize) -> Result<usize, Error> {
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(|e| Error::internal(format!("cannot create the import spool: {e}")))?;
    let mut stream = body.into_data_stream();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| {
            Error::bad_request("unreadable_body", "The uploaded file could not be read.")
        })?;
        total += chunk.len();
        if total > limit {
            return Err(Error::new(
                ErrorKind::PayloadTooLarge,
                "payload_too_large",
                format!(
                    "The file is larger than the import limit of {} MiB (WARD_MAX_IMPORT_BYTES); \
                     import large exports with `server import-fhir`.",
                    limit / (1024 * 1024)
                ),
            ));
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| Error::internal(format!("cannot write the import spool: {e}")))?;
    }
    file.flush()
        .await
        .map_err(|e| Error::internal(format!("cannot write the import spool: {e}")))?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::upload_name;

    #[test]
    fn an_upload_is_named_by_its_file_name_without_a_path() {
        assert_eq!(
            upload_name(Some("../../etc/Patient.ndjson"), false),
            "Patient.ndjson"
        );
        assert_eq!(upload_name(Some("C:\\x\\b.json"), false), "b.json");
        assert_eq!(upload_name(Some("export"), true), "export.ndjson");
        assert_eq!(upload_name(None, false), "upload.json");
        assert_eq!(upload_name(Some("a\u{0}b.json"), false), "ab.json");
    }
}

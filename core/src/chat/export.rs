//! The export of a conversation by its owner: their own session, as they read it (the
//! same [`History`](ward_domain::api::History) the chat screen shows; never the form a
//! provider was sent), audited as `session_export` before it is released. A session that
//! is not the caller's is "not found", as everywhere.

use crate::chat::sessions;
use crate::error::{Error, Result};
use crate::{audit, Caller, Ward};
use chrono::Utc;
use ward_domain::audit::{AuditAction, Outcome};
use ward_domain::export::{ConversationExport, ExportFormat};

/// Session `id` of the caller, for a download in `format`. The audit record (the session,
/// its patient, the format) is written first: if it cannot be, nothing is released
/// (`503 audit_unavailable`).
pub async fn export(
    ward: &Ward,
    caller: &Caller,
    id: &str,
    format: ExportFormat,
) -> Result<ConversationExport> {
    // Only the owner exports: a reviewer's read of an archived session is not theirs.
    sessions::load_owned(ward, caller, id).await?;
    let session = sessions::history(ward, caller, id).await?;
    if session.read_only {
        return Err(Error::not_found("session"));
    }
    let mut e = caller.entry(AuditAction::SessionExport, Outcome::Ok);
    e.session_id = Some(session.session_id.clone());
    e.patient_id = session.patient_id.clone();
    e.reason = Some(format!(
        "conversation export ({}): {} message(s)",
        format.as_str(),
        session.messages.len()
    ));
    audit::append(&ward.db, e).await?;
    Ok(ConversationExport {
        exported_by: caller.principal.username.clone(),
        exported_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        session,
    })
}

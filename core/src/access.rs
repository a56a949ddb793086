//! How a patient relates to a caller (care team, break-the-glass grant, or outside), and
//! break-the-glass itself: a doctor states a reason and gets time-limited access, flagged
//! in the audit trail.

use crate::audit;
use crate::entity::{break_glass_grants, patients};
use crate::error::{Error, Result};
use crate::identity::users;
use crate::{Caller, Ward};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use ward_domain::api::BreakGlassGrant;
use ward_domain::audit::{AuditAction, Outcome};
use ward_domain::policy::PatientRelation;

/// The shortest reason accepted for breaking the glass.
pub const MIN_REASON_CHARS: usize = 10;

/// Whether a patient with this id exists.
pub async fn patient_exists(ward: &Ward, patient_id: &str) -> Result<bool> {
    Ok(patients::Entity::find_by_id(patient_id.to_string())
        .count(&ward.db)
        .await?
        > 0)
}

/// The expiry of the caller's active break-the-glass grant for a patient, if any.
pub async fn active_grant(
    ward: &Ward,
    user_id: i64,
    patient_id: &str,
) -> Result<Option<DateTime<Utc>>> {
    let g = break_glass_grants::Entity::find()
        .filter(break_glass_grants::Column::UserId.eq(user_id))
        .filter(break_glass_grants::Column::PatientId.eq(patient_id))
        .filter(break_glass_grants::Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(break_glass_grants::Column::ExpiresAt)
        .one(&ward.db)
        .await?;
    Ok(g.map(|g| g.expires_at))
}

/// How `patient_id` relates to the caller.
pub async fn relation(ward: &Ward, caller: &Caller, patient_id: &str) -> Result<PatientRelation> {
    if users::on_care_team(&ward.db, &caller.principal, patient_id).await? {
        return Ok(PatientRelation::CareTeam);
    }
    if active_grant(ward, caller.principal.id, patient_id)
        .await?
        .is_some()
    {
        return Ok(PatientRelation::BreakGlass);
    }
    Ok(PatientRelation::Outside)
}

/// Breaks the glass: checks the caller's roles allow it, the patient exists and is outside
/// the care team, and the reason is real; records a grant for the policy's duration and an
/// audit record carrying the reason.
pub async fn break_glass(
    ward: &Ward,
    caller: &Caller,
    patient_id: &str,
    reason: &str,
) -> Result<BreakGlassGrant> {
    let reason = reason.trim();
    let mut entry = caller.entry(AuditAction::BreakGlass, Outcome::Denied);
    entry.patient_id = Some(patient_id.chars().take(64).collect());
    if !ward.policy.may_break_glass(&caller.principal.roles) {
        entry.reason = Some("role_may_not_break_glass".into());
        audit::append(&ward.db, entry).await?;
        return Err(Error::forbidden(
            "break_glass_not_permitted",
            "Your role may not break the glass.",
        ));
    }
    if reason.chars().count() < MIN_REASON_CHARS {
        return Err(Error::bad_request(
            "reason_required",
            format!("State why you need access (at least {MIN_REASON_CHARS} characters)."),
        ));
    }
    if !patient_exists(ward, patient_id).await? {
        entry.outcome = Outcome::Error;
        entry.reason = Some("unknown_patient".into());
        audit::append(&ward.db, entry).await?;
        return Err(Error::not_found("patient"));
    }
    if users::on_care_team(&ward.db, &caller.principal, patient_id).await? {
        return Err(Error::bad_request(
            "already_on_care_team",
            "This patient is on your care team; no need to break the glass.",
        ));
    }
    let now = Utc::now();
    let expires_at = now + Duration::minutes(ward.policy.break_glass_minutes as i64);
    break_glass_grants::ActiveModel {
        user_id: Set(caller.principal.id),
        patient_id: Set(patient_id.to_string()),
        reason: Set(reason.to_string()),
        granted_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(&ward.db)
    .await?;
    entry.outcome = Outcome::Ok;
    entry.reason = Some(format!(
        "break-the-glass until {}: {reason}",
        expires_at.to_rfc3339()
    ));
    audit::append(&ward.db, entry).await?;
    Ok(BreakGlassGrant {
        patient_id: patient_id.to_string(),
        expires_at: expires_at.to_rfc3339(),
    })
}

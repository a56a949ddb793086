//! How a patient relates to a caller (care team, break-the-glass grant, or outside), and
//! break-the-glass itself: a doctor states a reason and gets time-limited access, flagged
//! in the audit trail.

use crate::audit;
use crate::db;
use crate::entity::{break_glass_grants, patients};
use crate::error::{Error, Result};
use crate::identity::users;
use crate::{Caller, Ward};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use ward_domain::api::{ActiveGrant, ActiveGrants, BreakGlassGrant};
use ward_domain::audit::{AuditAction, Outcome};
use ward_domain::capability::{BREAK_GLASS_REASON_MAX_CHARS, BREAK_GLASS_REASON_MIN_CHARS};
use ward_domain::policy::PatientRelation;

/// The shortest reason accepted for breaking the glass (from [`ward_domain::capability`]).
pub const MIN_REASON_CHARS: usize = BREAK_GLASS_REASON_MIN_CHARS as usize;

/// The longest reason accepted for breaking the glass (from [`ward_domain::capability`]).
pub const MAX_REASON_CHARS: usize = BREAK_GLASS_REASON_MAX_CHARS as usize;

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
    if active_grant(ward, caller.principal.id.get(), patient_id)
        .await?
        .is_some()
    {
        return Ok(PatientRelation::BreakGlass);
    }
    Ok(PatientRelation::Outside)
}

/// Breaks the glass: checks the caller's roles allow it, the reason is real (10 to 1,000
/// characters), the caller is under the daily cap (`WARD_BTG_DAILY_CAP`) and the patient is
/// outside their care team; records a grant for the policy's duration and the audit record
/// carrying the reason, in one transaction (both or neither).
///
/// To a caller who may break the glass, an unknown patient answers like a known one (a
/// grant is recorded and audited as `unknown_patient`), so breaking the glass is no cheaper
/// way to learn whether a patient exists than any other door.
pub async fn break_glass(
    ward: &Ward,
    caller: &Caller,
    patient_id: &str,
    reason: &str,
) -> Result<BreakGlassGrant> {
    let reason = reason.trim();
    let mut entry = caller.entry(AuditAction::BreakGlass, Outcome::Denied);
    let patient_id = patient_id.trim();
    entry.patient_id = Some(patient_id.chars().take(64).collect());
    if caller
        .principal
        .capabilities(&ward.policy)
        .break_glass
        .is_none()
    {
        entry.reason = Some("role_may_not_break_glass".into());
        audit::append(&ward.db, entry).await?;
        return Err(Error::forbidden(
            "break_glass_not_permitted",
            "Your role may not break the glass.",
        ));
    }
    let chars = reason.chars().count();
    if chars < MIN_REASON_CHARS {
        return Err(Error::bad_request(
            "reason_required",
            format!("State why you need access (at least {MIN_REASON_CHARS} characters)."),
        ));
    }
    if chars > MAX_REASON_CHARS {
        return Err(Error::bad_request(
            "reason_too_long",
            format!("A reason is at most {MAX_REASON_CHARS} characters."),
        ));
    }
    if patient_id.is_empty() || patient_id.chars().count() > 64 {
        return Err(Error::bad_request(
            "invalid_patient_id",
            "A patient id is 1 to 64 characters.",
        ));
    }
    if users::on_care_team(&ward.db, &caller.principal, patient_id).await? {
        return Err(Error::bad_request(
            "already_on_care_team",
            "This patient is on your care team; no need to break the glass.",
        ));
    }
    let exists = patient_exists(ward, patient_id).await?;
    let now = Utc::now();
    let expires_at = now + Duration::minutes(ward.policy.break_glass_minutes as i64);
    let day_start = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc();
    let txn = db::begin_serialized(&ward.db).await?;
    // Counted inside the serialised transaction, so concurrent requests cannot pass the cap.
    let taken = txn
        .query_one_raw(db::statement(
            txn.get_database_backend(),
            "SELECT COUNT(*) AS n FROM break_glass_grants WHERE user_id = $1 AND granted_at >= $2",
            [caller.principal.id.into(), day_start.into()],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    if taken >= i64::from(ward.config.btg_daily_cap) {
        drop(txn);
        entry.reason = Some("break_glass_daily_cap".into());
        audit::append(&ward.db, entry).await?;
        let tomorrow = day_start + Duration::days(1);
        return Err(Error::too_many(
            "break_glass_cap",
            format!(
                "You have broken the glass {} times today, the most allowed. Ask a colleague on \
                 the patient's care team, or an administrator.",
                ward.config.btg_daily_cap
            ),
            (tomorrow - now).num_seconds().max(1) as u64,
        ));
    }
    let row = txn
        .query_one_raw(db::statement(
            txn.get_database_backend(),
            "INSERT INTO break_glass_grants (user_id, patient_id, reason, granted_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            [
                caller.principal.id.into(),
                patient_id.into(),
                reason.into(),
                now.into(),
                expires_at.into(),
            ],
        ))
        .await?
        .ok_or_else(|| Error::internal("the grant insert returned no id"))?;
    let id: i64 = row.try_get("", "id")?;
    if exists {
        entry.outcome = Outcome::Ok;
        entry.reason = Some(format!(
            "break-the-glass #{id} until {}: {reason}",
            expires_at.to_rfc3339()
        ));
    } else {
        entry.outcome = Outcome::Error;
        entry.reason = Some(format!("unknown_patient: break-the-glass #{id}: {reason}"));
    }
    audit::append_in(&txn, entry).await?;
    txn.commit().await?;
    Ok(BreakGlassGrant {
        id,
        patient_id: patient_id.to_string(),
        expires_at: expires_at.to_rfc3339(),
    })
}

/// The active grants: the caller's own, or (`all`, for auditors) everyone's.
pub async fn active_grants(ward: &Ward, caller: &Caller, all: bool) -> Result<ActiveGrants> {
    let mut sql = String::from(
        "SELECT g.id, u.username, g.patient_id, g.reason, g.granted_at, g.expires_at \
         FROM break_glass_grants g JOIN users u ON u.id = g.user_id WHERE g.expires_at > $1",
    );
    let mut values: Vec<sea_orm::Value> = vec![Utc::now().into()];
    if !all {
        sql.push_str(" AND g.user_id = $2");
        values.push(caller.principal.id.into());
    }
    sql.push_str(" ORDER BY g.granted_at DESC, g.id DESC LIMIT 1000");
    let rows = ward
        .db
        .query_all_raw(db::statement(ward.db.get_database_backend(), &sql, values))
        .await?;
    let grants = rows
        .iter()
        .map(|r| {
            Ok(ActiveGrant {
                id: r.try_get("", "id")?,
                username: r.try_get("", "username")?,
                patient_id: r.try_get("", "patient_id")?,
                reason: r.try_get("", "reason")?,
                granted_at: r.try_get::<DateTime<Utc>>("", "granted_at")?.to_rfc3339(),
                expires_at: r.try_get::<DateTime<Utc>>("", "expires_at")?.to_rfc3339(),
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    Ok(ActiveGrants { grants })
}

/// Revokes an active grant: the holder's own, or anyone's for an auditor or admin. The
/// grant ends now and the revocation is audited, in one transaction. A grant that is not
/// active, or not the caller's to revoke, is the same 404.
pub async fn revoke_grant(ward: &Ward, caller: &Caller, id: i64) -> Result<()> {
    let oversees = caller.principal.capabilities(&ward.policy).revoke_any_grant;
    let now = Utc::now();
    let txn = db::begin_serialized(&ward.db).await?;
    let row = txn
        .query_one_raw(db::statement(
            txn.get_database_backend(),
            "UPDATE break_glass_grants SET expires_at = $1 \
             WHERE id = $2 AND expires_at > $1 AND (user_id = $3 OR $4) \
             RETURNING patient_id, user_id",
            [
                now.into(),
                id.into(),
                caller.principal.id.into(),
                oversees.into(),
            ],
        ))
        .await?;
    let Some(row) = row else {
        return Err(Error::not_found("grant"));
    };
    let patient: String = row.try_get("", "patient_id")?;
    let holder: i64 = row.try_get("", "user_id")?;
    let mut entry = caller.entry(AuditAction::BreakGlass, Outcome::Ok);
    entry.patient_id = Some(patient);
    entry.reason = Some(format!("revoked break-the-glass #{id} of user #{holder}"));
    audit::append_in(&txn, entry).await?;
    txn.commit().await?;
    Ok(())
}

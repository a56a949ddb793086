//! Sign-in, token refresh and sign-out. Failed sign-ins are throttled per account, per
//! account and address, and per address ([`throttle`]: each attempt is reserved before
//! its password is checked); checked attempts are audited one by one, refused ones in
//! aggregate. Refresh tokens rotate, and a replaced one presented again revokes its whole
//! family (the sign-in it descends from).

use crate::audit;
use crate::db;
use crate::entity::refresh_tokens;
use crate::error::{Error, Result};
use crate::identity::throttle::{self, Reservation};
use crate::identity::token::TokenType;
use crate::identity::{password, users, Principal};
use crate::{Origin, Ward};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QuerySelect, Set};
use ward_domain::api::TokenPair;
use ward_domain::audit::{AuditAction, AuditEntry, Outcome};

pub use throttle::{ACCOUNT_LIMIT, PAIR_LIMIT, WINDOW_MINUTES};

/// How long after its rotation a refresh token still buys an access token (without a new
/// refresh token): a browser's requests that raced with the rotation, not a replay.
pub const ROTATION_GRACE_SECS: i64 = 10;

/// The prototype's message for bad credentials (simplejwt's wording).
const BAD_CREDENTIALS: &str = "No active account found with the given credentials";

fn login_entry(
    origin: &Origin,
    actor: &str,
    roles: &str,
    action: AuditAction,
    outcome: Outcome,
) -> AuditEntry {
    let mut e = AuditEntry::new(Utc::now(), actor, roles, action, outcome);
    e.client_ip = origin.client_ip.clone();
    e.request_id = origin.request_id.clone();
    e
}

/// The username as recorded for a failed attempt: trimmed and cut to 150 characters.
fn attempted_name(username: &str) -> String {
    username.trim().chars().take(150).collect()
}

/// Signs a user in: reserve the attempt with the throttle, verify the password (in the
/// bounded pool, in constant time whether or not the user exists), issue an access and a
/// refresh token, record the refresh token, audit.
pub async fn login(
    ward: &Ward,
    username: &str,
    password: &str,
    origin: &Origin,
) -> Result<(Principal, TokenPair)> {
    let name = attempted_name(username);
    let ip = origin.client_ip.as_deref();
    if let Reservation::Refused { wait, per_address } =
        throttle::reserve(&ward.db, &name, ip, Utc::now()).await?
    {
        ward.metrics.sign_in_throttled();
        return Err(Error::too_many(
            "login_throttled",
            if per_address {
                "Many sign-ins failed from this address: wait a few seconds, then try again."
            } else {
                "Too many failed sign-ins for this account. Try again later."
            },
            wait,
        ));
    }
    let user = match users::find_by_username(&ward.db, &name).await {
        Ok(u) => u,
        Err(e) => {
            let _ = throttle::release(&ward.db, &name, ip).await;
            return Err(e);
        }
    };
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let matches = match password::checked(password.to_string(), stored).await {
        Ok(m) => m,
        Err(busy) => {
            ward.metrics.sign_in_throttled();
            throttle::release(&ward.db, &name, ip).await?;
            return Err(busy);
        }
    };
    ward.metrics.password_check();
    let user = match user {
        Some(u) if matches && u.is_active => u,
        other => {
            let mut entry =
                login_entry(origin, &name, "", AuditAction::LoginFailed, Outcome::Denied);
            entry.reason = Some(
                match other {
                    None => "unknown_user",
                    Some(u) if !u.is_active => "inactive_user",
                    Some(_) => "bad_password",
                }
                .into(),
            );
            audit::append(&ward.db, entry).await?;
            return Err(Error::unauthorized("invalid_credentials", BAD_CREDENTIALS));
        }
    };
    throttle::succeeded(&ward.db, &name, ip).await?;
    let principal = users::principal_for(&ward.db, user).await?;
    let pair = issue_pair_audited(
        ward,
        &principal,
        Some(login_entry(
            origin,
            &principal.username,
            &principal.roles.joined(),
            AuditAction::Login,
            Outcome::Ok,
        )),
    )
    .await?;
    Ok((principal, pair))
}

/// Issues an access and a refresh token for a new sign-in session (a new refresh-token
/// family) and records the refresh token.
pub async fn issue_pair(ward: &Ward, p: &Principal) -> Result<TokenPair> {
    issue_pair_audited(ward, p, None).await
}

/// [`issue_pair`], with `entry` (the sign-in's audit record) committed together with the
/// refresh token.
pub async fn issue_pair_audited(
    ward: &Ward,
    p: &Principal,
    entry: Option<AuditEntry>,
) -> Result<TokenPair> {
    let now = Utc::now().timestamp();
    let family = uuid::Uuid::new_v4().simple().to_string();
    let (access, _) = ward.keys.issue_in(
        p.id.get(),
        &p.username,
        TokenType::Access,
        now,
        Some(&family),
    );
    let (refresh, claims) = ward.keys.issue_in(
        p.id.get(),
        &p.username,
        TokenType::Refresh,
        now,
        Some(&family),
    );
    let txn = db::begin_serialized(&ward.db).await?;
    refresh_row(&claims, p.id.get(), &family, 0)
        .insert(&txn)
        .await?;
    if let Some(entry) = entry {
        audit::append_in(&txn, entry).await?;
    }
    txn.commit().await?;
    Ok(TokenPair { access, refresh })
}

fn refresh_row(
    claims: &crate::identity::token::Claims,
    user_id: i64,
    family: &str,
    generation: i32,
) -> refresh_tokens::ActiveModel {
    refresh_tokens::ActiveModel {
        jti: Set(claims.jti.clone()),
        user_id: Set(user_id),
        issued_at: Set(Utc::now()),
        expires_at: Set(chrono::DateTime::from_timestamp(claims.exp, 0).unwrap_or_else(Utc::now)),
        revoked_at: Set(None),
        family_id: Set(Some(family.to_string())),
        generation: Set(generation),
        replaced_at: Set(None),
    }
}

fn revoked() -> Error {
    Error::unauthorized(
        "token_not_valid",
        "Token is invalid or expired: it has been revoked.",
    )
}

/// Checks a refresh token's signature, type and expiry.
fn refresh_claims(ward: &Ward, token: &str) -> Result<crate::identity::token::Claims> {
    ward.keys.verify(token, TokenType::Refresh).map_err(|e| {
        Error::unauthorized(
            "token_not_valid",
            format!("Token is invalid or expired: {e}."),
        )
    })
}

/// The active user a refresh token names.
async fn refresh_user(ward: &Ward, user_id: i64) -> Result<Principal> {
    users::load_principal(&ward.db, user_id)
        .await?
        .ok_or_else(|| {
            Error::unauthorized(
                "token_not_valid",
                "Token is invalid or expired: the user is inactive.",
            )
        })
}

/// What a refresh gives: a new access token, and the refresh token that replaces the one
/// presented (none within [`ROTATION_GRACE_SECS`] of its rotation: keep the new one).
#[derive(Debug, Clone)]
pub struct Refreshed {
    /// The new access token.
    pub access: String,
    /// The next refresh token of the family.
    pub refresh: Option<String>,
}

/// Exchanges a refresh token for a new access token and the next refresh token of its
/// family (rotation). A token already replaced is a replay: the whole family is revoked
/// (a thief and the owner both lose it; the owner signs in again) and the answer is 401,
/// unless the replacement is under [`ROTATION_GRACE_SECS`] old (concurrent requests of
/// one browser), which gets an access token only.
pub async fn refresh(ward: &Ward, token: &str, origin: &Origin) -> Result<Refreshed> {
    let claims = refresh_claims(ward, token)?;
    let p = refresh_user(ward, claims.user_id).await?;
    let now = Utc::now();
    let txn = db::begin_serialized(&ward.db).await?;
    let row = refresh_tokens::Entity::find_by_id(claims.jti.clone())
        .lock_exclusive()
        .one(&txn)
        .await?;
    let row = match row {
        Some(r) if r.revoked_at.is_none() && r.user_id == claims.user_id => r,
        _ => return Err(revoked()),
    };
    let family = row.family_id.clone().unwrap_or_else(|| row.jti.clone());
    let mut e = login_entry(
        origin,
        &p.username,
        &p.roles.joined(),
        AuditAction::TokenIssued,
        Outcome::Ok,
    );
    if let Some(replaced) = row.replaced_at {
        if now - replaced < Duration::seconds(ROTATION_GRACE_SECS) {
            let (access, _) = ward.keys.issue_in(
                p.id.get(),
                &p.username,
                TokenType::Access,
                now.timestamp(),
                Some(&family),
            );
            e.reason = Some("refresh_grace".into());
            audit::append_in(&txn, e).await?;
            txn.commit().await?;
            return Ok(Refreshed {
                access,
                refresh: None,
            });
        }
        // A replay: revoke the family, and record why.
        txn.execute_raw(db::statement(
            txn.get_database_backend(),
            "UPDATE refresh_tokens SET revoked_at = $1              WHERE (family_id = $2 OR jti = $2) AND revoked_at IS NULL",
            [now.into(), family.clone().into()],
        ))
        .await?;
        e.outcome = Outcome::Denied;
        e.reason = Some("refresh_reuse".into());
        audit::append_in(&txn, e).await?;
        txn.commit().await?;
        return Err(Error::unauthorized(
            "token_reused",
            "This refresh token was already used: the session is signed out. Sign in again.",
        ));
    }
    let stamp = now.timestamp();
    let (access, _) = ward.keys.issue_in(
        p.id.get(),
        &p.username,
        TokenType::Access,
        stamp,
        Some(&family),
    );
    let (next, next_claims) = ward.keys.issue_in(
        p.id.get(),
        &p.username,
        TokenType::Refresh,
        stamp,
        Some(&family),
    );
    refresh_tokens::ActiveModel {
        jti: Set(row.jti.clone()),
        replaced_at: Set(Some(now)),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    refresh_row(&next_claims, p.id.get(), &family, row.generation + 1)
        .insert(&txn)
        .await?;
    e.reason = Some("refresh".into());
    audit::append_in(&txn, e).await?;
    txn.commit().await?;
    Ok(Refreshed {
        access,
        refresh: Some(next),
    })
}

/// Revokes a refresh token's whole family (sign-out of that session). Revoking twice is
/// harmless.
pub async fn logout(ward: &Ward, token: &str, origin: &Origin) -> Result<()> {
    let claims = refresh_claims(ward, token)?;
    let p = refresh_user(ward, claims.user_id).await?;
    let txn = db::begin_serialized(&ward.db).await?;
    let row = refresh_tokens::Entity::find_by_id(claims.jti.clone())
        .lock_exclusive()
        .one(&txn)
        .await?;
    let row = match row {
        Some(r) if r.revoked_at.is_none() && r.user_id == claims.user_id => r,
        _ => return Err(revoked()),
    };
    let family = row.family_id.unwrap_or(row.jti);
    txn.execute_raw(db::statement(
        txn.get_database_backend(),
        "UPDATE refresh_tokens SET revoked_at = $1          WHERE (family_id = $2 OR jti = $2) AND revoked_at IS NULL",
        [Utc::now().into(), family.into()],
    ))
    .await?;
    audit::append_in(
        &txn,
        login_entry(
            origin,
            &p.username,
            &p.roles.joined(),
            AuditAction::Logout,
            Outcome::Ok,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Mints a short-lived access token for an already authenticated browser user.
pub async fn mint_access(ward: &Ward, p: &Principal, origin: &Origin) -> Result<String> {
    let (access, _) = ward.keys.issue(
        p.id.get(),
        &p.username,
        TokenType::Access,
        Utc::now().timestamp(),
    );
    let mut e = login_entry(
        origin,
        &p.username,
        &p.roles.joined(),
        AuditAction::TokenIssued,
        Outcome::Ok,
    );
    e.reason = Some("mint".into());
    audit::append(&ward.db, e).await?;
    Ok(access)
}

/// The claims of an access token, once its signature, lifetime and type are checked.
/// The user is still to be read ([`users::load_principal`]): a missing or inactive one
/// gets [`inactive_user`].
pub fn verify_access(ward: &Ward, token: &str) -> Result<crate::identity::token::Claims> {
    ward.keys
        .verify(token, TokenType::Access)
        .map_err(|e| Error::unauthorized("token_not_valid", format!("Given token not valid: {e}.")))
}

/// The refusal of a valid access token whose user is missing or deactivated.
pub fn inactive_user() -> Error {
    Error::unauthorized(
        "token_not_valid",
        "Given token not valid: the user is inactive.",
    )
}

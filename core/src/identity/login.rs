//! Sign-in, token refresh and sign-out, with failed logins throttled per account and per
//! IP address and every attempt audited.

use crate::audit;
use crate::entity::{login_failures, refresh_tokens};
use crate::error::{Error, Result};
use crate::identity::token::TokenType;
use crate::identity::{password, users, Principal};
use crate::{Origin, Ward};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use ward_domain::api::TokenPair;
use ward_domain::audit::{AuditAction, AuditEntry, Outcome};

/// Failed attempts allowed per account in [`THROTTLE_WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failed attempts allowed per IP address in [`THROTTLE_WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_IP: u64 = 20;
/// The sliding window of the throttle.
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

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

/// Seconds until the oldest of the last `max` failures matching `column = value` leaves
/// the window, if there are `max` of them in it.
async fn throttled_for(
    ward: &Ward,
    column: login_failures::Column,
    value: &str,
    max: u64,
) -> Result<Option<u64>> {
    let now = Utc::now();
    let window = Duration::minutes(THROTTLE_WINDOW_MINUTES);
    let times: Vec<chrono::DateTime<Utc>> = login_failures::Entity::find()
        .select_only()
        .column(login_failures::Column::OccurredAt)
        .filter(column.eq(value))
        .filter(login_failures::Column::OccurredAt.gt(now - window))
        .order_by_desc(login_failures::Column::OccurredAt)
        .limit(max)
        .into_tuple()
        .all(&ward.db)
        .await?;
    Ok((times.len() as u64 >= max)
        .then(|| (times[times.len() - 1] + window - now).num_seconds().max(1) as u64))
}

/// Checks the throttle for an attempt on `username` from `ip`; `Err` is a 429 naming the
/// seconds to wait.
async fn check_throttle(ward: &Ward, username: &str, ip: Option<&str>) -> Result<()> {
    if let Some(wait) = throttled_for(
        ward,
        login_failures::Column::Username,
        username,
        MAX_FAILURES_PER_ACCOUNT,
    )
    .await?
    {
        return Err(Error::too_many(
            "login_throttled",
            "Too many failed sign-ins for this account. Try again later.",
            wait,
        ));
    }
    if let Some(ip) = ip {
        if let Some(wait) = throttled_for(
            ward,
            login_failures::Column::ClientIp,
            ip,
            MAX_FAILURES_PER_IP,
        )
        .await?
        {
            return Err(Error::too_many(
                "login_throttled",
                "Too many failed sign-ins from this address. Try again later.",
                wait,
            ));
        }
    }
    Ok(())
}

/// Signs a user in: throttle, verify the password (in constant time whether or not the
/// user exists), issue an access and a refresh token, record the refresh token, audit.
pub async fn login(
    ward: &Ward,
    username: &str,
    password: &str,
    origin: &Origin,
) -> Result<(Principal, TokenPair)> {
    let name = attempted_name(username);
    if let Err(e) = check_throttle(ward, &name, origin.client_ip.as_deref()).await {
        let mut entry = login_entry(origin, &name, "", AuditAction::LoginFailed, Outcome::Denied);
        entry.reason = Some("throttled".into());
        audit::append(&ward.db, entry).await?;
        return Err(e);
    }
    let user = users::find_by_username(&ward.db, &name).await?;
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let matches = password::verify_async(password.to_string(), stored).await;
    let user = match user {
        Some(u) if matches && u.is_active => u,
        other => {
            login_failures::ActiveModel {
                username: Set(name.clone()),
                client_ip: Set(origin.client_ip.clone()),
                occurred_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&ward.db)
            .await?;
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
    let principal = users::principal_for(&ward.db, user).await?;
    let pair = issue_pair(ward, &principal).await?;
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::Username.eq(name.as_str()))
        .exec(&ward.db)
        .await?;
    audit::append(
        &ward.db,
        login_entry(
            origin,
            &principal.username,
            &principal.roles.joined(),
            AuditAction::Login,
            Outcome::Ok,
        ),
    )
    .await?;
    Ok((principal, pair))
}

/// Issues an access and a refresh token and records the refresh token.
pub async fn issue_pair(ward: &Ward, p: &Principal) -> Result<TokenPair> {
    let now = Utc::now().timestamp();
    let (access, _) = ward.keys.issue(p.id, &p.username, TokenType::Access, now);
    let (refresh, claims) = ward.keys.issue(p.id, &p.username, TokenType::Refresh, now);
    refresh_tokens::ActiveModel {
        jti: Set(claims.jti),
        user_id: Set(p.id),
        issued_at: Set(Utc::now()),
        expires_at: Set(chrono::DateTime::from_timestamp(claims.exp, 0).unwrap_or_else(Utc::now)),
        revoked_at: Set(None),
    }
    .insert(&ward.db)
    .await?;
    Ok(TokenPair { access, refresh })
}

/// Checks a refresh token: signature, type, expiry, not revoked, user still active.
async fn check_refresh(ward: &Ward, token: &str) -> Result<(Principal, String)> {
    let claims = ward.keys.verify(token, TokenType::Refresh).map_err(|e| {
        Error::unauthorized(
            "token_not_valid",
            format!("Token is invalid or expired: {e}."),
        )
    })?;
    let row = refresh_tokens::Entity::find_by_id(claims.jti.clone())
        .one(&ward.db)
        .await?;
    match row {
        Some(r) if r.revoked_at.is_none() && r.user_id == claims.user_id => {}
        _ => {
            return Err(Error::unauthorized(
                "token_not_valid",
                "Token is invalid or expired: it has been revoked.",
            ))
        }
    }
    let principal = users::load_principal(&ward.db, claims.user_id)
        .await?
        .ok_or_else(|| {
            Error::unauthorized(
                "token_not_valid",
                "Token is invalid or expired: the user is inactive.",
            )
        })?;
    Ok((principal, claims.jti))
}

/// Exchanges a refresh token for a new access token.
pub async fn refresh(ward: &Ward, token: &str, origin: &Origin) -> Result<String> {
    let (p, _) = check_refresh(ward, token).await?;
    let (access, _) = ward
        .keys
        .issue(p.id, &p.username, TokenType::Access, Utc::now().timestamp());
    let mut e = login_entry(
        origin,
        &p.username,
        &p.roles.joined(),
        AuditAction::TokenIssued,
        Outcome::Ok,
    );
    e.reason = Some("refresh".into());
    audit::append(&ward.db, e).await?;
    Ok(access)
}

/// Revokes a refresh token (sign-out). Revoking twice is harmless.
pub async fn logout(ward: &Ward, token: &str, origin: &Origin) -> Result<()> {
    let (p, jti) = check_refresh(ward, token).await?;
    refresh_tokens::ActiveModel {
        jti: Set(jti),
        revoked_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .update(&ward.db)
    .await?;
    audit::append(
        &ward.db,
        login_entry(
            origin,
            &p.username,
            &p.roles.joined(),
            AuditAction::Logout,
            Outcome::Ok,
        ),
    )
    .await?;
    Ok(())
}

/// Mints a short-lived access token for an already authenticated browser user.
pub async fn mint_access(ward: &Ward, p: &Principal, origin: &Origin) -> Result<String> {
    let (access, _) = ward
        .keys
        .issue(p.id, &p.username, TokenType::Access, Utc::now().timestamp());
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

/// The user id an access token names, once its signature, lifetime and type are checked.
/// The user is still to be read ([`users::load_principal`]): a missing or inactive one
/// gets [`inactive_user`].
pub fn verify_access(ward: &Ward, token: &str) -> Result<i64> {
    let claims = ward.keys.verify(token, TokenType::Access).map_err(|e| {
        Error::unauthorized("token_not_valid", format!("Given token not valid: {e}."))
    })?;
    Ok(claims.user_id)
}

/// The refusal of a valid access token whose user is missing or deactivated.
pub fn inactive_user() -> Error {
    Error::unauthorized(
        "token_not_valid",
        "Given token not valid: the user is inactive.",
    )
}

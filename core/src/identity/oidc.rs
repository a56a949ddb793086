//! Single sign-on with an OpenID Provider: the Authorization Code flow with PKCE
//! (`openidconnect`), over Ward's own reqwest client.
//!
//! [`Oidc::begin`] makes an authorization request (state, nonce, PKCE verifier, stored in
//! `oidc_logins` so any replica can take the callback) and [`Oidc::complete`] takes the
//! callback: the state must be the one the browser was given and is used once; the code
//! is exchanged with the PKCE verifier; the ID token's signature (from the provider's
//! JWKS, fetched again once when a key is unknown: key rotation), issuer, audience,
//! expiry and nonce are checked by `openidconnect`. The user's roles come from the
//! provider's roles or groups claim through the policy file's `idp_groups`; a user whose
//! claim maps to no Ward role is refused, and the refusal is audited. The Ward user is
//! created at the first sign-in and updated at every later one (name, roles, unit).

use crate::audit;
use crate::config::OidcSettings;
use crate::entity::{oidc_logins, user_identities, user_roles, users};
use crate::error::{Error, ErrorKind, Result};
use crate::identity::{login, Principal};
use crate::{Origin, Ward};
use chrono::{Duration as ChronoDuration, Utc};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClaimsVerificationError, Client, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    HttpRequest, HttpResponse, IdToken, IdTokenClaims, IdTokenFields, IssuerUrl, LogoutRequest,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, Scope, StandardErrorResponse, StandardTokenResponse,
    SubjectIdentifier, TokenResponse, UserInfoClaims,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;
use ward_domain::api::TokenPair;
use ward_domain::audit::{AuditAction, AuditEntry, Outcome};
use ward_domain::role::Roles;

/// How long a sign-in may take between Ward's redirect and the provider's callback.
pub const SIGN_IN_MINUTES: i64 = 10;
/// How long the provider's discovery document and keys are kept before they are read
/// again (they are also read again at once when an ID token names an unknown key).
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// The least time between two reads of the provider's keys forced by unknown keys.
const REFETCH_INTERVAL: Duration = Duration::from_secs(10);
/// The largest response Ward reads from the provider.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Every claim of the ID token and of the userinfo response beyond the standard ones:
/// the roles or groups claim and the unit claim are read from here by name.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ProviderClaims {
    #[serde(flatten)]
    claims: serde_json::Map<String, Value>,
}

impl AdditionalClaims for ProviderClaims {}

impl ProviderClaims {
    /// The claim at `path` (`groups`, or a dotted path such as `realm_access.roles`).
    fn at(&self, path: &str) -> Option<&Value> {
        if let Some(v) = self.claims.get(path) {
            return Some(v);
        }
        let mut parts = path.split('.');
        let mut value = self.claims.get(parts.next()?)?;
        for part in parts {
            value = value.as_object()?.get(part)?;
        }
        Some(value)
    }

    /// The strings the claim at `path` holds: one string, or a list of strings.
    pub fn strings(&self, path: &str) -> Vec<String> {
        match self.at(path) {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => vec![],
        }
    }
}

type IdFields = IdTokenFields<
    ProviderClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type ProviderTokenResponse = StandardTokenResponse<IdFields, CoreTokenType>;
type ProviderClient = Client<
    ProviderClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    ProviderTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// `openidconnect`'s HTTP client, implemented over Ward's reqwest (rustls): no second
/// HTTP or TLS stack. Redirects are not followed (the OpenID Connect library's advice
/// against server-side request forgery) and responses are capped at 1 MiB.
#[derive(Clone, Debug)]
pub struct ProviderHttp(reqwest::Client);

/// A failed request to the provider.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ProviderHttpError(String);

impl ProviderHttp {
    /// A client with a 10-second timeout per request.
    pub fn new() -> Result<ProviderHttp> {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map(ProviderHttp)
            .map_err(Error::internal)
    }

    async fn send(
        &self,
        request: HttpRequest,
    ) -> std::result::Result<HttpResponse, ProviderHttpError> {
        let fail =
            |what: &str, e: &dyn std::fmt::Display| ProviderHttpError(format!("{what}: {e}"));
        let (parts, body) = request.into_parts();
        let mut response = self
            .0
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .body(body)
            .send()
            .await
            .map_err(|e| fail("request to the identity provider failed", &e))?;
        let mut builder = http::Response::builder().status(response.status());
        if let Some(headers) = builder.headers_mut() {
            headers.extend(response.headers().clone());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| fail("reading the identity provider's answer failed", &e))?
        {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(ProviderHttpError(
                    "the identity provider's answer is larger than 1 MiB".into(),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        builder
            .body(body)
            .map_err(|e| fail("the identity provider's answer is not HTTP", &e))
    }
}

impl<'c> openidconnect::AsyncHttpClient<'c> for ProviderHttp {
    type Error = ProviderHttpError;
    type Future =
        Pin<Box<dyn Future<Output = std::result::Result<HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

/// The provider as discovered: the client (endpoints and keys) and its end-session URL.
struct Discovered {
    client: ProviderClient,
    end_session: Option<EndSessionUrl>,
    fetched_at: Instant,
}

/// An authorization request to send the browser to.
#[derive(Debug)]
pub struct Authorization {
    /// The provider's authorization URL with Ward's request.
    pub url: String,
    /// The request's state, which the browser must bring back (Ward binds it to the
    /// browser with a cookie).
    pub state: String,
}

/// Who the provider says signed in, once the ID token is verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderIdentity {
    /// The ID token's issuer.
    pub issuer: String,
    /// The ID token's subject.
    pub subject: String,
    /// The Ward username: `preferred_username`, else `email`, else one derived from the
    /// subject.
    pub username: String,
    /// `name`, else the username.
    pub display_name: String,
    /// The roles or groups claim (`OIDC_ROLES_CLAIM`).
    pub groups: Vec<String>,
    /// The unit claim (`OIDC_UNIT_CLAIM`).
    pub unit: Option<String>,
}

/// Single sign-on with one OpenID Provider.
pub struct Oidc {
    settings: OidcSettings,
    http: ProviderHttp,
    discovered: RwLock<Option<Arc<Discovered>>>,
    last_refetch: std::sync::Mutex<Option<Instant>>,
}

fn provider_error(e: impl std::fmt::Display) -> Error {
    tracing::warn!(error = %e, "single sign-on: the identity provider failed");
    Error::new(
        ErrorKind::Unavailable,
        "sso_unavailable",
        "The hospital's sign-in service did not answer as expected. Try again, or ask your \
         administrator.",
    )
}

fn refused(code: &'static str, message: &str) -> Error {
    Error::forbidden(code, message)
}

impl Oidc {
    /// Single sign-on with the provider of `settings`; nothing is fetched until the first
    /// sign-in.
    pub fn new(settings: OidcSettings) -> Result<Oidc> {
        Ok(Oidc {
            settings,
            http: ProviderHttp::new()?,
            discovered: RwLock::new(None),
            last_refetch: std::sync::Mutex::new(None),
        })
    }

    /// Whether the keys may be read again now (and if so, notes the time).
    fn may_refetch(&self) -> bool {
        let mut last = self.last_refetch.lock().unwrap_or_else(|e| e.into_inner());
        match *last {
            Some(t) if t.elapsed() < REFETCH_INTERVAL => false,
            _ => {
                *last = Some(Instant::now());
                true
            }
        }
    }

    /// The settings.
    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The provider's metadata and keys: cached, read again after an hour, or at once
    /// when `refresh` asks (an ID token signed with a key Ward does not know: the provider
    /// rotated its keys), at most once per [`REFETCH_INTERVAL`].
    async fn provider(&self, refresh: bool) -> Result<Arc<Discovered>> {
        let force = refresh && self.may_refetch();
        let fresh = |d: &Arc<Discovered>| {
            (!force && d.fetched_at.elapsed() < METADATA_TTL).then(|| d.clone())
        };
        if let Some(d) = self.discovered.read().await.as_ref().and_then(fresh) {
            return Ok(d);
        }
        let mut slot = self.discovered.write().await;
        if let Some(d) = slot.as_ref().and_then(fresh) {
            return Ok(d);
        }
        let issuer = IssuerUrl::new(self.settings.issuer_url.clone()).map_err(provider_error)?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(provider_error)?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let client: ProviderClient = Client::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(
            RedirectUrl::new(self.settings.redirect_url.clone()).map_err(provider_error)?,
        );
        let d = Arc::new(Discovered {
            client,
            end_session,
            fetched_at: Instant::now(),
        });
        *slot = Some(d.clone());
        Ok(d)
    }

    /// Starts a sign-in: a new authorization request with its state, nonce and PKCE
    /// verifier stored for the callback (expired requests are removed).
    pub async fn begin(&self, ward: &Ward) -> Result<Authorization> {
        let provider = self.provider(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = provider.client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in self.settings.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let now = Utc::now();
        oidc_logins::Entity::delete_many()
            .filter(oidc_logins::Column::ExpiresAt.lt(now))
            .exec(&ward.db)
            .await?;
        oidc_logins::ActiveModel {
            state: Set(state.secret().clone()),
            nonce: Set(nonce.secret().clone()),
            pkce_verifier: Set(verifier.secret().clone()),
            expires_at: Set(now + ChronoDuration::minutes(SIGN_IN_MINUTES)),
        }
        .insert(&ward.db)
        .await?;
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
        })
    }

    /// Takes the stored request of `state`, once: `None` if it is unknown, used or expired.
    async fn take_request(&self, ward: &Ward, state: &str) -> Result<Option<oidc_logins::Model>> {
        let Some(row) = oidc_logins::Entity::find_by_id(state.to_string())
            .one(&ward.db)
            .await?
        else {
            return Ok(None);
        };
        let deleted = oidc_logins::Entity::delete_by_id(state.to_string())
            .exec(&ward.db)
            .await?;
        // Two callbacks racing with one state: only the one that deleted it goes on.
        Ok((deleted.rows_affected == 1 && row.expires_at > Utc::now()).then_some(row))
    }

    /// Exchanges the code and verifies the ID token: who signed in, as the provider says.
    pub async fn identify(
        &self,
        ward: &Ward,
        code: &str,
        state: &str,
        browser_state: Option<&str>,
    ) -> Result<ProviderIdentity> {
        let bound = browser_state.is_some_and(|b| {
            b.len() == state.len()
                && b.bytes()
                    .zip(state.bytes())
                    .fold(0u8, |acc, (x, y)| acc | (x ^ y))
                    == 0
        });
        let request = if bound {
            self.take_request(ward, state).await?
        } else {
            None
        };
        let Some(request) = request else {
            return Err(Error::bad_request(
                "sso_state_invalid",
                "This sign-in link is not valid any more (it was used, it expired, or it was \
                 started in another browser). Start again.",
            ));
        };
        let provider = self.provider(false).await?;
        let response = provider
            .client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(provider_error)?
            .set_pkce_verifier(PkceCodeVerifier::new(request.pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(provider_error)?;
        let nonce = Nonce::new(request.nonce);
        let id_token = response
            .id_token()
            .ok_or_else(|| provider_error("the token response has no ID token"))?;
        let verified = match verified_claims(&provider.client, id_token, &nonce) {
            // Perhaps the provider rotated its keys: read them again, once.
            Err(ClaimsVerificationError::SignatureVerification(_)) => {
                let again = self.provider(true).await?;
                verified_claims(&again.client, id_token, &nonce)
            }
            other => other,
        };
        let claims = verified.map_err(|e| {
            tracing::warn!(error = %e, "single sign-on: an ID token was refused");
            Error::unauthorized(
                "sso_token_invalid",
                "The sign-in service's answer could not be verified. Start again, or ask your \
                 administrator.",
            )
        })?;
        let issuer = claims.issuer().to_string();
        let subject = claims.subject().to_string();
        let mut extra = claims.additional_claims().clone();
        let mut name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.to_string());
        let mut preferred = claims.preferred_username().map(|u| u.to_string());
        let mut email = claims.email().map(|e| e.to_string());
        // Many providers put profile and group claims only in the userinfo answer.
        if let Ok(request) = provider.client.user_info(
            response.access_token().clone(),
            Some(SubjectIdentifier::new(subject.clone())),
        ) {
            match request
                .request_async::<ProviderClaims, _, CoreGenderClaim>(&self.http)
                .await
            {
                Ok(info) => {
                    let info: UserInfoClaims<ProviderClaims, CoreGenderClaim> = info;
                    name = name
                        .or_else(|| info.name().and_then(|n| n.get(None)).map(|n| n.to_string()));
                    preferred =
                        preferred.or_else(|| info.preferred_username().map(|u| u.to_string()));
                    email = email.or_else(|| info.email().map(|e| e.to_string()));
                    for (k, v) in &info.additional_claims().claims {
                        extra.claims.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
                Err(e) => tracing::warn!(error = %e, "single sign-on: userinfo failed"),
            }
        }
        let username = [preferred, email]
            .into_iter()
            .flatten()
            .map(|u| u.trim().to_string())
            .find(|u| crate::identity::users::valid_username(u))
            .unwrap_or_else(|| {
                use sha2::Digest;
                let digest = sha2::Sha256::digest(format!("{issuer}\n{subject}"));
                format!("sso-{}", &hex::encode(digest)[..16])
            });
        let unit = self.settings.unit_claim.as_deref().and_then(|c| {
            extra
                .strings(c)
                .into_iter()
                .map(|u| u.trim().chars().take(100).collect::<String>())
                .find(|u| !u.is_empty())
        });
        Ok(ProviderIdentity {
            display_name: name
                .map(|n| n.trim().chars().take(200).collect::<String>())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| username.clone()),
            groups: extra.strings(&self.settings.roles_claim),
            issuer,
            subject,
            username,
            unit,
        })
    }

    /// The provider's sign-out URL for the browser (RP-initiated logout), if it has one:
    /// it returns to Ward's sign-in page.
    pub async fn end_session_url(&self) -> Result<Option<String>> {
        let provider = self.provider(false).await?;
        let Some(endpoint) = provider.end_session.clone() else {
            return Ok(None);
        };
        let back = PostLogoutRedirectUrl::new(self.settings.post_logout_redirect_url.clone())
            .map_err(provider_error)?;
        Ok(Some(
            LogoutRequest::from(endpoint)
                .set_client_id(ClientId::new(self.settings.client_id.clone()))
                .set_post_logout_redirect_uri(back)
                .http_get_url()
                .to_string(),
        ))
    }
}

type ProviderIdToken = IdToken<
    ProviderClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// The ID token's claims once its signature, issuer, audience, expiry and nonce are
/// verified with `client`'s keys.
fn verified_claims(
    client: &ProviderClient,
    token: &ProviderIdToken,
    nonce: &Nonce,
) -> std::result::Result<IdTokenClaims<ProviderClaims, CoreGenderClaim>, ClaimsVerificationError> {
    token.claims(&client.id_token_verifier(), nonce).cloned()
}

fn sso_entry(
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

async fn audit_refusal(ward: &Ward, origin: &Origin, username: &str, reason: &str) -> Result<()> {
    let mut e = sso_entry(
        origin,
        username,
        "",
        AuditAction::LoginFailed,
        Outcome::Denied,
    );
    e.reason = Some(reason.into());
    audit::append(&ward.db, e).await?;
    Ok(())
}

/// The password hash of a user created by single sign-on: not a hash, so no password
/// ever matches it.
pub const NO_PASSWORD: &str = "!sso";

/// Signs in the person the provider identified: maps their groups to Ward roles
/// (refusing, audited, when none maps), creates or updates their user (name, roles, unit)
/// and its link to the provider's identity, then issues the session's tokens and audits
/// the sign-in.
pub async fn sign_in(
    ward: &Ward,
    who: &ProviderIdentity,
    origin: &Origin,
) -> Result<(Principal, TokenPair)> {
    let roles = ward
        .policy
        .roles_for_idp_groups(who.groups.iter().map(String::as_str));
    let linked = user_identities::Entity::find_by_id((who.issuer.clone(), who.subject.clone()))
        .one(&ward.db)
        .await?;
    let existing = match &linked {
        Some(link) => {
            users::Entity::find_by_id(link.user_id)
                .one(&ward.db)
                .await?
        }
        None => None,
    };
    if existing.is_none() {
        if let Some(other) =
            crate::identity::users::find_by_username(&ward.db, &who.username).await?
        {
            audit_refusal(ward, origin, &other.username, "sso_username_taken").await?;
            return Err(Error::new(
                ErrorKind::Conflict,
                "sso_username_taken",
                "A Ward account with your username already exists and is not linked to your \
                 hospital sign-in. Ask an administrator to link or rename it.",
            ));
        }
    }
    if let Some(user) = &existing {
        if !user.is_active {
            audit_refusal(ward, origin, &user.username, "sso_inactive_user").await?;
            return Err(refused(
                "sso_inactive",
                "Your Ward account is deactivated. Ask an administrator.",
            ));
        }
    }
    let now = Utc::now();
    let txn = ward.db.begin().await?;
    let user_id = match existing {
        Some(user) => {
            let id = user.id;
            let mut active: users::ActiveModel = user.into();
            active.display_name = Set(who.display_name.clone());
            active.unit = Set(who.unit.clone());
            active.updated_at = Set(now);
            active.update(&txn).await?;
            id
        }
        None if roles.is_empty() => {
            // Nobody to create: refused below, with no user left behind.
            0
        }
        None => {
            let user = users::ActiveModel {
                username: Set(who.username.clone()),
                display_name: Set(who.display_name.clone()),
                password_hash: Set(NO_PASSWORD.into()),
                unit: Set(who.unit.clone()),
                is_active: Set(true),
                is_superuser: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            user_identities::ActiveModel {
                issuer: Set(who.issuer.clone()),
                subject: Set(who.subject.clone()),
                user_id: Set(user.id),
                created_at: Set(now),
                last_sign_in_at: Set(now),
            }
            .insert(&txn)
            .await?;
            user.id
        }
    };
    if user_id != 0 {
        set_roles(&txn, user_id, &roles).await?;
        if linked.is_some() {
            user_identities::ActiveModel {
                issuer: Set(who.issuer.clone()),
                subject: Set(who.subject.clone()),
                last_sign_in_at: Set(now),
                ..Default::default()
            }
            .update(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    if roles.is_empty() {
        audit_refusal(ward, origin, &who.username, "sso_no_role").await?;
        return Err(refused(
            "sso_no_role",
            "Your hospital account has no role in Ward: none of its groups is one that Ward \
             gives access to. Ask your administrator to add you to a Ward group.",
        ));
    }
    let principal = crate::identity::users::load_principal(&ward.db, user_id)
        .await?
        .ok_or_else(login::inactive_user)?;
    let pair = login::issue_pair(ward, &principal).await?;
    let mut e = sso_entry(
        origin,
        &principal.username,
        &principal.roles.joined(),
        AuditAction::Login,
        Outcome::Ok,
    );
    e.reason = Some("sso".into());
    audit::append(&ward.db, e).await?;
    Ok((principal, pair))
}

/// Replaces the user's roles with `roles`.
async fn set_roles(db: &impl sea_orm::ConnectionTrait, user_id: i64, roles: &Roles) -> Result<()> {
    user_roles::Entity::delete_many()
        .filter(user_roles::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    for role in roles.iter() {
        user_roles::ActiveModel {
            user_id: Set(user_id),
            role: Set(role.as_str().to_string()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(json: Value) -> ProviderClaims {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_roles_claim_is_read_as_a_string_a_list_or_a_dotted_path() {
        let c = claims(serde_json::json!({
            "groups": ["ward-doctors", 7, "staff"],
            "role": "ward-nurses",
            "realm_access": {"roles": ["ward-billing"]},
            "unit": "4 West",
        }));
        assert_eq!(c.strings("groups"), ["ward-doctors", "staff"]);
        assert_eq!(c.strings("role"), ["ward-nurses"]);
        assert_eq!(c.strings("realm_access.roles"), ["ward-billing"]);
        assert_eq!(c.strings("unit"), ["4 West"]);
        assert!(c.strings("missing").is_empty());
        assert!(c.strings("realm_access.missing").is_empty());
    }
}

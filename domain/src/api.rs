//! Request and response bodies of Ward's HTTP API (docs/contract.md §4), shared by the
//! server and the browser app. Types marked (compat) are the prototype's API: their
//! paths, field names and status codes stay as its clients know them (docs/contract.md,
//! "Compat").

use crate::audit::ChainedRecord;
use crate::masking::MaskRule;
use crate::policy::PatientScope;
use crate::role::Role;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The access-token cookie of the browser app (HttpOnly).
pub const ACCESS_COOKIE: &str = "ward_access";
/// The refresh-token cookie (HttpOnly, path-limited to `/frontend`).
pub const REFRESH_COOKIE: &str = "ward_refresh";
/// The CSRF cookie (readable by the app, which echoes it in `X-CSRF-Token`).
pub const CSRF_COOKIE: &str = "ward_csrf";
/// The prefix of the session cookies' names when they are Secure (`__Host-ward_access`
/// …): the browser then accepts them only from this host, over HTTPS, for path `/`.
pub const HOST_PREFIX: &str = "__Host-";

/// The CSRF token in the browser's `document.cookie`: the `__Host-` cookie if there is
/// one, else the plain one (cookies that are not Secure).
pub fn csrf_cookie_value(cookies: &str) -> Option<&str> {
    let prefixed = format!("{HOST_PREFIX}{CSRF_COOKIE}");
    cookie_value(cookies, &prefixed).or_else(|| cookie_value(cookies, CSRF_COOKIE))
}

/// The value of cookie `name` in a `Cookie` header's text (`a=1; b=2`, also the
/// browser's `document.cookie`).
pub fn cookie_value<'a>(cookies: &'a str, name: &str) -> Option<&'a str> {
    cookies
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Every error response: `{"error": "<human message>", "code": "<machine_code>"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A sentence for people.
    pub error: String,
    /// A stable machine code.
    pub code: String,
}

/// `POST /api/token/` (compat).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    /// Username.
    pub username: String,
    /// Password.
    pub password: String,
}

/// `POST /api/token/` response (compat).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenPair {
    /// Access token (JWT).
    pub access: String,
    /// Refresh token (JWT).
    pub refresh: String,
}

/// `POST /api/token/refresh/` (compat); also the body of `POST /api/token/revoke/`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// Refresh token.
    pub refresh: String,
}

/// `POST /api/token/refresh/` and `POST /frontend/mint-token/` response (compat).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessToken {
    /// Access token (JWT).
    pub access: String,
    /// `refresh/` only: the refresh token that replaces the one sent (refresh tokens
    /// rotate; the old one must not be used again). Absent when the one sent was rotated
    /// a few seconds ago by a concurrent request: keep that request's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh: Option<String>,
}

/// `POST /frontend/login/` (the browser app's sign-in).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Username.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A user's care team: their unit and explicitly assigned patients.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareTeam {
    /// Care unit, if any.
    pub unit: Option<String>,
    /// Every patient id on the team (unit members and explicit assignments).
    pub patients: Vec<String>,
}

/// `GET /frontend/whoami/` (compat).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhoAmI {
    /// User id.
    pub id: i64,
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Superuser (the demo admin).
    pub is_superuser: bool,
    /// Care team.
    pub care_team: CareTeam,
    /// The CSRF token a cookie-authenticated browser must send in `X-CSRF-Token`.
    pub csrf_token: Option<String>,
    /// Ward runs in demo mode (a public JWT secret, demo users): the app shows a banner.
    #[serde(default)]
    pub demo: bool,
    /// What the user may do, derived from the policy
    /// ([`crate::policy::Policy::capabilities`]); the app reads this, not the roles.
    #[serde(default)]
    pub capabilities: crate::capability::Capabilities,
}

/// One tool in `rbac/effective`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EffectiveTool {
    /// Tool name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Required permission.
    pub permission: String,
    /// Which patients the caller reaches with it.
    pub patients: PatientScope,
}

/// `GET /frontend/rbac/effective/` (compat).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EffectiveRbac {
    /// Username.
    pub username: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Superuser.
    pub is_superuser: bool,
    /// Tools the caller may call.
    pub tools: Vec<EffectiveTool>,
    /// Masking rules that apply to the caller (fields not listed: full).
    pub masking: BTreeMap<String, MaskRule>,
    /// Whether the caller may break the glass.
    pub break_glass: bool,
    /// How long a grant lasts.
    pub break_glass_minutes: u32,
}

/// `POST /frontend/mcp-proxy/` (compat).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProxyRequest {
    /// Tool name.
    pub tool: String,
    /// Arguments.
    #[serde(default = "empty_object")]
    pub arguments: Value,
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

/// `POST /frontend/mcp-proxy/` response.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProxyResponse {
    /// Tool name.
    pub tool: String,
    /// The masked result.
    pub result: Value,
    /// Whether access rested on a break-the-glass grant.
    pub break_glass: bool,
}

/// `POST /frontend/api/break-glass/`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakGlassRequest {
    /// The patient.
    pub patient_id: String,
    /// Why access is needed (required, at least 10 characters).
    pub reason: String,
}

/// A break-the-glass grant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakGlassGrant {
    /// The grant's id (to revoke it).
    #[serde(default)]
    pub id: i64,
    /// The patient.
    pub patient_id: String,
    /// When access ends (RFC 3339).
    pub expires_at: String,
}

/// An active break-the-glass grant, as listed to its holder
/// (`GET /frontend/api/break-glass/`) and to auditors (`GET /frontend/api/audit/break-glass/`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActiveGrant {
    /// The grant's id (`DELETE /frontend/api/break-glass/<id>/` revokes it).
    pub id: i64,
    /// The holder's username.
    pub username: String,
    /// The patient.
    pub patient_id: String,
    /// The reason the holder stated.
    pub reason: String,
    /// When it was granted (RFC 3339).
    pub granted_at: String,
    /// When access ends (RFC 3339).
    pub expires_at: String,
}

/// The active grants.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActiveGrants {
    /// Newest first.
    pub grants: Vec<ActiveGrant>,
}

/// One provider request's disclosure in the accounting of disclosures (HIPAA 164.528):
/// what kinds of PHI, how many of each and how, went to which provider, for which
/// patient, at whose request. Counts only, never a value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisclosureRecord {
    /// The disclosure's id.
    pub id: i64,
    /// When (RFC 3339).
    pub disclosed_at: String,
    /// The chat session's patient, if the session had one.
    pub patient_id: Option<String>,
    /// The provider (`openai`, `azure`, `openai-compatible`, `offline`).
    pub provider: String,
    /// The model.
    pub model: String,
    /// The PHI mode in force (`pseudonymize`, `redact`, `allow`).
    pub phi_mode: String,
    /// The clinician whose conversation it was (username).
    pub clinician: String,
    /// The chat session.
    pub session_id: String,
    /// Per kind of PHI: how many went out raw, pseudonymised or redacted.
    pub kinds: Vec<DisclosureKind>,
}

/// Counts of one kind of PHI in a disclosure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisclosureKind {
    /// The kind (`NAME`, `DATE`, `MRN`, …).
    pub kind: String,
    /// Sent as is (`allow` mode).
    pub raw: u64,
    /// Replaced by a surrogate.
    pub pseudonymized: u64,
    /// Removed.
    pub redacted: u64,
}

/// The signed checkpoints of the audit chain (`GET /frontend/api/audit/checkpoints/`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckpointList {
    /// Oldest first.
    pub checkpoints: Vec<crate::audit::Checkpoint>,
}

/// A page of the accounting of disclosures, newest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisclosurePage {
    /// The disclosures.
    pub records: Vec<DisclosureRecord>,
    /// Pass as `before_id` for the next page; absent at the end.
    pub next_before_id: Option<i64>,
}

/// `POST /frontend/api/chat/session/` (compat).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateSessionRequest {
    /// Title; a default is used when absent.
    #[serde(default)]
    pub title: Option<String>,
    /// Open the caller's newest session instead if it has no messages yet (what the chat
    /// screen does on a first visit), rather than making another empty one.
    #[serde(default)]
    pub reuse_empty: bool,
}

/// `POST /frontend/api/chat/session/` response (compat).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedSession {
    /// Session id (UUID).
    pub session_id: String,
    /// Title.
    pub title: String,
    /// Creation time (RFC 3339).
    pub created_at: String,
}

/// One session in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionSummary {
    /// Session id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Last change (RFC 3339).
    pub updated_at: String,
    /// Number of stored messages.
    pub message_count: i64,
    /// Number of the clinician's questions (user messages; tool steps and replies not
    /// counted).
    #[serde(default)]
    pub question_count: i64,
    /// The patient the session is about, once known.
    #[serde(default)]
    pub patient_id: Option<String>,
    /// Whether archived.
    #[serde(default)]
    pub is_archived: bool,
    /// The owner's username (in the reviewers' browser).
    #[serde(default)]
    pub owner: Option<String>,
}

/// `GET /frontend/api/chat/sessions/` (compat).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    /// Newest first.
    pub sessions: Vec<SessionSummary>,
}

/// A JSON value passed through as its text: written out as JSON, read back without being
/// parsed into values (the browser only shows it, or reads a field or two of it).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = serde_json::Value))]
#[serde(transparent)]
pub struct JsonText(Box<serde_json::value::RawValue>);

impl JsonText {
    /// The JSON text, if `text` is JSON.
    pub fn parse(text: &str) -> Option<JsonText> {
        serde_json::from_str(text).ok().map(JsonText)
    }

    /// The text of `value`.
    pub fn of(value: &Value) -> JsonText {
        JsonText(serde_json::value::to_raw_value(value).expect("a JSON value serialises"))
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// The text read as `T` (a struct of the fields wanted, say).
    pub fn read<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(self.0.get()).ok()
    }
}

impl PartialEq for JsonText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

/// One stored chat message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryMessage {
    /// Message id.
    pub id: String,
    /// user, assistant, tool, error, or interrupted (a reply cut off because the Ward
    /// server writing it stopped; shown as "Reply interrupted").
    pub role: String,
    /// Text (for tool messages, the tool's masked result as JSON text).
    pub content: String,
    /// The tool, for tool messages and assistant tool calls.
    pub tool_name: Option<String>,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// The tool call id.
    #[serde(default)]
    pub tool_call_id: Option<String>,
    /// Tool call arguments or result status, as stored (any JSON value, or null).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = serde_json::Value))]
    pub tool_result: Option<JsonText>,
    /// Whether the reply was cut off (client disconnected or provider failed).
    #[serde(default)]
    pub incomplete: bool,
}

/// `GET /frontend/api/chat/history/<id>/` (compat).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct History {
    /// Session id.
    pub session_id: String,
    /// Title.
    pub title: String,
    /// Messages, oldest first.
    pub messages: Vec<HistoryMessage>,
    /// The patient the session is about.
    #[serde(default)]
    pub patient_id: Option<String>,
    /// Their banner, once a tool has run on them in this session (the server's binding;
    /// the browser shows only this).
    #[serde(default)]
    pub patient: Option<crate::chat::PatientBanner>,
    /// Whether archived.
    #[serde(default)]
    pub is_archived: bool,
    /// Whether the caller may only read it (a reviewer or auditor reading another's).
    #[serde(default)]
    pub read_only: bool,
    /// The owner's username.
    #[serde(default)]
    pub owner: Option<String>,
}

/// `POST /frontend/api/chat/message/` (compat).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatMessageRequest {
    /// The session.
    pub session_id: String,
    /// The clinician's message.
    pub message: String,
}

/// `PATCH /frontend/api/chat/session/<id>/`: rename and/or archive.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateSessionRequest {
    /// New title.
    #[serde(default)]
    pub title: Option<String>,
    /// Archive (true) or unarchive (false).
    #[serde(default)]
    pub is_archived: Option<bool>,
}

/// `GET /frontend/api/chat/config/`: what the chat screen shows about the model and its
/// limits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatConfig {
    /// The provider kind (`offline`, `openai`, …).
    pub provider: String,
    /// The model (Azure: the deployment).
    pub model: String,
    /// Whether it is Ward's own offline agent (labelled as such).
    pub offline: bool,
    /// How PHI reaches the provider (`pseudonymize`, `redact`, `allow`).
    pub phi_mode: String,
    /// Tool rounds per message.
    pub max_tool_rounds: u32,
    /// Messages per user per rolling hour.
    pub rate_limit_per_hour: u32,
}

/// What a page of the browser app starts with, written into the page by the server so
/// that the browser need not ask for it after loading: who is signed in and, on the chat
/// screen, the screen's first reads. Read by the same rules as the API calls it saves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageData {
    /// The signed-in user.
    pub me: WhoAmI,
    /// On `/frontend/chat/<id>`: the chat screen's first reads.
    pub chat: Option<ChatStart>,
}

/// How people may sign in, for the sign-in page (written into it by the server, like
/// [`PageData`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInOptions {
    /// Single sign-on is configured: the page offers `GET /frontend/oidc/login`.
    pub sso: bool,
    /// Local usernames and passwords sign in (`WARD_PASSWORD_SIGN_IN`).
    pub passwords: bool,
}

/// The chat screen's first reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatStart {
    /// The model and limits.
    pub config: ChatConfig,
    /// The caller's sessions, newest first (as `GET /frontend/api/chat/sessions/`).
    pub sessions: Vec<SessionSummary>,
    /// The session in the address.
    pub session_id: String,
    /// Its history; `None` when it does not exist or is not the caller's.
    pub history: Option<History>,
}

/// `GET /frontend/audit-latest/` (compat): the newest audit records the caller may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLatest {
    /// Newest first.
    pub events: Vec<ChainedRecord>,
}

/// One page of audit records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// Records, newest first.
    pub records: Vec<ChainedRecord>,
    /// Pass as `before_seq` to get the next page; absent at the end.
    pub next_before_seq: Option<i64>,
}

/// Usage of one day or one user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageRow {
    /// The day (YYYY-MM-DD) or the username.
    pub key: String,
    /// Provider calls.
    pub calls: i64,
    /// Prompt tokens.
    pub prompt_tokens: i64,
    /// Completion tokens.
    pub completion_tokens: i64,
    /// Cost in USD.
    pub cost_usd: f64,
}

/// `GET /frontend/api/admin/usage/`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageReport {
    /// The last days, oldest first.
    pub per_day: Vec<UsageRow>,
    /// Per user over the same days, highest cost first.
    pub per_user: Vec<UsageRow>,
    /// Budgets in force.
    pub budget: BudgetSettings,
    /// Spent today (UTC), USD, including reservations in flight.
    pub spent_today_usd: f64,
}

/// Daily budgets in USD.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetSettings {
    /// For the whole deployment.
    pub global_daily_usd: f64,
    /// For each user.
    pub user_daily_usd: f64,
}

/// A user as the admin screens show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    /// Id.
    pub id: i64,
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Care unit.
    pub unit: Option<String>,
    /// Explicitly assigned patients.
    pub assigned_patients: Vec<String>,
    /// Active (may sign in).
    pub is_active: bool,
    /// Superuser.
    pub is_superuser: bool,
}

/// `POST /frontend/api/admin/users/`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateUserRequest {
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Initial password (at least 8 characters).
    pub password: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Care unit.
    #[serde(default)]
    pub unit: Option<String>,
}

/// `PATCH /frontend/api/admin/users/<id>/`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateUserRequest {
    /// New roles.
    #[serde(default)]
    pub roles: Option<Vec<Role>>,
    /// New unit (empty string clears it).
    #[serde(default)]
    pub unit: Option<String>,
    /// Activate or deactivate.
    #[serde(default)]
    pub is_active: Option<bool>,
    /// New display name.
    #[serde(default)]
    pub display_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_found_by_its_exact_name() {
        let header = "ward_csrf=abc; ward_access=tok=en;other=1";
        assert_eq!(cookie_value(header, CSRF_COOKIE), Some("abc"));
        assert_eq!(cookie_value(header, ACCESS_COOKIE), Some("tok=en"));
        assert_eq!(cookie_value(header, "other"), Some("1"));
        assert_eq!(cookie_value(header, "ward"), None);
        assert_eq!(cookie_value("", REFRESH_COOKIE), None);
        assert_eq!(
            csrf_cookie_value("ward_csrf=plain; __Host-ward_csrf=host"),
            Some("host")
        );
        assert_eq!(csrf_cookie_value("ward_csrf=plain"), Some("plain"));
    }
}

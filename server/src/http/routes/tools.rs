//! The tool proxy (compat), break-the-glass, and `audit-latest` (compat).

use crate::http::auth::Authenticated;
use crate::http::error::{ApiResult, JsonBody};
use crate::http::extract::Path;
use crate::http::openapi::{JsonBodyErrors, NotFound, SignedIn, TooMany, Unavailable};
use crate::http::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use ward_core::tools::{call_tool, Door, ToolRequest};
use ward_core::{access, audit};
use ward_domain::api::{
    ActiveGrants, AuditLatest, BreakGlassGrant, BreakGlassRequest, ErrorBody, ProxyRequest,
    ProxyResponse,
};
use ward_domain::audit::ChainedRecord;

/// `POST /frontend/mcp-proxy/` (compat): `{tool, arguments}` → the masked result, after
/// validation, policy and audit.
#[utoipa::path(post, path = "/frontend/mcp-proxy/", tag = "tools",
    request_body = ProxyRequest,
    responses(
        (status = 200, description = "The tool's result, masked for the caller's roles.", body = ProxyResponse),
        JsonBodyErrors, SignedIn,
        (status = 404, description = "No such tool (`unknown_tool`). An unknown patient gets the same 403 as a forbidden one.", body = ErrorBody),
        TooMany, Unavailable,
    ))]
pub async fn mcp_proxy(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    JsonBody(req): JsonBody<ProxyRequest>,
) -> ApiResult<Json<ProxyResponse>> {
    // The per-user limit (`WARD_TOOL_RATE_PER_MINUTE`, shared with `/mcp`): 429 with
    // `Retry-After` past it, before anything is read.
    app.ward
        .tool_rate
        .take(caller.principal.id.get(), std::time::Instant::now())?;
    let ok = call_tool(
        &app.ward,
        &caller,
        ToolRequest {
            name: &req.tool,
            arguments: &req.arguments,
            door: Door::Proxy,
        },
    )
    .await?;
    Ok(Json(ProxyResponse {
        tool: ok.tool,
        result: ok.result,
        break_glass: ok.break_glass,
    }))
}

/// `POST /frontend/api/break-glass/`: time-limited access to a patient outside the care
/// team, with a stated reason, flagged in the audit trail.
#[utoipa::path(post, path = "/frontend/api/break-glass/", tag = "tools",
    request_body = BreakGlassRequest,
    responses(
        (status = 200, description = "The grant.", body = BreakGlassGrant),
        JsonBodyErrors, SignedIn, NotFound, TooMany, Unavailable,
    ))]
pub async fn break_glass(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    JsonBody(req): JsonBody<BreakGlassRequest>,
) -> ApiResult<Json<BreakGlassGrant>> {
    Ok(Json(
        access::break_glass(&app.ward, &caller, &req.patient_id, &req.reason).await?,
    ))
}

/// `GET /frontend/api/break-glass/`: the caller's active break-the-glass grants.
#[utoipa::path(get, path = "/frontend/api/break-glass/", tag = "tools",
    responses(
        (status = 200, description = "The caller's active grants, newest first.", body = ActiveGrants),
        SignedIn, Unavailable,
    ))]
pub async fn my_grants(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
) -> ApiResult<Json<ActiveGrants>> {
    Ok(Json(
        access::active_grants(&app.ward, &caller, false).await?,
    ))
}

/// `DELETE /frontend/api/break-glass/<id>/`: ends an active grant now (the holder's own;
/// auditors and admins any), audited. `204`; a grant that is not active or not the
/// caller's to revoke is `404`.
#[utoipa::path(delete, path = "/frontend/api/break-glass/{id}/", tag = "tools",
    params(("id" = String, Path, description = "The grant's id.")),
    responses(
        (status = 204, description = "The grant has ended."),
        SignedIn, NotFound, Unavailable,
    ))]
pub async fn revoke_grant(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id: i64 = id
        .parse()
        .map_err(|_| ward_core::Error::not_found("grant"))?;
    access::revoke_grant(&app.ward, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /frontend/audit-latest/` (compat): the newest audit records the caller may see —
/// all of them for auditors, their own for everyone else.
#[utoipa::path(get, path = "/frontend/audit-latest/", tag = "audit",
    responses(
        (status = 200, description = "`{\"events\": [...]}`, newest first.", body = AuditLatest),
        SignedIn, Unavailable,
    ))]
pub async fn audit_latest(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
) -> ApiResult<Json<AuditLatest>> {
    let audits = caller.principal.capabilities(&app.ward.policy).audit;
    let actor = (!audits).then_some(caller.principal.username.as_str());
    let events: Vec<ChainedRecord> = audit::latest(&app.ward.db, actor, 20).await?;
    Ok(Json(AuditLatest { events }))
}

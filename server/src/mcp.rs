//! `/mcp`: the MCP endpoint (Streamable HTTP), the third door to the tool registry after
//! the chat agent and the `mcp-proxy` (docs/contract.md §2, §4).
//!
//! ## How a request gets here
//!
//! [`route`] mounts rmcp's [`StreamableHttpService`] behind [`require_bearer`], which
//! authenticates every request *before* rmcp sees it, with the same [`Authenticated`]
//! extractor (and so the same token check) as the REST API. A request with no or a bad
//! Bearer token gets 401 with Ward's JSON error shape (`{"error", "code"}`) and a
//! `WWW-Authenticate: Bearer` challenge. On success the resolved [`Caller`] goes into the
//! request's extensions; rmcp hands the request's [`Parts`] to the handler in the request
//! context, and [`WardMcp`] reads the caller from there on every request.
//!
//! `/mcp` takes **Bearer tokens only**: cookies are stripped before authentication, so
//! the browser's session cookies never authenticate an MCP request. A cross-site page
//! cannot make a browser attach a Bearer token, so `/mcp` needs no CSRF token.
//!
//! ## Stateless
//!
//! The handler holds no per-user state: it takes the caller from each request, so a new
//! token (another user, changed roles, a revoked account) takes effect on the next
//! request. rmcp runs without legacy sessions (`legacy_session_mode: false`, no
//! `Mcp-Session-Id`) and answers with plain JSON (`json_response: true`), which serves
//! both the `initialize` handshake of protocol versions up to 2025-11-25 and the
//! stateless `server/discover` lifecycle of 2026-07-28, on any replica.
//!
//! ## Tools and errors
//!
//! `tools/list` is exactly the caller's tools under the policy. `tools/call` runs
//! [`call_tool`] with [`Door::Mcp`]: the same validation, policy, care-team check,
//! masking and audit as the other doors; every outcome below is audited there, once.
//! Following the MCP specification (2025-11-25, SEP-1303):
//!
//! | outcome | MCP answer |
//! |---|---|
//! | success | result with `structuredContent` = the masked JSON, and the same JSON as text |
//! | unknown tool (`unknown_tool`) | protocol error `-32602`, naming the tool |
//! | invalid arguments (`invalid_arguments`) | tool execution error (`isError: true`), naming the field, so a model can correct itself |
//! | denied (`tool_not_permitted`, `break_glass_required`, `outside_care_team`, …) | tool execution error |
//! | unknown patient (`unknown_patient`, only to a caller the policy lets see it; anyone else gets the same denial as for a patient they may not see) | tool execution error |
//! | Ward unavailable (`audit_unavailable`, `database_unavailable`, 5xx) | protocol error `-32603`, no result (fail closed) |
//!
//! A tool execution error's text is `<code>: <message>` and its `structuredContent` is
//! Ward's error shape `{"error": <message>, "code": <code>}`; a protocol error carries
//! `{"code": <code>}` in its `data`. So every client sees Ward's machine code.
//!
//! ## Rate limit
//!
//! Each authenticated request takes a slot of the caller's per-minute limit
//! (`WARD_TOOL_RATE_PER_MINUTE`, shared with the tool proxy); past it, `429` with Ward's
//! JSON error (`rate_limited`) and `Retry-After`, before rmcp sees the request.
//!
//! ## Hosts
//!
//! rmcp rejects requests whose `Host` is not listed (DNS-rebinding protection). Ward
//! allows `localhost`, `127.0.0.1` and `::1`, plus the comma-separated hostnames (or
//! `host:port`s) in `WARD_PUBLIC_HOSTS`; a production deployment must list the names its
//! clients use there.
//!
//! Nothing here logs arguments, results or tokens.

use crate::http::auth::{Authenticated, FreshAccess};
use crate::http::error::ApiError;
use crate::http::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any_service, MethodRouter};
use rmcp::model::{
    CacheScope, CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock,
    Implementation, JsonObject, ListToolsResult, MetaObject, PaginatedRequestParams,
    ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{json, Value};
use std::sync::Arc;
use tower::Layer;
use ward_core::tools::{call_tool, Door, ToolRequest, ToolSuccess};
use ward_core::{Caller, Error, ErrorKind, Ward};
use ward_domain::api::ErrorBody;
use ward_domain::tool::ToolName;

/// The environment variable listing the public hostnames `/mcp` answers to, besides
/// the loopback names.
pub const PUBLIC_HOSTS_VAR: &str = "WARD_PUBLIC_HOSTS";

/// The hosts every deployment accepts: the loopback names the demo serves on.
const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The `/mcp` route: Bearer authentication in front of rmcp's Streamable HTTP service.
pub fn route(state: &AppState) -> MethodRouter<AppState> {
    let mcp = StreamableHttpService::new(
        {
            let ward = state.ward.clone();
            move || Ok(WardMcp::new(ward.clone()))
        },
        Arc::new(NeverSessionManager::default()),
        server_config(
            state.ward.config.max_body_bytes,
            std::env::var(PUBLIC_HOSTS_VAR).ok().as_deref(),
        ),
    );
    any_service(from_fn_with_state(state.clone(), require_bearer).layer(mcp))
}

/// rmcp's configuration for Ward: stateless, JSON answers, Ward's body limit
/// (`max_body_bytes`), and the loopback hosts plus `public_hosts` (comma-separated, as in
/// `WARD_PUBLIC_HOSTS`).
pub fn server_config(
    max_body_bytes: usize,
    public_hosts: Option<&str>,
) -> StreamableHttpServerConfig {
    let hosts = LOOPBACK_HOSTS
        .iter()
        .map(|h| h.to_string())
        .chain(
            public_hosts
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .map(str::to_string),
        )
        .collect::<Vec<_>>();
    StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_max_request_body_bytes(max_body_bytes)
        .with_allowed_hosts(hosts)
}

/// Authenticates an `/mcp` request with its Bearer token, or answers 401 (`WWW-Authenticate:
/// Bearer`) in Ward's error shape. Cookies are removed first: `/mcp` never accepts them.
pub async fn require_bearer(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    parts.headers.remove(header::COOKIE);
    parts.extensions.remove::<FreshAccess>();
    parts.extensions.remove::<Authenticated>();
    if !parts.headers.contains_key(header::AUTHORIZATION) {
        return challenge(
            ApiError(Error::unauthorized(
                "not_authenticated",
                "Authentication credentials were not provided. /mcp takes an \
                 `Authorization: Bearer <access token>` header.",
            )),
            false,
        );
    }
    match Authenticated::from_request_parts(&mut parts, &app).await {
        Ok(Authenticated(caller)) => {
            // The per-user limit the tool proxy shares: every request counts.
            if let Err(e) = app
                .ward
                .tool_rate
                .take(caller.principal.id.get(), std::time::Instant::now())
            {
                return ApiError(e).into_response();
            }
            parts.extensions.insert(caller);
            as_ward_error(next.run(Request::from_parts(parts, body)).await)
        }
        Err(e) => challenge(e, true),
    }
}

/// rmcp's own refusals of a request (wrong host, method, `Accept`, content type, size)
/// are plain text; they become Ward's JSON error with the same status, like every other
/// rejection. JSON answers (JSON-RPC results and errors) pass unchanged.
fn as_ward_error(res: Response) -> Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json") || t.starts_with("text/event-stream"));
    if status.as_u16() < 400 || is_json {
        return res;
    }
    let (kind, code, message) = match status.as_u16() {
        403 => (
            ErrorKind::Forbidden,
            "host_not_allowed",
            "/mcp does not answer to this host name (WARD_PUBLIC_HOSTS lists the allowed ones).",
        ),
        405 => (
            ErrorKind::BadRequest,
            "method_not_allowed",
            "/mcp takes POST (it is stateless: no GET stream, no session to DELETE).",
        ),
        406 => (
            ErrorKind::BadRequest,
            "not_acceptable",
            "/mcp answers JSON: send Accept: application/json, text/event-stream.",
        ),
        413 => (
            ErrorKind::PayloadTooLarge,
            "payload_too_large",
            "The request body is too large.",
        ),
        415 => (
            ErrorKind::UnsupportedMediaType,
            "unsupported_media_type",
            "Send the body as JSON with Content-Type: application/json.",
        ),
        s if s < 500 => (
            ErrorKind::BadRequest,
            "invalid_request",
            "The request is not a JSON-RPC message /mcp takes.",
        ),
        _ => (
            ErrorKind::Internal,
            "internal_error",
            "Something went wrong on Ward's side.",
        ),
    };
    let mut out = ApiError(Error::new(kind, code, message)).into_response();
    *out.status_mut() = status;
    out
}

/// The error response, with the RFC 6750 challenge on a 401.
fn challenge(e: ApiError, token_sent: bool) -> Response {
    let unauthorized = e.0.kind == ErrorKind::Unauthorized;
    let mut res = e.into_response();
    if unauthorized {
        let value = if token_sent {
            r#"Bearer realm="ward", error="invalid_token""#
        } else {
            r#"Bearer realm="ward""#
        };
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(value));
    }
    res
}

/// `/mcp` in the OpenAPI document (the route is rmcp's service, not an axum handler).
#[utoipa::path(post, path = "/mcp", tag = "tools",
    description = "MCP Streamable HTTP (JSON-RPC 2.0, stateless): `initialize`, `tools/list` \
        (the caller's tools), `tools/call` (the same validation, policy, masking and audit as \
        the other doors). Bearer tokens only: cookies are ignored. Send \
        `Accept: application/json, text/event-stream`.",
    request_body(content = Object, description = "A JSON-RPC request or notification."),
    responses(
        (status = 200, description = "A JSON-RPC response.", body = Object),
        (status = 202, description = "A notification was accepted."),
        (status = 400, description = "Not a JSON-RPC message /mcp takes (`invalid_request`).", body = ErrorBody),
        (status = 401, description = "No or an invalid Bearer token (`WWW-Authenticate: Bearer`).", body = ErrorBody),
        (status = 403, description = "A host name not allowed (`host_not_allowed`), or the user's refusal.", body = ErrorBody),
        (status = 406, description = "`Accept` lacks `application/json` or `text/event-stream` (`not_acceptable`).", body = ErrorBody),
        (status = 413, description = "The body is too large (`payload_too_large`).", body = ErrorBody),
        (status = 415, description = "Not JSON (`unsupported_media_type`).", body = ErrorBody),
        (status = 422, description = "Not a JSON-RPC message /mcp takes (`invalid_request`).", body = ErrorBody),
        (status = 503, description = "Ward is unavailable (`database_unavailable`).", body = ErrorBody),
    ))]
#[allow(dead_code)]
pub(crate) fn documented() {}

/// Ward's MCP server: the tool registry seen through the policy, for the caller of each
/// request.
#[derive(Clone)]
pub struct WardMcp {
    ward: Ward,
}

impl WardMcp {
    /// A handler over `ward`.
    pub fn new(ward: Ward) -> Self {
        WardMcp { ward }
    }
}

/// The authenticated caller of the request, put there by [`require_bearer`]. Without one
/// (a wiring bug) the request fails closed.
fn caller_of(ctx: &RequestContext<RoleServer>) -> Result<Caller, ErrorData> {
    ctx.extensions
        .get::<Parts>()
        .and_then(|p| p.extensions.get::<Caller>())
        .cloned()
        .ok_or_else(|| {
            tracing::error!("an /mcp request reached the handler without a caller");
            ErrorData::internal_error("The request is not authenticated.", None)
        })
}

/// The MCP description of one tool: name, description, argument schema, and the hints
/// that every Ward tool only reads Ward's own records.
pub fn tool_of(name: ToolName) -> Tool {
    let schema: JsonObject = match name.input_schema() {
        Value::Object(m) => m.clone(),
        _ => JsonObject::new(),
    };
    Tool::new(name.as_str(), name.spec().description, Arc::new(schema)).with_annotations(
        ToolAnnotations::new()
            .read_only(true)
            .destructive(false)
            .idempotent(true)
            .open_world(false),
    )
}

/// A released result: the masked JSON as structured content and as text.
fn success(ok: ToolSuccess) -> CallToolResult {
    let mut result = CallToolResult::structured(ok.result);
    if ok.break_glass {
        let mut meta = MetaObject::new();
        meta.0.insert("ward/breakGlass".into(), Value::Bool(true));
        result = result.with_meta(Some(meta));
    }
    result
}

/// Maps Ward's error for a `tools/call` to MCP: `Ok` is a tool execution error the
/// caller (or model) can act on, `Err` a JSON-RPC protocol error without a result.
pub fn mcp_error(e: Error) -> Result<CallToolResult, ErrorData> {
    let code = e.code.to_string();
    match e.kind {
        ErrorKind::BadRequest if code == "unknown_tool" => Err(ErrorData::invalid_params(
            e.message,
            Some(json!({ "code": code })),
        )),
        ErrorKind::BadRequest
        | ErrorKind::Unprocessable
        | ErrorKind::Forbidden
        | ErrorKind::NotFound
        | ErrorKind::Conflict
        | ErrorKind::TooManyRequests => {
            let mut result =
                CallToolResult::error(vec![ContentBlock::text(format!("{code}: {}", e.message))]);
            result.structured_content = Some(json!({ "error": e.message, "code": code }));
            Ok(result)
        }
        // Ward could not do its part (or, for classes `call_tool` never returns, a bug):
        // no result, and the caller cannot fix it by changing the call.
        ErrorKind::Unauthorized
        | ErrorKind::PayloadTooLarge
        | ErrorKind::UnsupportedMediaType
        | ErrorKind::BadGateway
        | ErrorKind::Unavailable
        | ErrorKind::Internal => Err(ErrorData::internal_error(
            e.message,
            Some(json!({ "code": code })),
        )),
    }
}

impl ServerHandler for WardMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new("ward", env!("CARGO_PKG_VERSION"))
                    .with_title("Ward")
                    .with_description("Ward's clinical tools, under Ward's access policy."),
            )
            .with_instructions(
                "Ward's clinical and billing tools. tools/list shows the tools your role may \
                 use; per-patient tools take a patient id such as PAT-001. Every call is \
                 checked against your role and care team, masked for your role, and audited.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let caller = caller_of(&context)?;
        let tools = self
            .ward
            .policy
            .tools_for(&caller.principal.subject())
            .into_iter()
            .map(tool_of)
            .collect();
        // The list depends on who asks: never shared, never stale.
        Ok(ListToolsResult::with_all_items(tools)
            .with_ttl_ms(0)
            .with_cache_scope(CacheScope::Private))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let caller = caller_of(&context)?;
        let arguments = Value::Object(request.arguments.unwrap_or_default());
        let outcome = call_tool(
            &self.ward,
            &caller,
            ToolRequest {
                name: &request.name,
                arguments: &arguments,
                door: Door::Mcp,
            },
        )
        .await;
        match outcome {
            Ok(ok) => Ok(success(ok).into()),
            Err(e) => mcp_error(e).map(Into::into),
        }
    }

    /// The schema of a registry tool, for rmcp's `Mcp-Param-*` header checks. Whether the
    /// caller may use it is decided by `tools/call`, which audits the decision.
    fn get_tool(&self, name: &str) -> Option<Tool> {
        name.parse::<ToolName>().ok().map(tool_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_hosts_extend_the_loopback_names() {
        let c = server_config(1024, Some(" ward.example.org, ward.example.org:8443 ,,"));
        assert_eq!(
            c.allowed_hosts,
            [
                "localhost",
                "127.0.0.1",
                "::1",
                "ward.example.org",
                "ward.example.org:8443"
            ]
        );
        assert!(!c.legacy_session_mode && c.json_response);
        assert_eq!(c.max_request_body_bytes, 1024);
        assert_eq!(server_config(1, None).allowed_hosts, LOOPBACK_HOSTS);
    }

    #[test]
    fn each_error_class_has_one_mcp_shape() {
        let unknown = mcp_error(Error::bad_request("unknown_tool", "unknown tool 'x'"));
        let e = unknown.expect_err("protocol error");
        assert_eq!(e.code, rmcp::model::ErrorCode::INVALID_PARAMS);
        assert_eq!(e.data, Some(json!({"code": "unknown_tool"})));

        for (e, code) in [
            (
                Error::bad_request("invalid_arguments", "Invalid arguments: x"),
                "invalid_arguments",
            ),
            (
                Error::forbidden("tool_not_permitted", "no"),
                "tool_not_permitted",
            ),
            (
                Error::new(
                    ErrorKind::NotFound,
                    "unknown_patient",
                    "There is no patient.",
                ),
                "unknown_patient",
            ),
        ] {
            let r = mcp_error(e).expect("tool execution error");
            assert_eq!(r.is_error, Some(true));
            assert_eq!(r.structured_content.as_ref().unwrap()["code"], code);
        }

        let down = mcp_error(Error::unavailable("audit_unavailable", "withheld"));
        let e = down.expect_err("no result");
        assert_eq!(e.code, rmcp::model::ErrorCode::INTERNAL_ERROR);
        assert_eq!(e.data, Some(json!({"code": "audit_unavailable"})));
    }

    #[test]
    fn every_registry_tool_has_an_object_schema() {
        for t in ToolName::ALL {
            let tool = tool_of(t);
            assert_eq!(tool.name, t.as_str());
            assert_eq!(tool.input_schema["type"], "object");
            assert!(tool.description.is_some());
        }
    }
}

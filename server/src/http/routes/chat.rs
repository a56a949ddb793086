//! Chat sessions (compat), the reviewers' browser of archived sessions, and the NDJSON
//! chat stream (compat).

use crate::http::auth::{Authenticated, Reviewer, TokenAuthenticated};
use crate::http::error::ApiResult;
use crate::http::extract::{JsonBody, OptionalJsonBody, Path, Query};
use crate::http::openapi::{
    BadRequest, Conflict, JsonBodyErrors, NotFound, SignedIn, TooMany, Unavailable,
};
use crate::http::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::StreamExt;
use serde::Deserialize;
use ward_core::chat::outbox::outbox;
use ward_core::chat::{self, sessions};
use ward_domain::api::{
    ChatConfig, ChatMessageRequest, CreateSessionRequest, CreatedSession, History, SessionList,
    SessionSummary, UpdateSessionRequest,
};
use ward_domain::export::{ConversationExport, ExportFormat};

/// `POST /frontend/api/chat/session/` (compat): a new session, 200 as in the prototype.
/// The body is optional: none, `{}`, or `{"title": …, "reuse_empty": …}`.
#[utoipa::path(post, path = "/frontend/api/chat/session/", tag = "chat",
    request_body(content = Option<CreateSessionRequest>, description = "Optional."),
    responses(
        (status = 200, description = "The session (a new one, or with `reuse_empty` the caller's newest empty one).", body = CreatedSession),
        JsonBodyErrors, SignedIn, Unavailable,
    ))]
pub async fn create_session(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    OptionalJsonBody(request): OptionalJsonBody<CreateSessionRequest>,
) -> ApiResult<Json<CreatedSession>> {
    let created = if request.reuse_empty {
        sessions::open_fresh(&app.ward, &caller).await?
    } else {
        sessions::create(&app.ward, &caller, request.title.as_deref()).await?
    };
    Ok(Json(created))
}

/// Query of the session list.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// List archived sessions instead.
    #[serde(default)]
    archived: bool,
}

/// `GET /frontend/api/chat/sessions/` (compat): the caller's sessions, newest first,
/// not archived (`?archived=true` for the archived ones).
#[utoipa::path(get, path = "/frontend/api/chat/sessions/", tag = "chat",
    params(ListQuery),
    responses(
        (status = 200, description = "The caller's sessions, newest first.", body = SessionList),
        BadRequest, SignedIn, Unavailable,
    ))]
pub async fn list_sessions(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<SessionList>> {
    Ok(Json(sessions::list(&app.ward, &caller, q.archived).await?))
}

/// `GET /frontend/api/chat/history/<id>/` (compat).
#[utoipa::path(get, path = "/frontend/api/chat/history/{id}/", tag = "chat",
    params(("id" = String, Path, description = "The session id.")),
    responses(
        (status = 200, description = "The session's messages, oldest first.", body = History),
        SignedIn, NotFound, Unavailable,
    ))]
pub async fn history(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<History>> {
    Ok(Json(sessions::history(&app.ward, &caller, &id).await?))
}

/// `PATCH /frontend/api/chat/session/<id>/`: rename, archive, unarchive.
#[utoipa::path(patch, path = "/frontend/api/chat/session/{id}/", tag = "chat",
    params(("id" = String, Path, description = "The session id.")),
    request_body = UpdateSessionRequest,
    responses(
        (status = 200, description = "The session as changed.", body = SessionSummary),
        JsonBodyErrors, SignedIn, NotFound, Unavailable,
    ))]
pub async fn update_session(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    JsonBody(change): JsonBody<UpdateSessionRequest>,
) -> ApiResult<Json<SessionSummary>> {
    Ok(Json(
        sessions::update(&app.ward, &caller, &id, &change).await?,
    ))
}

/// Query of a conversation's export.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `markdown` (also `md`) or `json`; `markdown` by default.
    #[serde(default = "markdown")]
    #[param(value_type = Option<String>)]
    format: String,
}

fn markdown() -> String {
    "markdown".into()
}

/// `GET /frontend/api/chat/session/<id>/export/?format=markdown|json`: one of the
/// caller's own sessions as a download — what the chat screen shows them (never the form
/// a provider was sent) — in Markdown or as JSON. Audited (`session_export`) before it is
/// sent; another user's session is not found.
#[utoipa::path(get, path = "/frontend/api/chat/session/{id}/export/", tag = "chat",
    params(("id" = String, Path, description = "The session id."), ExportQuery),
    responses(
        (status = 200, description = "The conversation, as a download.",
            content(
                (String = "text/markdown"),
                (ConversationExport = "application/json"),
            )),
        BadRequest, SignedIn, NotFound, Unavailable,
    ))]
pub async fn export_session(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let format = ExportFormat::parse(&q.format).ok_or_else(|| {
        ward_core::Error::bad_request("invalid_format", "`format` is markdown or json.")
    })?;
    let export = ward_core::chat::export::export(&app.ward, &caller, &id, format).await?;
    let body = match format {
        ExportFormat::Markdown => ward_domain::export::markdown(&export),
        ExportFormat::Json => serde_json::to_string_pretty(&export)
            .map_err(|e| ward_core::Error::internal(format!("export: {e}")))?,
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.media_type()),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename=\"{}\"",
            format.file_name(&export.session.session_id)
        ))
        .expect("the file name is ASCII"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Query of the reviewers' browser.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// Text in the title, owner or patient id.
    #[serde(default)]
    q: Option<String>,
}

/// `GET /frontend/api/reviews/sessions/`: archived sessions of everyone.
#[utoipa::path(get, path = "/frontend/api/reviews/sessions/", tag = "reviews",
    params(ReviewQuery),
    responses(
        (status = 200, description = "Archived sessions of everyone, newest first.", body = SessionList),
        BadRequest, SignedIn, Unavailable,
    ))]
pub async fn archived_sessions(
    State(app): State<AppState>,
    Reviewer(caller): Reviewer,
    Query(q): Query<ReviewQuery>,
) -> ApiResult<Json<SessionList>> {
    Ok(Json(
        sessions::browse_archived(&app.ward, &caller, q.q.as_deref()).await?,
    ))
}

/// `GET /frontend/api/chat/config/`: what the chat panel shows about the model.
#[utoipa::path(get, path = "/frontend/api/chat/config/", tag = "chat",
    responses(
        (status = 200, description = "The model and the limits.", body = ChatConfig),
        SignedIn, Unavailable,
    ))]
pub async fn chat_config(
    State(app): State<AppState>,
    Authenticated(_): Authenticated,
) -> Json<ChatConfig> {
    Json(ward_core::chat::config(&app.ward))
}

/// `POST /frontend/api/chat/message/` (compat): streams the turn as NDJSON. Refusals
/// before the stream are ordinary JSON errors (400, 404, 409, 429; `429
/// too_many_streams` past `WARD_MAX_STREAMS_PER_USER` open streams).
#[utoipa::path(post, path = "/frontend/api/chat/message/", tag = "chat",
    request_body = ChatMessageRequest,
    responses(
        (status = 200, description = "The turn, streamed: one JSON event per line.", body = String, content_type = "application/x-ndjson"),
        JsonBodyErrors, SignedIn, NotFound, Conflict, TooMany, Unavailable,
    ))]
pub async fn send_message(
    State(app): State<AppState>,
    TokenAuthenticated(who): TokenAuthenticated,
    JsonBody(req): JsonBody<ChatMessageRequest>,
) -> ApiResult<Response> {
    let slot = app.streams.take(who.user_id.get())?;
    let turn = chat::turn::begin_turn(&app.ward, &who, &req.session_id, &req.message).await?;
    let (tx, rx) = outbox(64);
    let span = turn.span();
    tokio::spawn(tracing::Instrument::instrument(
        chat::turn::run_turn(turn, tx),
        span.span().clone(),
    ));
    // The stream's slot is held by the body, so it is freed when the body is dropped.
    let lines = rx.map(move |line| {
        let _held = &slot;
        Ok::<_, std::convert::Infallible>(line)
    });
    let mut res = Body::from_stream(lines).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(res)
}

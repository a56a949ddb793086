//! Chat sessions (compat), the reviewers' browser of archived sessions, and the NDJSON
//! chat stream (compat).

use crate::http::auth::{Authenticated, Reviewer, TokenAuthenticated};
use crate::http::error::{ApiResult, JsonBody};
use crate::http::AppState;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::StreamExt;
use serde::Deserialize;
use ward_core::chat::outbox::outbox;
use ward_core::chat::{agent, sessions};
use ward_domain::api::{
    ChatConfig, ChatMessageRequest, CreateSessionRequest, CreatedSession, History, SessionList,
    SessionSummary, UpdateSessionRequest,
};

/// `POST /frontend/api/chat/session/` (compat).
pub async fn create_session(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    body: bytes::Bytes,
) -> ApiResult<(StatusCode, Json<CreatedSession>)> {
    // The body is optional: no body, or `{}`, or `{"title": …, "reuse_empty": …}`.
    let request = if body.iter().all(u8::is_ascii_whitespace) {
        CreateSessionRequest::default()
    } else {
        serde_json::from_slice::<CreateSessionRequest>(&body).map_err(|e| {
            ward_core::Error::bad_request(
                "invalid_request",
                format!("The request body is not what this endpoint takes: {e}"),
            )
        })?
    };
    let created = if request.reuse_empty {
        sessions::open_fresh(&app.ward, &caller).await?
    } else {
        sessions::create(&app.ward, &caller, request.title.as_deref()).await?
    };
    Ok((StatusCode::CREATED, Json(created)))
}

/// Query of the session list.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// List archived sessions instead.
    #[serde(default)]
    archived: bool,
}

/// `GET /frontend/api/chat/sessions/` (compat): the caller's sessions, newest first,
/// not archived (`?archived=true` for the archived ones).
pub async fn list_sessions(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<SessionList>> {
    Ok(Json(sessions::list(&app.ward, &caller, q.archived).await?))
}

/// `GET /frontend/api/chat/history/<id>/` (compat).
pub async fn history(
    State(app): State<AppState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<History>> {
    Ok(Json(sessions::history(&app.ward, &caller, &id).await?))
}

/// `PATCH /frontend/api/chat/session/<id>/`: rename, archive, unarchive.
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

/// Query of the reviewers' browser.
#[derive(Deserialize, Default)]
pub struct ReviewQuery {
    /// Text in the title, owner or patient id.
    #[serde(default)]
    q: Option<String>,
}

/// `GET /frontend/api/reviews/sessions/`: archived sessions of everyone.
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
pub async fn chat_config(
    State(app): State<AppState>,
    Authenticated(_): Authenticated,
) -> Json<ChatConfig> {
    Json(ward_core::chat::config(&app.ward))
}

/// `POST /frontend/api/chat/message/` (compat): streams the turn as NDJSON. Refusals
/// before the stream are ordinary JSON errors (400, 404, 409, 429; `429
/// too_many_streams` past `WARD_MAX_STREAMS_PER_USER` open streams).
pub async fn send_message(
    State(app): State<AppState>,
    TokenAuthenticated(who): TokenAuthenticated,
    JsonBody(req): JsonBody<ChatMessageRequest>,
) -> ApiResult<Response> {
    let slot = app.streams.take(who.user_id)?;
    let turn = agent::begin_turn(&app.ward, &who, &req.session_id, &req.message).await?;
    let (tx, rx) = outbox(64);
    let span = turn.span();
    tokio::spawn(tracing::Instrument::instrument(
        agent::run_turn(turn, tx),
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

//! Leptos server functions for what the app does with chat sessions and their history:
//! list, create (or reuse an empty one), rename, archive, unarchive, read a history, and
//! the reviewers' list of archived sessions.
//!
//! Each is a `POST` of a JSON object (the function's arguments) to
//! `/frontend/api/fn/<endpoint>` and answers JSON. On the server each calls the same
//! `ward_core::chat::sessions` function as the REST endpoint it stands beside (those stay,
//! for scripts and the prototype's clients). The caller is the one the router resolved
//! before the function runs (`server_fn_auth` in `server/src/http/mod.rs`): a Bearer
//! token, or the cookie session with its CSRF token (a request without it is refused
//! there with `403 csrf_failed`); without credentials a function answers
//! `401 not_authenticated`.
//!
//! Errors cross the wire as Ward's `{"error", "code"}` with Ward's status ([`ApiError`]
//! is the error type of every function, in the browser too, so a screen explains it in
//! plain words with `display::explain_error` as it does the REST calls'). Arguments that
//! do not deserialise are `400 invalid_request`, and the message never quotes them.
//!
//! In the browser a function is called with [`call`] and its arguments' struct (the one
//! `#[server]` generates: `call(ListSessions { archived: false })`): the same JSON `POST`
//! to the same path, sent by Ward's own JSON client ([`crate::client`], which adds the
//! CSRF header from the `ward_csrf` cookie and keeps the status and `Retry-After` of an
//! error). The browser carries that client anyway, so the server functions cost its WASM
//! next to nothing; `server_fn`'s own client (its request and response types, header map
//! and error plumbing, once per function) is left out of it.

use crate::client::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::{Json, JsonEncoding};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;
use serde::Serialize;
use ward_domain::api::{CreatedSession, History, SessionList, SessionSummary};

/// Calls server function `F` from the browser with its arguments: a JSON `POST` of `args`
/// to `F::PATH` with the CSRF header, its answer decoded as the function's output; an
/// error is Ward's `{"error", "code"}` with the response's status (as every function
/// answers it), an answer that does not decode is `bad_response`. On the server (where
/// screens never call one) it is refused as a call outside a browser.
pub async fn call<F>(args: F) -> Result<F::Output, ApiError>
where
    F: ServerFn + Serialize,
    F::Output: DeserializeOwned,
{
    #[cfg(feature = "hydrate")]
    {
        let body = serde_json::to_string(&args).map_err(|e| {
            ApiError::from_server_fn_error(ServerFnErrorErr::Serialization(e.to_string()))
        })?;
        let answer = crate::client::exchange("POST", F::PATH, Some(body)).await?;
        serde_json::from_str(&answer).map_err(|e| {
            ApiError::from_server_fn_error(ServerFnErrorErr::Deserialization(e.to_string()))
        })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (F::PATH, serde_json::to_string(&args));
        Err(ApiError::network("not in a browser"))
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    /// What went wrong outside a function's body. On the server: the arguments did not
    /// deserialise (or the body was over the limit), answered with that 4xx; in the
    /// browser: the network, or an answer that is not what was expected.
    fn from_server_fn_error(e: ServerFnErrorErr) -> Self {
        match e {
            ServerFnErrorErr::Request(cause) => ApiError::network(cause),
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                refused(invalid_request())
            }
            ServerFnErrorErr::Deserialization(cause) if cfg!(feature = "ssr") => {
                // The body could not be read or decoded: serde's message can quote the
                // value, so it is not passed on.
                refused(if cause.contains("length limit") {
                    ApiError {
                        status: 413,
                        message: "The body is over the size limit.".into(),
                        code: "payload_too_large".into(),
                        retry_after: None,
                    }
                } else {
                    invalid_request()
                })
            }
            ServerFnErrorErr::Deserialization(_) => ApiError {
                status: 0,
                message: "Ward's answer could not be read.".into(),
                code: "bad_response".into(),
                retry_after: None,
            },
            _ => refused(ApiError {
                status: 500,
                message: "Something went wrong on Ward's side.".into(),
                code: "internal_error".into(),
                retry_after: None,
            }),
        }
    }
}

/// Arguments that are not what the function takes.
fn invalid_request() -> ApiError {
    ApiError {
        status: 400,
        message: "The request is not what this operation takes: a JSON object of its \
                  arguments, each of its type."
            .into(),
        code: "invalid_request".into(),
        retry_after: None,
    }
}

/// On the server, makes `e`'s status (and `Retry-After`) the response's; returns `e`.
fn refused(e: ApiError) -> ApiError {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(e.status) {
            response.set_status(status);
        }
        if let Some(s) = e.retry_after {
            response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(s));
        }
    }
    e
}

#[cfg(feature = "ssr")]
mod on_server {
    use super::refused;
    use crate::client::ApiError;
    use leptos::prelude::use_context;
    use ward_core::{Caller, Ward};

    /// Ward's error as the function's, with its status.
    pub fn failed(e: ward_core::Error) -> ApiError {
        refused(ApiError {
            status: e.status(),
            message: e.message,
            code: e.code.into_owned(),
            retry_after: e.retry_after_secs,
        })
    }

    /// The service and the caller the router resolved (`401` without one).
    pub fn caller() -> Result<(Ward, Caller), ApiError> {
        let ward = use_context::<Ward>()
            .ok_or_else(|| failed(ward_core::Error::internal("server function without Ward")))?;
        let caller = use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<Caller>().cloned())
            .ok_or_else(|| {
                failed(ward_core::Error::unauthorized(
                    "not_authenticated",
                    "Authentication credentials were not provided.",
                ))
            })?;
        Ok((ward, caller))
    }
}

/// The caller's sessions, newest first: the archived ones when `archived`.
#[server(prefix = "/frontend/api/fn", endpoint = "sessions/list", input = Json)]
pub async fn list_sessions(#[server(default)] archived: bool) -> Result<SessionList, ApiError> {
    let (ward, caller) = on_server::caller()?;
    ward_core::chat::sessions::list(&ward, &caller, archived)
        .await
        .map_err(on_server::failed)
}

/// A new session (titled `title`, else "New conversation"); with `reuse_empty`, the
/// caller's newest session that has no message yet if there is one.
#[server(prefix = "/frontend/api/fn", endpoint = "sessions/create", input = Json)]
pub async fn create_session(
    #[server(default)] title: Option<String>,
    #[server(default)] reuse_empty: bool,
) -> Result<CreatedSession, ApiError> {
    use ward_core::chat::sessions;
    let (ward, caller) = on_server::caller()?;
    if reuse_empty {
        sessions::open_fresh(&ward, &caller).await
    } else {
        sessions::create(&ward, &caller, title.as_deref()).await
    }
    .map_err(on_server::failed)
}

/// Renames one of the caller's sessions.
#[server(prefix = "/frontend/api/fn", endpoint = "sessions/rename", input = Json)]
pub async fn rename_session(id: String, title: String) -> Result<SessionSummary, ApiError> {
    change_session(id, Some(title), None).await
}

/// Archives one of the caller's sessions (out of their list; reviewers can read it).
#[server(prefix = "/frontend/api/fn", endpoint = "sessions/archive", input = Json)]
pub async fn archive_session(id: String) -> Result<SessionSummary, ApiError> {
    change_session(id, None, Some(true)).await
}

/// Takes one of the caller's sessions out of the archive.
#[server(prefix = "/frontend/api/fn", endpoint = "sessions/unarchive", input = Json)]
pub async fn unarchive_session(id: String) -> Result<SessionSummary, ApiError> {
    change_session(id, None, Some(false)).await
}

/// The change of a session, as `PATCH /frontend/api/chat/session/<id>/` makes it.
#[cfg(feature = "ssr")]
async fn change_session(
    id: String,
    title: Option<String>,
    is_archived: Option<bool>,
) -> Result<SessionSummary, ApiError> {
    let (ward, caller) = on_server::caller()?;
    let change = ward_domain::api::UpdateSessionRequest { title, is_archived };
    ward_core::chat::sessions::update(&ward, &caller, &id, &change)
        .await
        .map_err(on_server::failed)
}

/// A session's messages, oldest first: the caller's own, or (for reviewers and
/// auditors) anyone's archived session, read only and audited.
#[server(prefix = "/frontend/api/fn", endpoint = "sessions/history", input = Json)]
pub async fn session_history(id: String) -> Result<History, ApiError> {
    let (ward, caller) = on_server::caller()?;
    ward_core::chat::sessions::history(&ward, &caller, &id)
        .await
        .map_err(on_server::failed)
}

/// Archived sessions of everyone (reviewers and auditors), newest first, with `query`
/// in the title, the owner's name or the patient id. Each call is audited.
#[server(prefix = "/frontend/api/fn", endpoint = "reviews/archived", input = Json)]
pub async fn archived_sessions(
    #[server(default)] query: Option<String>,
) -> Result<SessionList, ApiError> {
    let (ward, caller) = on_server::caller()?;
    ward_core::chat::sessions::browse_archived(&ward, &caller, query.as_deref())
        .await
        .map_err(on_server::failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_crosses_the_wire_as_wards_body_and_comes_back_with_its_status() {
        let sent = ApiError {
            status: 404,
            message: "No such session, or it is not yours to see.".into(),
            code: "not_found".into(),
            retry_after: None,
        };
        // The server writes Ward's `{"error", "code"}`, nothing else.
        let body = FromServerFnError::ser(&sent);
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": sent.message, "code": "not_found"})
        );
        // The browser ([`call`], through the app's JSON client) adds the status it
        // received and reads the error back whole.
        let text = std::str::from_utf8(&body).unwrap();
        let back = crate::client::error_from(404, None, text);
        assert_eq!(back, sent);
        let limited = crate::client::error_from(429, Some(30), text);
        assert_eq!((limited.status, limited.retry_after), (429, Some(30)));
    }

    #[test]
    fn arguments_that_do_not_deserialise_are_refused_without_quoting_them() {
        let quoted = "invalid type: string \"Zebulon Quillfeather\", expected a boolean";
        for e in [
            ServerFnErrorErr::Args(quoted.into()),
            ServerFnErrorErr::MissingArg(quoted.into()),
        ] {
            let refused = ApiError::from_server_fn_error(e);
            assert_eq!(
                (refused.status, refused.code.as_str()),
                (400, "invalid_request")
            );
            assert!(!refused.message.contains("Zebulon"), "{}", refused.message);
        }
    }
}

//! Ward's one error type. Every failure a caller can see is an [`Error`] with a status
//! class, a stable machine code and a sentence for people; the HTTP layer turns it into
//! `{"error": …, "code": …}` (docs/contract.md §4). Internal causes are logged (without
//! PHI) where they are converted, and never shown.

use std::borrow::Cow;

/// The class of an error, which decides its HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400: the request is malformed or invalid.
    BadRequest,
    /// 401: no valid credentials.
    Unauthorized,
    /// 403: authenticated but not allowed.
    Forbidden,
    /// 404: missing, or not the caller's (the same answer for both).
    NotFound,
    /// 409: conflicts with stored state.
    Conflict,
    /// 413: the body is over the limit.
    PayloadTooLarge,
    /// 415: not JSON.
    UnsupportedMediaType,
    /// 422: well-formed but semantically wrong.
    Unprocessable,
    /// 429: rate limit, budget or login throttling.
    TooManyRequests,
    /// 502: the LLM provider failed.
    BadGateway,
    /// 503: a dependency (database, audit trail, PHI engine) is unavailable; fail closed.
    Unavailable,
    /// 500: a bug.
    Internal,
}

impl ErrorKind {
    /// The HTTP status code.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest => 400,
            ErrorKind::Unauthorized => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::PayloadTooLarge => 413,
            ErrorKind::UnsupportedMediaType => 415,
            ErrorKind::Unprocessable => 422,
            ErrorKind::TooManyRequests => 429,
            ErrorKind::BadGateway => 502,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        }
    }
}

/// An error a caller may see.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    /// Its class.
    pub kind: ErrorKind,
    /// A stable machine code.
    pub code: Cow<'static, str>,
    /// A sentence for people; never contains PHI, secrets or internals.
    pub message: String,
    /// For 429: seconds until a retry can succeed.
    pub retry_after_secs: Option<u64>,
}

/// Ward's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of `kind` with `code` and `message`.
    pub fn new(
        kind: ErrorKind,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            kind,
            code: code.into(),
            message: message.into(),
            retry_after_secs: None,
        }
    }

    /// 400.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::BadRequest, code, message)
    }

    /// 401 with the usual message.
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Unauthorized, code, message)
    }

    /// 403.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Forbidden, code, message)
    }

    /// 404 for `what` ("session", "patient", …): the same for missing and not-yours.
    pub fn not_found(what: &str) -> Self {
        Error::new(
            ErrorKind::NotFound,
            "not_found",
            format!("No such {what}, or it is not yours to see."),
        )
    }

    /// 429 with a retry delay.
    pub fn too_many(code: &'static str, message: impl Into<String>, retry_after_secs: u64) -> Self {
        Error {
            retry_after_secs: Some(retry_after_secs.max(1)),
            ..Error::new(ErrorKind::TooManyRequests, code, message)
        }
    }

    /// 503: a dependency failed and Ward fails closed.
    pub fn unavailable(code: &'static str, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Unavailable, code, message)
    }

    /// 500. `cause` is logged here (it must not contain PHI) and not shown.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Error::new(
            ErrorKind::Internal,
            "internal_error",
            "Something went wrong on Ward's side.",
        )
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.kind.status()
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(e: sea_orm::DbErr) -> Self {
        // sqlx messages name tables and constraints, not row values.
        tracing::error!(error = %e, "database error");
        Error::unavailable(
            "database_unavailable",
            "The database is unavailable; nothing was changed.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_status() {
        assert_eq!(Error::not_found("session").status(), 404);
        assert_eq!(
            Error::too_many("rate_limited", "slow down", 0).retry_after_secs,
            Some(1)
        );
        assert_eq!(Error::internal("boom").status(), 500);
        assert_eq!(
            Error::from(sea_orm::DbErr::Custom("x".into())).status(),
            503
        );
    }
}

//! The ids a chat turn and a tool call carry, as types of their own: a [`SessionId`] is
//! a parsed UUID (so a string from a request cannot pass for one), and a [`UserId`] is a
//! user's row id (so it cannot be mixed up with a count, a position or another row's id).

use crate::error::{Error, Result};
use std::fmt;

/// A chat session's id: a UUID in its canonical (lower-case, hyphenated) form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    /// Parses a session id from a request; anything but a UUID is the same 404 as a
    /// session that is not the caller's.
    pub fn parse(raw: &str) -> Result<SessionId> {
        uuid::Uuid::parse_str(raw)
            .map(|u| SessionId(u.to_string()))
            .map_err(|_| Error::not_found("session"))
    }

    /// A session id read back from the store, where only ids this type wrote are kept.
    pub(crate) fn stored(id: String) -> SessionId {
        SessionId(id)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&SessionId> for sea_orm::Value {
    fn from(id: &SessionId) -> Self {
        id.0.clone().into()
    }
}

/// A user's id (the `users` row).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(i64);

impl UserId {
    /// The user whose row has this id.
    pub fn new(id: i64) -> UserId {
        UserId(id)
    }

    /// The row id.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<UserId> for sea_orm::Value {
    fn from(id: UserId) -> Self {
        id.0.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_id_is_a_canonical_uuid() {
        let id = SessionId::parse("6F9619FF-8B86-D011-B42D-00C04FC964FF").unwrap();
        assert_eq!(id.as_str(), "6f9619ff-8b86-d011-b42d-00c04fc964ff");
        assert_eq!(id.to_string(), id.as_str());
    }

    #[test]
    fn anything_else_is_the_sessions_404() {
        for raw in [
            "",
            "abc",
            "6f9619ff-8b86-d011-b42d",
            "1; DROP TABLE chat_sessions",
        ] {
            let e = SessionId::parse(raw).unwrap_err();
            assert_eq!(e.code, "not_found", "{raw}");
        }
    }

    #[test]
    fn a_user_id_keeps_its_row_id() {
        let id = UserId::new(42);
        assert_eq!(id.get(), 42);
        assert_eq!(id.to_string(), "42");
        assert_eq!(sea_orm::Value::from(id), sea_orm::Value::from(42i64));
    }
}

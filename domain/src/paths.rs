//! Ward's URL paths, written once for the server and the browser app.
//!
//! [`screen`] holds the app's pages; [`api`] the HTTP API as the OpenAPI document lists
//! it. A path with a parameter is a template (`{id}`, as the document writes it) and
//! [`fill`] puts a value in it. The handlers' `#[utoipa::path(path = "…")]` attributes
//! must be literals, so they repeat these strings: `server/tests/api/contract.rs` checks
//! that every path in [`api::DOCUMENTED`] is in the served document and every documented
//! path is in [`api::DOCUMENTED`].

/// The app's pages (server-rendered, then hydrated).
pub mod screen {
    /// Chat: opens the newest empty session or a new one.
    pub const HOME: &str = "/frontend/";
    /// One chat session: [`super::fill`] with the session id.
    pub const CHAT: &str = "/frontend/chat/{id}";
    /// The prefix of [`CHAT`] before its id.
    pub const CHAT_PREFIX: &str = "/frontend/chat/";
    /// The sign-in page.
    pub const SIGN_IN: &str = "/frontend/login";
    /// The sign-in page after signing out (it then offers the identity provider's
    /// sign-out).
    pub const SIGNED_OUT: &str = "/frontend/login?signed_out=1";
    /// The reviewers' list of archived sessions.
    pub const REVIEWS: &str = "/frontend/reviews";
    /// One archived session: [`super::fill`] with the session id.
    pub const REVIEW: &str = "/frontend/reviews/{id}";
    /// The prefix of [`REVIEW`] before its id.
    pub const REVIEW_PREFIX: &str = "/frontend/reviews/";
    /// The audit trail.
    pub const AUDIT: &str = "/frontend/audit";
    /// The admins' screen.
    pub const ADMIN: &str = "/frontend/admin";
}

/// The HTTP API. Constants without a parameter are called as they stand; templates
/// (`{id}`) through [`super::fill`].
pub mod api {
    /// `POST`: a JWT pair for a username and password (the prototype's).
    pub const TOKEN: &str = "/api/token/";
    /// `POST`: the next access token for a refresh token.
    pub const TOKEN_REFRESH: &str = "/api/token/refresh/";
    /// `POST`: revokes a refresh token's family.
    pub const TOKEN_REVOKE: &str = "/api/token/revoke/";
    /// `POST`: the browser's sign-in (cookies).
    pub const LOGIN: &str = "/frontend/login/";
    /// `POST`: the browser's sign-out.
    pub const LOGOUT: &str = "/frontend/logout/";
    /// `GET`: single sign-on starts here.
    pub const OIDC_LOGIN: &str = "/frontend/oidc/login";
    /// `GET`: the identity provider sends the browser back here.
    pub const OIDC_CALLBACK: &str = "/frontend/oidc/callback";
    /// `GET`: signs out at the identity provider too.
    pub const OIDC_LOGOUT: &str = "/frontend/oidc/logout";
    /// `GET`: who is signed in, and what they may do.
    pub const WHOAMI: &str = "/frontend/whoami/";
    /// `GET`: the caller's tools and masks (the prototype's).
    pub const RBAC_EFFECTIVE: &str = "/frontend/rbac/effective/";
    /// `POST`: a short-lived access token for the browser's user.
    pub const MINT_TOKEN: &str = "/frontend/mint-token/";
    /// `POST`: one tool call.
    pub const MCP_PROXY: &str = "/frontend/mcp-proxy/";
    /// `GET`: the newest audit records the caller may see.
    pub const AUDIT_LATEST: &str = "/frontend/audit-latest/";
    /// `POST`: break the glass; `GET`: the caller's grants.
    pub const BREAK_GLASS: &str = "/frontend/api/break-glass/";
    /// `DELETE`: revokes a grant ([`super::fill`] with its id).
    pub const BREAK_GLASS_GRANT: &str = "/frontend/api/break-glass/{id}/";
    /// `POST`: a new chat session.
    pub const CHAT_SESSION: &str = "/frontend/api/chat/session/";
    /// `PATCH`: renames, archives or unarchives a session ([`super::fill`] with its id).
    pub const CHAT_SESSION_ITEM: &str = "/frontend/api/chat/session/{id}/";
    /// `GET`: the owner's download of a session, `?format=markdown|json` ([`super::fill`]
    /// with its id).
    pub const CHAT_SESSION_EXPORT: &str = "/frontend/api/chat/session/{id}/export/";
    /// `GET`: the caller's sessions, newest first.
    pub const CHAT_SESSIONS: &str = "/frontend/api/chat/sessions/";
    /// `GET`: one session's history ([`super::fill`] with its id).
    pub const CHAT_HISTORY: &str = "/frontend/api/chat/history/{id}/";
    /// `POST`: a question; the answer streams as NDJSON ([`crate::chat::ChatEvent`]).
    pub const CHAT_MESSAGE: &str = "/frontend/api/chat/message/";
    /// `GET`: the model and limits the chat screen shows.
    pub const CHAT_CONFIG: &str = "/frontend/api/chat/config/";
    /// `GET`: everyone's archived sessions (reviewers, auditors).
    pub const REVIEW_SESSIONS: &str = "/frontend/api/reviews/sessions/";
    /// `GET`: audit records, filtered.
    pub const AUDIT_EVENTS: &str = "/frontend/api/audit/events/";
    /// `GET`: verifies the chain.
    pub const AUDIT_VERIFY: &str = "/frontend/api/audit/verify/";
    /// `GET`: the records as a file.
    pub const AUDIT_EXPORT: &str = "/frontend/api/audit/export/";
    /// `GET`: the signed checkpoints; `POST`: a new one.
    pub const AUDIT_CHECKPOINTS: &str = "/frontend/api/audit/checkpoints/";
    /// `GET`: every active break-the-glass grant.
    pub const AUDIT_BREAK_GLASS: &str = "/frontend/api/audit/break-glass/";
    /// `GET`: the accounting of disclosures.
    pub const AUDIT_DISCLOSURES: &str = "/frontend/api/audit/disclosures/";
    /// `GET`: the accounting of disclosures as a file.
    pub const AUDIT_DISCLOSURES_EXPORT: &str = "/frontend/api/audit/disclosures/export/";
    /// `GET`: tokens and spend.
    pub const ADMIN_USAGE: &str = "/frontend/api/admin/usage/";
    /// `GET`, `PUT`: the daily budgets.
    pub const ADMIN_BUDGETS: &str = "/frontend/api/admin/budgets/";
    /// `GET`: every user; `POST`: a new one.
    pub const ADMIN_USERS: &str = "/frontend/api/admin/users/";
    /// `PATCH`: changes a user ([`super::fill`] with the user id).
    pub const ADMIN_USER: &str = "/frontend/api/admin/users/{id}/";
    /// `POST`: a FHIR import (upload).
    pub const ADMIN_IMPORT: &str = "/frontend/api/admin/import/";
    /// `GET`: the OpenAPI document.
    pub const OPENAPI: &str = "/frontend/api/openapi.json";
    /// `GET`: liveness.
    pub const HEALTHZ: &str = "/healthz";
    /// `GET`: readiness.
    pub const READYZ: &str = "/readyz";
    /// `GET`: Prometheus metrics.
    pub const METRICS: &str = "/metrics";
    /// The MCP endpoint (Streamable HTTP).
    pub const MCP: &str = "/mcp";
    /// The prefix of the app's server functions (not in the OpenAPI document).
    pub const SERVER_FN_PREFIX: &str = "/frontend/api/fn/";

    /// Every path of the OpenAPI document, each once.
    pub const DOCUMENTED: [&str; 40] = [
        TOKEN,
        TOKEN_REFRESH,
        TOKEN_REVOKE,
        LOGIN,
        LOGOUT,
        OIDC_LOGIN,
        OIDC_CALLBACK,
        OIDC_LOGOUT,
        WHOAMI,
        RBAC_EFFECTIVE,
        MINT_TOKEN,
        MCP_PROXY,
        AUDIT_LATEST,
        BREAK_GLASS,
        BREAK_GLASS_GRANT,
        CHAT_SESSION,
        CHAT_SESSION_ITEM,
        CHAT_SESSION_EXPORT,
        CHAT_SESSIONS,
        CHAT_HISTORY,
        CHAT_MESSAGE,
        CHAT_CONFIG,
        REVIEW_SESSIONS,
        AUDIT_EVENTS,
        AUDIT_VERIFY,
        AUDIT_EXPORT,
        AUDIT_CHECKPOINTS,
        AUDIT_BREAK_GLASS,
        AUDIT_DISCLOSURES,
        AUDIT_DISCLOSURES_EXPORT,
        ADMIN_USAGE,
        ADMIN_BUDGETS,
        ADMIN_USERS,
        ADMIN_USER,
        ADMIN_IMPORT,
        OPENAPI,
        HEALTHZ,
        READYZ,
        METRICS,
        MCP,
    ];
}

/// `template` with its one `{…}` parameter replaced by `value`.
pub fn fill(template: &str, value: impl std::fmt::Display) -> String {
    match (template.find('{'), template.find('}')) {
        (Some(open), Some(close)) if open < close => {
            format!("{}{value}{}", &template[..open], &template[close + 1..])
        }
        _ => template.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn templates_take_their_value_in_place_of_the_parameter() {
        assert_eq!(
            fill(api::CHAT_HISTORY, "s-1"),
            "/frontend/api/chat/history/s-1/"
        );
        assert_eq!(fill(api::ADMIN_USER, 42), "/frontend/api/admin/users/42/");
        assert_eq!(fill(screen::CHAT, "abc"), "/frontend/chat/abc");
        assert_eq!(fill(screen::REVIEW, "abc"), "/frontend/reviews/abc");
        assert_eq!(fill(api::WHOAMI, 1), api::WHOAMI);
    }

    #[test]
    fn each_documented_path_is_listed_once_and_well_formed() {
        let set: BTreeSet<&str> = api::DOCUMENTED.into_iter().collect();
        assert_eq!(set.len(), api::DOCUMENTED.len());
        for p in api::DOCUMENTED {
            assert!(p.starts_with('/'), "{p}");
            assert_eq!(p.matches('{').count(), p.matches('}').count(), "{p}");
            assert!(p.matches('{').count() <= 1, "{p}");
        }
        assert!(!set.contains(api::SERVER_FN_PREFIX));
    }

    #[test]
    fn prefixes_are_their_templates_up_to_the_parameter() {
        assert_eq!(fill(screen::CHAT, ""), screen::CHAT_PREFIX);
        assert_eq!(fill(screen::REVIEW, ""), screen::REVIEW_PREFIX);
        assert!(screen::SIGNED_OUT.starts_with(screen::SIGN_IN));
    }
}

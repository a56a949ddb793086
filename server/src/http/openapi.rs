//! The OpenAPI 3.1 document of the HTTP API, served at `/frontend/api/openapi.json`. It is
//! generated, never written by hand, so it cannot drift from the code:
//!
//! - each handler's `#[utoipa::path(...)]` gives its method, path, parameters, request
//!   body and every status it can answer (with the response groups below for the errors
//!   many operations share);
//! - the request and response bodies are the handlers' own types (`ward_domain::api`),
//!   whose schemas `#[derive(utoipa::ToSchema)]` writes (feature `openapi` of
//!   `ward-domain`): an `Option` is nullable, a `#[serde(default)]` field optional;
//! - the router registers every documented handler with `.routes(routes!(handler))`
//!   ([`super::api_routes`]), which also puts it in the document.
//!
//! Adding an endpoint: annotate the handler, add one `.routes(routes!(module::handler))`
//! line to [`super::api_routes`]. A route added with a plain `.route(...)` is not in the
//! document, and the test `the_openapi_document_lists_every_route` fails.

use std::collections::HashSet;
use std::sync::OnceLock;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::{IntoResponses, Modify, OpenApi};
use ward_domain::api::ErrorBody;

/// The document's frame: title, description, the error schema, the security scheme.
/// The paths come from the router ([`super::api_routes`]) and from `paths(...)` here for
/// routes that are not axum handlers (`/mcp`).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ward API",
        description = "Ward: a secure clinical AI assistant.\n\n\
            Authenticate with `Authorization: Bearer <access JWT>` (from `POST /api/token/`); \
            the browser app uses HttpOnly cookies and sends `X-CSRF-Token` on requests that \
            change state.\n\n\
            Every error is JSON `{\"error\": <sentence>, \"code\": <machine code>}` and never \
            quotes what was sent. An unknown path answers 404 `no_such_endpoint`, a known path \
            with another method 405 `method_not_allowed`. 429 answers carry `Retry-After`.\n\n\
            Not described here: the browser app's pages and its server functions \
            (`/frontend/api/fn/…`), and the static files.",
    ),
    paths(crate::mcp::documented),
    components(schemas(ErrorBody)),
    modifiers(&Security),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

/// Adds the Bearer scheme.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The whole document (the routes' paths merged into [`ApiDoc`]), as JSON text, built
/// once.
pub fn document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        super::api_routes()
            .into_openapi()
            .to_pretty_json()
            .expect("the OpenAPI document serialises")
    })
}

/// Whether `name` is a property or parameter name the document defines: what an error
/// message may name without quoting the caller.
pub fn is_known_name(name: &str) -> bool {
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            let doc: serde_json::Value =
                serde_json::from_str(document()).expect("the document is JSON");
            let mut names = HashSet::new();
            collect_names(&doc, &mut names);
            names
        })
        .contains(name)
}

fn collect_names(v: &serde_json::Value, names: &mut HashSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(props) = map.get("properties").and_then(|p| p.as_object()) {
                names.extend(props.keys().cloned());
            }
            if map.get("in").is_some() {
                if let Some(n) = map.get("name").and_then(|n| n.as_str()) {
                    names.insert(n.to_string());
                }
            }
            map.values().for_each(|x| collect_names(x, names));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| collect_names(x, names)),
        _ => {}
    }
}

/// A response whose body is Ward's error.
fn error(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
        )
        .build()
        .into()
}

macro_rules! error_responses {
    ($(#[$doc:meta])* $name:ident: $($status:literal => $description:literal),+ $(,)?) => {
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> std::collections::BTreeMap<String, RefOr<Response>> {
                [$(($status.to_string(), error($description))),+].into_iter().collect()
            }
        }
    };
}

error_responses!(
    /// 400: the request is not what the operation takes (`code` says what).
    BadRequest: "400" => "The request is not what this operation takes: a malformed body \
        (`malformed_json`, `invalid_request`), query string (`invalid_query`) or path \
        parameter (`invalid_path`), or a value out of range; `code` says which."
);
error_responses!(
    /// 400, 413, 415: the rejections of a JSON body.
    JsonBodyErrors:
    "400" => "The request is not what this operation takes: a malformed body \
        (`malformed_json`, `invalid_request`), query string (`invalid_query`) or path \
        parameter (`invalid_path`), or a value out of range; `code` says which.",
    "413" => "The body is over the size limit (`payload_too_large`).",
    "415" => "The body is not declared as JSON (`unsupported_media_type`).",
);
error_responses!(
    /// 401, 403: a signed-in caller is needed (and the CSRF token for a cookie request
    /// that changes state).
    SignedIn:
    "401" => "No valid credentials, or the user is inactive (`not_authenticated`, \
        `invalid_token`, …).",
    "403" => "Not allowed: a cookie request that changes state without the CSRF token \
        (`csrf_failed`), a role the caller lacks (`role_required`), or the policy's \
        refusal; `code` says which.",
);
error_responses!(
    /// 404: missing, or not the caller's (the same answer).
    NotFound: "404" => "No such thing, or it is not the caller's to see (`not_found`)."
);
error_responses!(
    /// 409: conflicts with stored state.
    Conflict: "409" => "Conflicts with what is stored (`session_busy`, `username_taken`, …)."
);
/// 429 with `Retry-After`.
pub struct TooMany;

impl IntoResponses for TooMany {
    fn responses() -> std::collections::BTreeMap<String, RefOr<Response>> {
        let retry_after = utoipa::openapi::HeaderBuilder::new()
            .schema(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::Type::Integer)
                    .minimum(Some(1)),
            )
            .description(Some("Seconds until a retry can succeed."))
            .build();
        let response = ResponseBuilder::new()
            .description(
                "Too many requests: a rate limit, a budget or sign-in throttling \
                 (`code` says which); `Retry-After` says when to try again.",
            )
            .header("Retry-After", retry_after)
            .content(
                "application/json",
                Content::new(Some(Ref::from_schema_name("ErrorBody"))),
            )
            .build();
        [("429".to_string(), response.into())].into_iter().collect()
    }
}
error_responses!(
    /// 503: Ward fails closed when a dependency is down.
    Unavailable: "503" => "A dependency is unavailable (`database_unavailable`, \
        `audit_unavailable`, …) and nothing was done."
);

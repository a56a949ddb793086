//! The OpenAPI 3.1 document of the HTTP API, served at `/frontend/api/openapi.json`. A test
//! checks that every route of the router is documented here.

/// The document.
pub const DOCUMENT: &str = include_str!("openapi.json");

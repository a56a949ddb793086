//! Ward's domain: the rules that matter, as plain Rust with no HTTP, database or browser.
//!
//! Everything here is deterministic and does no I/O, so it is tested exhaustively and
//! compiles for both the server and the browser (the wire types in [`api`] and the chat
//! events in [`chat`] are shared with the SPA).
//!
//! - [`role`]: the six roles and role sets.
//! - [`tool`] and [`schema`]: the tool registry, its JSON Schemas and argument validation.
//! - [`policy`]: the access policy (roles → tools, patient scope, masking) and the one
//!   decision function.
//! - [`capability`]: what a user may do (screens, chat, break-the-glass, user changes),
//!   derived from the policy; sent in `whoami`, read by the server's guards and the app.
//! - [`masking`]: per-role field masking of tool results (PHI boundary 1).
//! - [`audit`]: audit records, the hash chain and its verification.
//! - [`pricing`]: the per-model price table and cost arithmetic in micro-dollars.
//! - [`chat`]: NDJSON stream events and input hygiene for clinician messages.
//! - [`records`]: the typed results of the tools.
//! - [`reference`]: reference ranges, abnormal flags and trend directions.
//! - [`api`]: request and response bodies of the HTTP API.
//! - [`paths`]: the URL paths of the app's pages and of the API.
//! - [`import`]: the report of a FHIR import.
//! - [`export`]: a conversation as its owner exports it (Markdown, JSON).

pub mod api;
pub mod audit;
pub mod capability;
pub mod chat;
pub mod export;
pub mod import;
pub mod masking;
pub mod paths;
pub mod policy;
pub mod pricing;
pub mod records;
pub mod reference;
pub mod role;
pub mod schema;
pub mod tool;

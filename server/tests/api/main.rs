//! HTTP tests against a real Ward spawned on port 0 (one binary, one module per area).

mod helpers;

mod auth;
mod chat;
mod hardening;
mod import;
mod mcp;
mod oidc;
mod oversight;
mod pages;
mod records;
mod site;
mod tools;

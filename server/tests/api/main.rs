//! HTTP tests against a real Ward spawned on port 0 (one binary, one module per area).

mod helpers;

mod auth;
mod capabilities;
mod chat;
mod contract;
mod export;
mod hardening;
mod import;
mod mcp;
mod oidc;
mod oversight;
mod pages;
mod provider_oracle;
mod records;
mod security;
mod server_fns;
mod site;
mod tools;

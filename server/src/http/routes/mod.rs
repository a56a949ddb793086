//! The endpoints, one module per area. Handlers marked (compat) serve the prototype's API
//! (docs/contract.md, "Compat"): their paths, fields and status codes must not change.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod chat;
pub mod import;
pub mod oidc;
pub mod ops;
pub mod tools;

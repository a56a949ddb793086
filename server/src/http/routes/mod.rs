//! The endpoints, one module per area. Paths marked compat in the spec keep the
//! prototype's shapes.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod chat;
pub mod import;
pub mod oidc;
pub mod ops;
pub mod tools;

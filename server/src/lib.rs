//! Ward's server: the HTTP layer over `ward-core`, the MCP endpoint, startup and the
//! command line. `main.rs` only parses arguments and calls [`cli::run`]; tests build an
//! [`startup::Application`] on port 0.

// The app's views are deeply nested types; outside cargo-leptos (which erases components)
// their layouts take more than the default 128 levels to compute.
#![recursion_limit = "256"]

pub mod cli;
pub mod http;
pub mod mcp;
pub mod startup;
pub mod telemetry;

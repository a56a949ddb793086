//! Ward's server: the HTTP layer over `ward-core`, the MCP endpoint, startup and the
//! command line. `main.rs` only parses arguments and calls [`cli::run`]; tests build an
//! [`startup::Application`] on port 0.

pub mod cli;
pub mod http;
pub mod mcp;
pub mod startup;
pub mod telemetry;

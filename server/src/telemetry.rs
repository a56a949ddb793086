//! Logging: human-readable lines by default, JSON lines with `--log-json` (or
//! `WARD_LOG_FORMAT=json`), filtered by `RUST_LOG` (default `info`). What is logged is
//! decided where it is logged; nothing logs bodies, query strings, tokens or PHI.

use tracing_subscriber::{fmt, EnvFilter};

/// Libraries held at `warn` whatever `RUST_LOG` says.
const QUIET: [&str; 8] = [
    "rmcp=warn",
    "sqlx=warn",
    "sea_orm=warn",
    "sea_query=warn",
    "hyper=warn",
    "reqwest=warn",
    "async_openai=warn",
    "leptos_axum=warn",
];

/// Installs the global subscriber (once; later calls are ignored).
pub fn init(json: bool) {
    let mut filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // These libraries log request bodies, tool results or SQL with values at debug level:
    // whatever RUST_LOG says, they never log below warn.
    for quiet in QUIET {
        filter = filter.add_directive(quiet.parse().expect("a valid directive"));
    }
    let builder = fmt().with_env_filter(filter).with_target(false);
    let _ = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init()
    } else {
        builder.compact().try_init()
    };
}

//! `server`: Ward's binary. See `server --help`.

use clap::Parser;

/// mimalloc: lower memory per open stream and less time in the allocator than glibc's
/// malloc under many threads (see the gateway benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // A panic's message may quote data (PHI); report only where it happened.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("panic at {at} (message withheld: it may contain data)");
    }));
    let _ = dotenvy::dotenv();
    server::cli::run(server::cli::Cli::parse()).await
}

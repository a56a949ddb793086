//! Building and running the application: bind (port 0 in tests), serve, shut down
//! gracefully (open requests finish, streams included).

use crate::http::{router, AppState};
use axum::serve::ListenerExt;
use leptos::config::LeptosOptions;
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use ward_core::Ward;

/// A bound, ready-to-run application.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    addr: SocketAddr,
}

impl Application {
    /// Binds `addr` and builds the router.
    pub async fn build(
        ward: Ward,
        leptos: LeptosOptions,
        addr: SocketAddr,
    ) -> std::io::Result<Application> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let router = router(AppState { ward, leptos });
        Ok(Application {
            listener,
            router,
            addr,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Serves until `shutdown` resolves, then lets open requests finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!(address = %self.addr, "Ward is listening");
        // Streams are many small writes: without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK hold each NDJSON line back by up to 40 ms.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY");
            }
        });
        axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing open requests");
}

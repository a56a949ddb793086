//! Building and running the application: bind (port 0 in tests), serve, shut down
//! gracefully (open requests finish, streams included).

use crate::http::{router, AppState};
use axum::extract::ConnectInfo;
use http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use leptos::config::LeptosOptions;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;
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
    ///
    /// Each connection is served by hyper (HTTP/1.1, or HTTP/2 when the client asks) with
    /// an HTTP/1 read buffer capped at 8 KiB, hyper's smallest: requests are small, and a
    /// connection holding an open chat stream then keeps 8 KiB instead of growing to
    /// 16–20 KiB (measured with heaptrack), which is most of a stream's memory.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!(address = %self.addr, "Ward is listening");
        let mut http = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
        http.http1().max_buf_size(8192);
        let graceful = GracefulShutdown::new();
        tokio::pin!(shutdown);
        loop {
            let (tcp, remote) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(pair) => pair,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, then accept again.
                        tracing::warn!(error = %e, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            // Streams are many small writes: without TCP_NODELAY, Nagle's algorithm and
            // the client's delayed ACK hold each NDJSON line back by up to 40 ms.
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY");
            }
            let router = self
                .router
                .clone()
                .map_request(move |mut req: Request<Incoming>| {
                    req.extensions_mut().insert(ConnectInfo(remote));
                    req
                });
            let connection = http
                .serve_connection_with_upgrades(TokioIo::new(tcp), TowerToHyperService::new(router))
                .into_owned();
            let served = graceful.watch(connection);
            tokio::spawn(async move {
                if let Err(e) = served.await {
                    tracing::debug!(error = %e, "a connection ended with an error");
                }
            });
        }
        drop(self.listener);
        graceful.shutdown().await;
        Ok(())
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

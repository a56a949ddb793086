//! Building and running the application: bind (port 0 in tests), serve, shut down
//! gracefully (open requests finish, streams included).
//!
//! Connection limits live here: a request's headers must arrive within
//! `WARD_HEADER_TIMEOUT` (hyper's header-read timer, which also closes a keep-alive
//! connection that waits that long for its next request); at most `WARD_MAX_CONNECTIONS`
//! connections are served at once, and one more is answered `503 too_many_connections`
//! and closed. `/metrics` gets a listener of its own on `WARD_METRICS_ADDR`.

use crate::http::{router, AppState};
use axum::extract::ConnectInfo;
use http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use leptos::config::LeptosOptions;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;
use ward_core::Ward;

/// A bound, ready-to-run application.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    addr: SocketAddr,
    header_timeout: Duration,
    max_connections: usize,
    metrics: Option<(TcpListener, axum::Router)>,
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
        let header_timeout = ward.config.header_timeout;
        let max_connections = ward.config.max_connections;
        let metrics_addr = ward.config.metrics_addr;
        let state = AppState::new(ward, leptos);
        let metrics = match metrics_addr {
            Some(a) => Some((
                TcpListener::bind(a).await?,
                crate::http::metrics_router(state.clone()),
            )),
            None => None,
        };
        let router = router(state);
        Ok(Application {
            listener,
            router,
            addr,
            header_timeout,
            max_connections,
            metrics,
        })
    }

    /// The bound address of the metrics listener (`WARD_METRICS_ADDR`), if any.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|(l, _)| l.local_addr().ok())
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
        let (stop_metrics, mut metrics_stopped) = tokio::sync::watch::channel(false);
        if let Some((listener, router)) = self.metrics {
            if let Ok(a) = listener.local_addr() {
                tracing::info!(address = %a, "metrics are served");
            }
            tokio::spawn(async move {
                let served = axum::serve(listener, router).with_graceful_shutdown(async move {
                    let _ = metrics_stopped.changed().await;
                });
                if let Err(e) = served.await {
                    tracing::warn!(error = %e, "the metrics listener failed");
                }
            });
        }
        let mut http = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
        http.http1()
            .max_buf_size(8192)
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_timeout);
        let connections = Arc::new(Semaphore::new(self.max_connections));
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
            let Ok(permit) = connections.clone().try_acquire_owned() else {
                tokio::spawn(refuse_connection(tcp));
                continue;
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
                drop(permit);
            });
        }
        drop(self.listener);
        let _ = stop_metrics.send(true);
        graceful.shutdown().await;
        Ok(())
    }
}

/// Answers a connection over `WARD_MAX_CONNECTIONS` with `503 too_many_connections` (a
/// fixed HTTP/1.1 response, Ward's JSON error) and closes it, without reading it.
async fn refuse_connection(mut tcp: tokio::net::TcpStream) {
    const BODY: &str = "{\"error\":\"The server has too many open connections. Try again shortly.\",\"code\":\"too_many_connections\"}";
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         retry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let write = async {
        tcp.write_all(response.as_bytes()).await?;
        tcp.shutdown().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), write).await;
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

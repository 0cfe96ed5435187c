//! The HTTPS server: accept loop with a connection limit, TLS handshake with a timeout, HTTP/1.1
//! and HTTP/2 (ALPN), routing, body limit and read timeout, in-flight limit with load shedding
//! at the deadline, metrics, structured logs and graceful shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;

use crate::config::Limits;
use crate::decide::Engine;
use crate::metrics::{ErrorKind, Metrics};
use crate::review::{self, Status};
use crate::tls::{self, ReloadingCert, TlsError};

mod body;
mod validate;
use validate::validate;

/// How long in-flight requests may take to finish after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything a request handler needs.
#[derive(Debug)]
pub struct AppState {
    pub engine: Engine,
    pub metrics: Metrics,
    pub limits: Limits,
    in_flight: Semaphore,
}

impl AppState {
    pub fn new(engine: Engine, limits: Limits) -> Self {
        Self {
            engine,
            metrics: Metrics::default(),
            in_flight: Semaphore::new(limits.max_in_flight),
            limits,
        }
    }
}

/// Start-up failures.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Tls(#[from] TlsError),
}

/// A bound server, ready to run.
pub struct Server {
    listener: TcpListener,
    acceptor: TlsAcceptor,
    state: Arc<AppState>,
    cert: Arc<ReloadingCert>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").finish_non_exhaustive()
    }
}

/// Where the serving certificate comes from.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: std::path::PathBuf,
    pub key: std::path::PathBuf,
    /// Require client certificates signed by this CA.
    pub client_ca: Option<std::path::PathBuf>,
}

impl Server {
    /// Loads the certificate and binds the listener (use port 0 for an ephemeral port).
    pub async fn bind(
        addr: SocketAddr,
        files: &TlsFiles,
        state: AppState,
    ) -> Result<Self, ServeError> {
        let cert = Arc::new(ReloadingCert::load(&files.cert, &files.key)?);
        let cfg = tls::server_config(cert.clone(), files.client_ca.as_deref())?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        Ok(Self {
            listener,
            acceptor: TlsAcceptor::from(Arc::new(cfg)),
            state: Arc::new(state),
            cert,
        })
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    pub fn certificate(&self) -> Arc<ReloadingCert> {
        self.cert.clone()
    }

    /// Serves until `shutdown` completes, then stops accepting, lets open connections finish
    /// their requests (at most [`DRAIN_TIMEOUT`]) and returns.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let Server {
            listener,
            acceptor,
            state,
            ..
        } = self;
        let limits = state.limits;
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.read_timeout)
            .keep_alive(true);
        builder
            .http2()
            .timer(TokioTimer::new())
            .max_concurrent_streams(256);
        let builder = Arc::new(builder);
        let connections = Arc::new(Semaphore::new(limits.max_connections));
        let graceful = GracefulShutdown::new();
        tokio::pin!(shutdown);
        loop {
            // Past the connection limit, clients wait in the kernel's listen backlog instead of
            // costing memory here.
            let permit = tokio::select! {
                () = &mut shutdown => break,
                p = connections.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            };
            let (tcp, _peer) = tokio::select! {
                () = &mut shutdown => break,
                r = listener.accept() => match r {
                    Ok(x) => x,
                    Err(e) => {
                        // Out of file descriptors and the like: back off instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
            };
            let _ = tcp.set_nodelay(true);
            let acceptor = acceptor.clone();
            let state = state.clone();
            let builder = builder.clone();
            let watcher = graceful.watcher();
            tokio::spawn(async move {
                let _permit = permit;
                state.metrics.connections_total.fetch_add(1, Relaxed);
                state.metrics.connections_open.fetch_add(1, Relaxed);
                let tls =
                    match tokio::time::timeout(limits.read_timeout, acceptor.accept(tcp)).await {
                        Ok(Ok(s)) => Some(s),
                        Ok(Err(e)) => {
                            tracing::debug!(error = %e, "TLS handshake failed");
                            state.metrics.error(ErrorKind::Tls);
                            None
                        }
                        Err(_) => {
                            state.metrics.error(ErrorKind::Tls);
                            None
                        }
                    };
                if let Some(tls) = tls {
                    let svc_state = state.clone();
                    let svc = service_fn(move |req| handle(svc_state.clone(), req));
                    let conn = builder
                        .serve_connection(TokioIo::new(tls), svc)
                        .into_owned();
                    if let Err(e) = watcher.watch(conn).await {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                state.metrics.connections_open.fetch_sub(1, Relaxed);
            });
        }
        drop(listener);
        tracing::info!("shutting down: draining open connections");
        if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!("connections still open after the drain timeout");
        }
    }
}

pub(super) type Body = Full<Bytes>;

async fn handle(
    state: Arc<AppState>,
    req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let start = Instant::now();
    let resp = route(&state, req, start).await;
    state
        .metrics
        .request(resp.status().as_u16(), start.elapsed());
    Ok(resp)
}

async fn route(state: &AppState, req: Request<Incoming>, start: Instant) -> Response<Body> {
    match (req.method(), req.uri().path()) {
        (&Method::POST, "/validate") => validate(state, req, start).await,
        (&Method::GET, "/healthz") => text(StatusCode::OK, "text/plain", "ok\n"),
        (&Method::GET, "/readyz") => {
            if state.engine.state().ready() {
                text(StatusCode::OK, "text/plain", "ok\n")
            } else {
                text(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "text/plain",
                    "namespace cache not synced\n",
                )
            }
        }
        (&Method::GET, "/metrics") => text(
            StatusCode::OK,
            "text/plain; version=0.0.4",
            state.metrics.render(),
        ),
        (_, "/validate" | "/healthz" | "/readyz" | "/metrics") => {
            error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        }
        (_, path) => error(
            StatusCode::NOT_FOUND,
            &format!("no such path {path:?}; the webhook serves POST /validate"),
        ),
    }
}

pub(super) fn text(
    code: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Body> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = code;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    r
}

/// A JSON `Status` error body.
pub(super) fn error(code: StatusCode, message: &str) -> Response<Body> {
    let body = review::error_json(&Status::failure(code.as_u16(), message));
    text(code, "application/json", body)
}

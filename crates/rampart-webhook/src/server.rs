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
use http_body_util::{BodyExt, Full};
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

type Body = Full<Bytes>;

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

fn text(code: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = code;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    r
}

/// A JSON `Status` error body.
fn error(code: StatusCode, message: &str) -> Response<Body> {
    let body = review::error_json(&Status::failure(code.as_u16(), message));
    text(code, "application/json", body)
}

/// kube-apiserver's `?timeout=10s` (whole seconds, as it sends them; `ms` and `m` accepted).
fn timeout_param(query: Option<&str>) -> Option<Duration> {
    query?
        .split('&')
        .find_map(|kv| kv.strip_prefix("timeout="))
        .and_then(crate::config::parse_duration)
}

async fn validate(state: &AppState, req: Request<Incoming>, start: Instant) -> Response<Body> {
    let limits = &state.limits;
    let budget = timeout_param(req.uri().query())
        .map_or(limits.request_timeout, |t| t.min(limits.request_timeout));
    let deadline = start + budget;
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json {
        state.metrics.error(ErrorKind::BadRequest);
        return error(
            StatusCode::BAD_REQUEST,
            "expected Content-Type: application/json",
        );
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let max = limits.max_body_bytes;
    let drain_cap = (max as u64).saturating_mul(DRAIN_FACTOR);
    if declared.is_some_and(|n| n > max as u64) {
        state.metrics.error(ErrorKind::TooLarge);
        if declared.is_some_and(|n| n <= drain_cap) {
            drain(req.into_body(), drain_cap, limits.read_timeout).await;
        }
        return too_large(max);
    }
    let mut body = req.into_body();
    let bytes = match tokio::time::timeout(limits.read_timeout, read_limited(&mut body, max)).await
    {
        Ok(Ok(Some(b))) => b,
        Ok(Ok(None)) => {
            state.metrics.error(ErrorKind::TooLarge);
            drain(body, drain_cap, limits.read_timeout).await;
            return too_large(max);
        }
        Ok(Err(e)) => {
            state.metrics.error(ErrorKind::BadRequest);
            return close(error(
                StatusCode::BAD_REQUEST,
                &format!("cannot read request body: {e}"),
            ));
        }
        Err(_) => {
            state.metrics.error(ErrorKind::ReadTimeout);
            return close(error(
                StatusCode::REQUEST_TIMEOUT,
                &format!("request body not received within {:?}", limits.read_timeout),
            ));
        }
    };
    let request = match review::parse_bytes(bytes) {
        Ok(r) => r,
        Err(e) => {
            state.metrics.error(ErrorKind::BadRequest);
            tracing::info!(error = %e, "rejected malformed AdmissionReview");
            return error(StatusCode::BAD_REQUEST, &e.to_string());
        }
    };
    // Shed load at the deadline rather than queue past it: the API server would give up anyway.
    let Ok(Ok(_permit)) = tokio::time::timeout_at(deadline.into(), state.in_flight.acquire()).await
    else {
        state.metrics.error(ErrorKind::Timeout);
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded: no capacity before the request deadline",
        );
    };
    state.metrics.in_flight.fetch_add(1, Relaxed);
    let decided =
        tokio::time::timeout_at(deadline.into(), state.engine.decide(&request, deadline)).await;
    state.metrics.in_flight.fetch_sub(1, Relaxed);
    let Ok((route, answer)) = decided else {
        state.metrics.error(ErrorKind::Timeout);
        return error(
            StatusCode::GATEWAY_TIMEOUT,
            "no decision before the request deadline",
        );
    };
    if answer.lookup_failed() {
        state.metrics.error(ErrorKind::Lookup);
    }
    state.metrics.decision(
        route,
        answer.allowed(),
        answer.warned(),
        answer.exempt(),
        request.dry_run,
    );
    let body = answer.response_json(&request.uid, &request.name);
    log_decision(&request, route, answer, start);
    text(StatusCode::OK, "application/json", body)
}

fn log_decision(
    r: &review::ReviewRequest,
    route: crate::decide::Route,
    answer: crate::decide::Answer,
    start: Instant,
) {
    let elapsed_us = || u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    if answer.allowed() {
        tracing::debug!(
            uid = %r.uid, operation = r.operation.as_str(), resource = route.as_str(),
            namespace = %r.namespace, name = %r.name, user = %r.username, dry_run = r.dry_run,
            allowed = true, warnings = answer.warning_count(), elapsed_us = elapsed_us(),
            "admission decision"
        );
    } else if tracing::enabled!(tracing::Level::INFO) {
        // The denial message of a cached decision is only built when it is logged.
        let code = answer.code();
        let out = answer.into_outcome(&r.name);
        tracing::info!(
            uid = %r.uid, operation = r.operation.as_str(), resource = route.as_str(),
            namespace = %r.namespace, name = %r.name, user = %r.username, dry_run = r.dry_run,
            allowed = false, code, status = out.status.as_ref().map_or("", |s| s.message.as_str()),
            elapsed_us = elapsed_us(), "admission denied"
        );
    }
}

/// An oversize body is read and discarded up to this many times the limit, so the client
/// (which is still sending) sees the 413 instead of a reset connection.
const DRAIN_FACTOR: u64 = 4;

fn too_large(max: usize) -> Response<Body> {
    close(error(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("request body larger than {max} bytes"),
    ))
}

/// Reads the body; `None` once it exceeds `max` bytes (the excess stays unread). A body that
/// arrives in one frame (the usual case) is kept as received, without a copy.
async fn read_limited(body: &mut Incoming, max: usize) -> Result<Option<Bytes>, hyper::Error> {
    let mut first: Option<Bytes> = None;
    let mut rest: Option<bytes::BytesMut> = None;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else {
            continue;
        };
        let have = first.as_ref().map_or(0, Bytes::len) + rest.as_ref().map_or(0, |b| b.len());
        if have + data.len() > max {
            return Ok(None);
        }
        match (&mut rest, first.take()) {
            (Some(buf), _) => buf.extend_from_slice(&data),
            (None, None) => first = Some(data),
            (None, Some(f)) => {
                let mut buf = bytes::BytesMut::with_capacity(f.len() + data.len());
                buf.extend_from_slice(&f);
                buf.extend_from_slice(&data);
                rest = Some(buf);
            }
        }
    }
    Ok(Some(match rest {
        Some(buf) => buf.freeze(),
        None => first.unwrap_or_default(),
    }))
}

/// Discards the rest of a body, up to `cap` bytes and `timeout`; memory use stays constant.
async fn drain(mut body: Incoming, cap: u64, timeout: Duration) {
    let _ = tokio::time::timeout(timeout, async {
        let mut seen = 0u64;
        while let Some(Ok(frame)) = body.frame().await {
            if let Ok(data) = frame.into_data() {
                seen += data.len() as u64;
                if seen > cap {
                    break;
                }
            }
        }
    })
    .await;
}

/// Asks the client to close the connection (its unread body makes the stream unusable).
fn close(mut r: Response<Body>) -> Response<Body> {
    r.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_timeout_parameter() {
        assert_eq!(
            timeout_param(Some("timeout=5s")),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            timeout_param(Some("a=b&timeout=250ms")),
            Some(Duration::from_millis(250))
        );
        assert_eq!(timeout_param(Some("a=b")), None);
        assert_eq!(timeout_param(None), None);
    }
}

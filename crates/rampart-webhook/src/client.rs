//! A small HTTPS/1.1 client over rustls: the API server client of the live namespace watch, the
//! integration tests and the load generator use it. Trusts only the CA it is given.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::tls::{self, TlsError};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error("invalid server name {0:?}")]
    ServerName(String),
    #[error("connect: {0}")]
    Io(#[from] std::io::Error),
    #[error("http: {0}")]
    Http(#[from] hyper::Error),
    #[error("request: {0}")]
    Request(#[from] http::Error),
}

/// Connects to one HTTPS endpoint.
#[derive(Clone)]
pub struct HttpsClient {
    connector: TlsConnector,
    host: String,
    port: u16,
    server_name: ServerName<'static>,
}

impl std::fmt::Debug for HttpsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HttpsClient({}:{})", self.host, self.port)
    }
}

impl HttpsClient {
    /// A client for `host:port` verifying the server as `server_name` against the CA file.
    pub fn new(ca: &Path, host: &str, port: u16, server_name: &str) -> Result<Self, ClientError> {
        let cfg = tls::client_config(ca, &[b"http/1.1"])?;
        Self::with_config(cfg, host, port, server_name)
    }

    pub fn with_config(
        cfg: rustls::ClientConfig,
        host: &str,
        port: u16,
        server_name: &str,
    ) -> Result<Self, ClientError> {
        let server_name = ServerName::try_from(server_name.to_string())
            .map_err(|_| ClientError::ServerName(server_name.to_string()))?;
        Ok(Self {
            connector: TlsConnector::from(Arc::new(cfg)),
            host: host.to_string(),
            port,
            server_name,
        })
    }

    /// Opens one keep-alive connection.
    pub async fn connect(&self) -> Result<Connection, ClientError> {
        let tcp = TcpStream::connect((self.host.as_str(), self.port)).await?;
        let _ = tcp.set_nodelay(true);
        let tls = self
            .connector
            .connect(self.server_name.clone(), tcp)
            .await?;
        let (sender, conn) = http1::handshake(TokioIo::new(tls)).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Connection { sender })
    }
}

/// One HTTP/1.1 connection; requests on it are sequential.
#[derive(Debug)]
pub struct Connection {
    sender: http1::SendRequest<Full<Bytes>>,
}

/// A fully read response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_default()
    }
}

impl Connection {
    /// Sends a request and returns the response with its body unread (for streams).
    pub async fn send(
        &mut self,
        req: Request<Full<Bytes>>,
    ) -> Result<Response<Incoming>, ClientError> {
        self.sender.ready().await?;
        Ok(self.sender.send_request(req).await?)
    }

    /// Sends a request and reads the whole response.
    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Result<Reply, ClientError> {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "webhook");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let resp = self.send(b.body(Full::new(body.into()))?).await?;
        let (parts, body) = resp.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok(Reply {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }

    /// POSTs JSON to `path`.
    pub async fn post_json(
        &mut self,
        path: &str,
        body: impl Into<Bytes>,
    ) -> Result<Reply, ClientError> {
        self.request("POST", path, &[("content-type", "application/json")], body)
            .await
    }

    /// Whether the connection can take another request.
    pub fn is_open(&self) -> bool {
        !self.sender.is_closed()
    }
}

/// Runs a future on a fresh single-threaded runtime, for callers without one (the CLI tests).
pub fn block_on<F: std::future::Future>(f: F) -> std::io::Result<F::Output> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(f))
}

//! The live namespace source: a list-then-watch of `/api/v1/namespaces` against the API server
//! with the pod's service-account token (a small informer, without a client library), one live
//! GET on a cache miss, and a live list of a namespace's pods for the enforce-level dry-run.
//!
//! Assumes in-cluster credentials: `KUBERNETES_SERVICE_HOST`/`_PORT`, the token and CA under
//! `/var/run/secrets/kubernetes.io/serviceaccount/`. RBAC needed: `get`, `list`, `watch` on
//! `namespaces`; `list` on `pods`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::Value;

use crate::client::{ClientError, HttpsClient};
use crate::state::{BoxFuture, Cached, ClusterState, LookupError, NamespaceLabels};

const SA_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
/// A watch longer than this is closed and resumed by the server (keeps connections fresh).
const WATCH_SECONDS: u32 = 290;
/// Largest single watch event accepted (a Namespace is small; this bounds memory).
const MAX_EVENT_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Client(#[from] ClientError),
    #[error("{path}: HTTP {status}: {body}")]
    Status {
        path: String,
        status: StatusCode,
        body: String,
    },
    #[error("{0}: invalid JSON from the API server")]
    Json(String),
    #[error("reading {0}: {1}")]
    Read(String, String),
    #[error("watch event larger than {MAX_EVENT_BYTES} bytes")]
    EventTooLarge,
    #[error("in-cluster configuration: {0}")]
    Config(String),
}

/// How to reach the API server.
#[derive(Debug, Clone)]
pub struct ApiServer {
    client: HttpsClient,
    token_file: Option<PathBuf>,
}

impl ApiServer {
    pub fn new(client: HttpsClient, token_file: Option<PathBuf>) -> Self {
        Self { client, token_file }
    }

    /// From the service-account mount and environment of a pod.
    pub fn in_cluster() -> Result<Self, ApiError> {
        let host = std::env::var("KUBERNETES_SERVICE_HOST").map_err(|_| {
            ApiError::Config("KUBERNETES_SERVICE_HOST is not set (not running in a pod)".into())
        })?;
        let port = std::env::var("KUBERNETES_SERVICE_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(443);
        let ca = Path::new(SA_DIR).join("ca.crt");
        // The API server's certificate always names the in-cluster service.
        let client = HttpsClient::new(&ca, &host, port, "kubernetes.default.svc")?;
        Ok(Self::new(client, Some(Path::new(SA_DIR).join("token"))))
    }

    fn request(&self, path: &str) -> Result<Request<Full<Bytes>>, ApiError> {
        let mut b = Request::builder()
            .uri(path)
            .header("host", "kubernetes.default.svc")
            .header("accept", "application/json");
        if let Some(f) = &self.token_file {
            // Re-read every time: projected tokens rotate.
            let token = std::fs::read_to_string(f)
                .map_err(|e| ApiError::Read(f.display().to_string(), e.to_string()))?;
            b = b.header("authorization", format!("Bearer {}", token.trim()));
        }
        b.body(Full::new(Bytes::new()))
            .map_err(|e| ApiError::Client(ClientError::Request(e)))
    }

    /// GET returning the status and parsed JSON body.
    pub async fn get(&self, path: &str) -> Result<(StatusCode, Value), ApiError> {
        let mut conn = self.client.connect().await?;
        let resp = conn.send(self.request(path)?).await?;
        let status = resp.status();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| ApiError::Client(ClientError::Http(e)))?
            .to_bytes();
        let json = serde_json::from_slice(&body).map_err(|_| ApiError::Json(path.to_string()))?;
        Ok((status, json))
    }

    async fn get_ok(&self, path: &str) -> Result<Value, ApiError> {
        match self.get(path).await? {
            (s, v) if s.is_success() => Ok(v),
            (status, v) => Err(ApiError::Status {
                path: path.to_string(),
                status,
                body: v
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            }),
        }
    }

    /// Every item of a list, following `continue` tokens; returns items and resourceVersion.
    pub async fn list(&self, path: &str) -> Result<(Vec<Value>, String), ApiError> {
        let mut items = Vec::new();
        let mut cont = String::new();
        loop {
            let sep = if path.contains('?') { '&' } else { '?' };
            let page = if cont.is_empty() {
                format!("{path}{sep}limit=500")
            } else {
                format!("{path}{sep}limit=500&continue={cont}")
            };
            let mut v = self.get_ok(&page).await?;
            if let Some(Value::Array(a)) = v.get_mut("items").map(Value::take) {
                items.extend(a);
            }
            let meta = v.get("metadata");
            let rv = meta
                .and_then(|m| m.get("resourceVersion"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            cont = meta
                .and_then(|m| m.get("continue"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if cont.is_empty() {
                return Ok((items, rv));
            }
        }
    }

    /// Streams watch events of `path` from `rv`, calling `on_event` for each; returns when the
    /// server ends the watch.
    pub async fn watch(
        &self,
        path: &str,
        rv: &str,
        mut on_event: impl FnMut(Value),
    ) -> Result<(), ApiError> {
        let url = format!(
            "{path}?watch=1&allowWatchBookmarks=true&timeoutSeconds={WATCH_SECONDS}&resourceVersion={rv}"
        );
        let mut conn = self.client.connect().await?;
        let resp = conn.send(self.request(&url)?).await?;
        if !resp.status().is_success() {
            return Err(ApiError::Status {
                path: url,
                status: resp.status(),
                body: String::new(),
            });
        }
        let mut body = resp.into_body();
        let mut buf = BytesMut::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| ApiError::Client(ClientError::Http(e)))?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            buf.extend_from_slice(&data);
            while let Some(nl) = buf.iter().position(|b| *b == b'\n') {
                let line = buf.split_to(nl + 1);
                let line = &line[..nl];
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let v: Value =
                    serde_json::from_slice(line).map_err(|_| ApiError::Json(url.clone()))?;
                on_event(v);
            }
            if buf.len() > MAX_EVENT_BYTES {
                return Err(ApiError::EventTooLarge);
            }
        }
        if buf.has_remaining() {
            if let Ok(v) = serde_json::from_slice::<Value>(&buf) {
                on_event(v);
            }
        }
        Ok(())
    }
}

/// A namespace name is a DNS-1123 label; anything else cannot exist (and never reaches a URL).
fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn name_and_labels(ns: &Value) -> Option<(String, NamespaceLabels)> {
    let meta = ns.get("metadata")?;
    let name = meta.get("name")?.as_str()?.to_string();
    let labels = meta
        .get("labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Some((name, Arc::new(labels)))
}

/// Namespaces kept current by a watch.
#[derive(Debug)]
pub struct LiveState {
    api: ApiServer,
    cache: RwLock<HashMap<String, NamespaceLabels>>,
    synced: AtomicBool,
}

enum WatchEnd {
    /// The resourceVersion is too old: list again.
    Expired,
    /// Resume from the last seen resourceVersion.
    Resume(String),
}

impl LiveState {
    pub fn new(api: ApiServer) -> Arc<Self> {
        Arc::new(Self {
            api,
            cache: RwLock::new(HashMap::new()),
            synced: AtomicBool::new(false),
        })
    }

    /// Lists and watches forever, re-listing when the watch expires and backing off on errors.
    pub async fn run(self: Arc<Self>) {
        let mut backoff = Duration::from_millis(500);
        loop {
            match self.sync_once().await {
                Ok(()) => backoff = Duration::from_millis(500),
                Err(e) => {
                    tracing::warn!(error = %e, "namespace watch failed; retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                }
            }
        }
    }

    /// One list followed by watches until the resourceVersion expires.
    async fn sync_once(&self) -> Result<(), ApiError> {
        let (items, mut rv) = self.api.list("/api/v1/namespaces").await?;
        let fresh: HashMap<_, _> = items.iter().filter_map(name_and_labels).collect();
        tracing::info!(namespaces = fresh.len(), "namespace cache synced");
        if let Ok(mut c) = self.cache.write() {
            *c = fresh;
        }
        self.synced.store(true, Ordering::Release);
        loop {
            match self.watch_from(&rv).await? {
                WatchEnd::Expired => return Ok(()),
                WatchEnd::Resume(next) => rv = next,
            }
        }
    }

    async fn watch_from(&self, rv: &str) -> Result<WatchEnd, ApiError> {
        let mut last = rv.to_string();
        let mut expired = false;
        self.api
            .watch("/api/v1/namespaces", rv, |ev| {
                let kind = ev.get("type").and_then(Value::as_str).unwrap_or("");
                let obj = ev.get("object").unwrap_or(&Value::Null);
                if kind == "ERROR" {
                    // 410 Gone: too old; anything else: relist too, to be safe.
                    expired = true;
                    return;
                }
                if let Some(v) = obj
                    .get("metadata")
                    .and_then(|m| m.get("resourceVersion"))
                    .and_then(Value::as_str)
                {
                    last = v.to_string();
                }
                let Some((name, labels)) = name_and_labels(obj) else {
                    return;
                };
                if let Ok(mut c) = self.cache.write() {
                    match kind {
                        "ADDED" | "MODIFIED" => {
                            c.insert(name, labels);
                        }
                        "DELETED" => {
                            c.remove(&name);
                        }
                        _ => {}
                    }
                }
            })
            .await?;
        Ok(if expired {
            WatchEnd::Expired
        } else {
            WatchEnd::Resume(last)
        })
    }
}

impl ClusterState for LiveState {
    fn cached(&self, name: &str) -> Cached {
        if !self.synced.load(Ordering::Acquire) {
            return Cached::Miss;
        }
        match self.cache.read().ok().and_then(|c| c.get(name).cloned()) {
            Some(l) => Cached::Found(l),
            None => Cached::Miss,
        }
    }

    fn fetch(&self, name: &str) -> BoxFuture<'_, Result<Option<NamespaceLabels>, LookupError>> {
        let name = name.to_string();
        Box::pin(async move {
            if !valid_name(&name) {
                return Ok(None);
            }
            match self.api.get(&format!("/api/v1/namespaces/{name}")).await {
                Ok((StatusCode::NOT_FOUND, _)) => Ok(None),
                Ok((s, v)) if s.is_success() => Ok(name_and_labels(&v).map(|(_, l)| l)),
                Ok((s, _)) => Err(LookupError(format!("HTTP {s}"))),
                Err(e) => Err(LookupError(e.to_string())),
            }
        })
    }

    fn pods(&self, namespace: &str) -> BoxFuture<'_, Result<Vec<Arc<Value>>, LookupError>> {
        let ns = namespace.to_string();
        Box::pin(async move {
            if !valid_name(&ns) {
                return Ok(Vec::new());
            }
            let (items, _) = self
                .api
                .list(&format!("/api/v1/namespaces/{ns}/pods"))
                .await
                .map_err(|e| LookupError(e.to_string()))?;
            Ok(items.into_iter().map(Arc::new).collect())
        })
    }

    fn ready(&self) -> bool {
        self.synced.load(Ordering::Acquire)
    }
}

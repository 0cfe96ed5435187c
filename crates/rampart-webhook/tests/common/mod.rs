//! Starting a real server on 127.0.0.1 with a freshly generated certificate, and talking to it
//! over HTTPS with a client that trusts only that certificate's CA.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rampart_webhook::client::{Connection, HttpsClient};
use rampart_webhook::config::Limits;
use rampart_webhook::state::ClusterState;
use rampart_webhook::{AppState, Engine, Policy, Server, StaticState, TlsFiles};
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct TestServer {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub state: Arc<AppState>,
    pub cert: Arc<rampart_webhook::tls::ReloadingCert>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

pub fn write_certs(dir: &Path, prefix: &str) -> (PathBuf, PathBuf, PathBuf) {
    let b = rampart_webhook::certs::generate(&["localhost".into(), "127.0.0.1".into()], 1).unwrap();
    let ca = dir.join(format!("{prefix}ca.crt"));
    let cert = dir.join(format!("{prefix}tls.crt"));
    let key = dir.join(format!("{prefix}tls.key"));
    std::fs::write(&ca, b.ca_cert).unwrap();
    std::fs::write(&cert, b.cert).unwrap();
    std::fs::write(&key, b.key).unwrap();
    (ca, cert, key)
}

impl TestServer {
    pub async fn start(policy: Policy, state: Arc<dyn ClusterState>, limits: Limits) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (_, cert, key) = write_certs(dir.path(), "");
        let files = TlsFiles {
            cert,
            key,
            client_ca: None,
        };
        let app = AppState::new(Engine::new(policy, state), limits);
        let server = Server::bind("127.0.0.1:0".parse().unwrap(), &files, app)
            .await
            .unwrap();
        let addr = server.local_addr().unwrap();
        let state = server.state();
        let cert = server.certificate();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async move {
            let _ = rx.await;
        }));
        TestServer {
            addr,
            dir,
            state,
            cert,
            stop: Some(tx),
            task: Some(task),
        }
    }

    /// A server with the given namespaces and default limits.
    pub async fn with_namespaces(policy: Policy, objects: &[Value]) -> Self {
        let state = Arc::new(StaticState::from_objects(objects.iter()));
        Self::start(policy, state, Limits::default()).await
    }

    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    pub fn client(&self) -> HttpsClient {
        HttpsClient::new(&self.ca(), "127.0.0.1", self.addr.port(), "localhost").unwrap()
    }

    pub async fn connect(&self) -> Connection {
        self.client().connect().await.unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

/// A namespace object with labels.
pub fn namespace(name: &str, labels: &[(&str, &str)]) -> Value {
    let labels: serde_json::Map<String, Value> = labels
        .iter()
        .map(|(k, v)| ((*k).to_string(), Value::String((*v).to_string())))
        .collect();
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}})
}

/// The (group, resource) of a kind.
pub fn resource_of(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "Pod" => ("", "pods"),
        "Namespace" => ("", "namespaces"),
        "PodTemplate" => ("", "podtemplates"),
        "ReplicationController" => ("", "replicationcontrollers"),
        "Deployment" => ("apps", "deployments"),
        "ReplicaSet" => ("apps", "replicasets"),
        "StatefulSet" => ("apps", "statefulsets"),
        "DaemonSet" => ("apps", "daemonsets"),
        "Job" => ("batch", "jobs"),
        "CronJob" => ("batch", "cronjobs"),
        _ => ("example.com", "things"),
    }
}

/// A v1 AdmissionReview for creating `object` in `namespace`.
pub fn review(uid: &str, namespace: &str, object: &Value) -> Value {
    review_op(uid, namespace, "CREATE", object, &Value::Null, "alice")
}

pub fn review_op(
    uid: &str,
    namespace: &str,
    operation: &str,
    object: &Value,
    old: &Value,
    user: &str,
) -> Value {
    let kind = object["kind"].as_str().unwrap_or("");
    let (group, resource) = resource_of(kind);
    let version = "v1";
    let name = object["metadata"]["name"].as_str().unwrap_or("");
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": uid,
            "kind": {"group": group, "version": version, "kind": kind},
            "resource": {"group": group, "version": version, "resource": resource},
            "requestKind": {"group": group, "version": version, "kind": kind},
            "requestResource": {"group": group, "version": version, "resource": resource},
            "name": name,
            "namespace": namespace,
            "operation": operation,
            "userInfo": {"username": user, "groups": ["system:authenticated"]},
            "object": object,
            "oldObject": old,
            "dryRun": false,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}
        }
    })
}

/// POSTs a review and returns the parsed `response`, checking the envelope.
pub async fn admit(conn: &mut Connection, body: &Value) -> Value {
    let reply = conn
        .post_json("/validate", serde_json::to_vec(body).unwrap())
        .await
        .unwrap();
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let v = reply.json();
    assert_eq!(v["apiVersion"], "admission.k8s.io/v1");
    assert_eq!(v["kind"], "AdmissionReview");
    assert_eq!(
        v["response"]["uid"], body["request"]["uid"],
        "uid must be echoed"
    );
    assert!(v["response"].get("patch").is_none());
    v["response"].clone()
}

/// Where `../shared` is, if present.
pub fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    p.is_dir().then_some(p)
}

pub fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Every `.yaml` file under `dir`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The objects of a manifest file as JSON.
pub fn objects(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let (_, objs, _) = rampart_manifest::load_text(&path.display().to_string(), text);
    objs.into_iter().map(|o| o.json).collect()
}

//! The live namespace source against a fake API server on 127.0.0.1 (HTTPS, bearer token,
//! real list/watch JSON): list then watch keeps labels current, a cache miss does one live GET,
//! a missing namespace fails Pods closed, the enforce-level dry-run lists pods live.
#![allow(clippy::unwrap_used)]

mod common;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::*;
use http::{Request, Response, StatusCode};
use http_body_util::{channel::Channel, Either, Full};
use hyper::body::Incoming;
use rampart_webhook::client::HttpsClient;
use rampart_webhook::config::Limits;
use rampart_webhook::kube::{ApiServer, LiveState};
use rampart_webhook::state::{Cached, ClusterState};
use rampart_webhook::Policy;
use serde_json::{json, Value};

type Body = Either<Full<Bytes>, Channel<Bytes>>;

fn ns(name: &str, rv: &str, labels: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": name, "resourceVersion": rv, "uid": format!("uid-{name}"), "labels": labels}})
}

fn reply(code: StatusCode, v: &Value) -> Response<Body> {
    let mut r = Response::new(Either::Left(Full::new(Bytes::from(
        serde_json::to_vec(v).unwrap(),
    ))));
    *r.status_mut() = code;
    r
}

async fn api(req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if auth != Some("Bearer test-token") {
        return Ok(reply(
            StatusCode::UNAUTHORIZED,
            &json!({"kind": "Status", "code": 401}),
        ));
    }
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    Ok(match path.as_str() {
        "/api/v1/namespaces" if query.contains("watch=1") => {
            let (mut tx, body) = Channel::<Bytes>::new(8);
            let first = query.contains("resourceVersion=10");
            tokio::spawn(async move {
                if first {
                    let events = [
                        json!({"type": "MODIFIED", "object": ns("shop", "11",
                            json!({"pod-security.kubernetes.io/enforce": "restricted"}))}),
                        json!({"type": "ADDED", "object": ns("late", "12",
                            json!({"pod-security.kubernetes.io/enforce": "baseline"}))}),
                        json!({"type": "BOOKMARK", "object": {"kind": "Namespace", "metadata": {"resourceVersion": "13"}}}),
                    ];
                    for e in events {
                        let mut line = serde_json::to_vec(&e).unwrap();
                        line.push(b'\n');
                        // Split events across frames to exercise reassembly.
                        let (a, b) = line.split_at(line.len() / 2);
                        let _ = tx.send_data(Bytes::copy_from_slice(a)).await;
                        let _ = tx.send_data(Bytes::copy_from_slice(b)).await;
                    }
                }
                // Hold the watch open like a real server would.
                tokio::time::sleep(Duration::from_secs(30)).await;
                drop(tx);
            });
            Response::new(Either::Right(body))
        }
        "/api/v1/namespaces" => reply(
            StatusCode::OK,
            &json!({"kind": "NamespaceList", "apiVersion": "v1", "metadata": {"resourceVersion": "10"},
                "items": [ns("shop", "5", json!({"pod-security.kubernetes.io/enforce": "baseline"})),
                          ns("open", "6", json!({}))]}),
        ),
        "/api/v1/namespaces/fresh" => reply(
            StatusCode::OK,
            &ns(
                "fresh",
                "20",
                json!({"pod-security.kubernetes.io/enforce": "restricted"}),
            ),
        ),
        "/api/v1/namespaces/shop/pods" => reply(
            StatusCode::OK,
            &json!({"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "30"},
                "items": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "legacy", "namespace": "shop"},
                    "spec": {"hostNetwork": true, "containers": [{"name": "a", "image": "x"}]}}]}),
        ),
        _ => reply(
            StatusCode::NOT_FOUND,
            &json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404}),
        ),
    })
}

/// A fake API server over TLS; returns its port.
async fn fake_api(dir: &std::path::Path) -> u16 {
    let (_, cert, key) = write_certs(dir, "api-");
    let certs = rampart_webhook::tls::read_certs(&cert).unwrap();
    let key = rampart_webhook::tls::read_key(&key).unwrap();
    let cfg = rustls::ServerConfig::builder_with_provider(rampart_webhook::tls::provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(cfg));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(
                        hyper_util::rt::TokioIo::new(tls),
                        hyper::service::service_fn(api),
                    )
                    .await;
            });
        }
    });
    port
}

fn labels_of(state: &LiveState, name: &str) -> Option<Value> {
    match state.cached(name) {
        Cached::Found(l) => Some(Value::Object((*l).clone())),
        Cached::Miss => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_watch_feeds_the_webhook() {
    let dir = tempfile::tempdir().unwrap();
    let port = fake_api(dir.path()).await;
    let token = dir.path().join("token");
    std::fs::write(&token, "test-token\n").unwrap();
    let client = HttpsClient::new(
        &dir.path().join("api-ca.crt"),
        "127.0.0.1",
        port,
        "localhost",
    )
    .unwrap();
    let live = LiveState::new(ApiServer::new(client, Some(token)));
    assert!(!live.ready());
    tokio::spawn(live.clone().run());
    let start = Instant::now();
    while labels_of(&live, "late").is_none() && start.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(live.ready());
    assert_eq!(
        labels_of(&live, "shop").unwrap()["pod-security.kubernetes.io/enforce"],
        "restricted",
        "the watch event updates the listed namespace"
    );
    assert_eq!(
        labels_of(&live, "late").unwrap()["pod-security.kubernetes.io/enforce"],
        "baseline"
    );
    assert!(labels_of(&live, "fresh").is_none());

    let s = TestServer::start(Policy::default(), live.clone(), Limits::default()).await;
    let mut c = s.connect().await;
    let r = c.request("GET", "/readyz", &[], "").await.unwrap();
    assert_eq!(r.status, 200);
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "a", "image": "x"}]}});
    // restricted (from the watch): denied; baseline: allowed; a cache miss found live: restricted.
    assert_eq!(
        admit(&mut c, &review("1", "shop", &pod)).await["allowed"],
        false
    );
    assert_eq!(
        admit(&mut c, &review("2", "late", &pod)).await["allowed"],
        true
    );
    assert_eq!(
        admit(&mut c, &review("3", "fresh", &pod)).await["allowed"],
        false
    );
    // A namespace that exists nowhere: Pods fail closed, workloads open.
    let r = admit(&mut c, &review("4", "ghost", &pod)).await;
    assert_eq!(r["allowed"], false);
    assert_eq!(r["status"]["code"], 500);
    assert_eq!(
        r["status"]["message"],
        "Internal error occurred: failed to lookup namespace \"ghost\""
    );
    assert!(r["auditAnnotations"]["error"]
        .as_str()
        .unwrap()
        .contains("not found"));
    let deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}}});
    let r = admit(&mut c, &review("5", "ghost", &deploy)).await;
    assert_eq!(r["allowed"], true);
    assert!(r["auditAnnotations"]["error"]
        .as_str()
        .unwrap()
        .starts_with("failed to lookup namespace \"ghost\""));
    // Tightening shop to restricted from baseline lists its pods from the API server.
    let old = namespace(
        "shop",
        &[("pod-security.kubernetes.io/enforce", "baseline")],
    );
    let new = namespace(
        "shop",
        &[("pod-security.kubernetes.io/enforce", "restricted")],
    );
    let mut req = review_op("6", "shop", "UPDATE", &new, &old, "admin");
    req["request"]["resource"] = json!({"group": "", "version": "v1", "resource": "namespaces"});
    let r = admit(&mut c, &req).await;
    let w = r["warnings"].as_array().cloned().unwrap_or_default();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[1].as_str()
            .unwrap()
            .starts_with("legacy: host namespaces"),
        "{w:?}"
    );
    let m = c.request("GET", "/metrics", &[], "").await.unwrap();
    let text = String::from_utf8_lossy(&m.body).to_string();
    assert!(
        text.contains("rampart_webhook_errors_total{kind=\"lookup\"} 2"),
        "{text}"
    );
    s.stop().await;
    let _ = live.pods("shop").await.unwrap().len();
}

//! The HTTP surface under bad input: malformed JSON, wrong apiVersion/kind, no `request`,
//! oversize and slow bodies, wrong content types, unknown paths. Each gets a clear 4xx with a
//! JSON `Status`, and the server keeps serving. Also health, readiness and metrics.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use rampart_webhook::config::Limits;
use rampart_webhook::{Policy, StaticState};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn pod(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
        "spec": {"containers": [{"name": "app", "image": "nginx"}]}})
}

async fn server(limits: Limits) -> TestServer {
    let state = Arc::new(StaticState::from_objects(
        [namespace(
            "shop",
            &[("pod-security.kubernetes.io/enforce", "restricted")],
        )]
        .iter(),
    ));
    TestServer::start(Policy::default(), state, limits).await
}

/// Checks a JSON Status error body.
fn assert_status(reply: &rampart_webhook::client::Reply, code: u16, needle: &str) {
    assert_eq!(
        reply.status.as_u16(),
        code,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(
        reply
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let v = reply.json();
    assert_eq!(v["kind"], "Status");
    assert_eq!(v["code"], code);
    let msg = v["message"].as_str().unwrap_or("");
    assert!(msg.contains(needle), "{msg:?} lacks {needle:?}");
}

/// A request that must still be answered normally.
async fn still_serving(s: &TestServer) {
    let mut c = s.connect().await;
    let resp = admit(&mut c, &review("after", "shop", &pod("web"))).await;
    assert_eq!(resp["allowed"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_400_and_the_server_keeps_serving() {
    let s = server(Limits::default()).await;
    let mut c = s.connect().await;
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"{\"apiVersion\": ".to_vec(), "malformed JSON at line 1"),
        (b"not json".to_vec(), "malformed JSON"),
        (b"".to_vec(), "empty request body"),
        (b"[1,2]".to_vec(), "must be a JSON object"),
        (
            br#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"x"}}"#.to_vec(),
            "unsupported apiVersion \"admission.k8s.io/v1beta1\"",
        ),
        (
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"ConversionReview","request":{"uid":"x"}}"#.to_vec(),
            "unsupported kind",
        ),
        (
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#.to_vec(),
            "has no `request`",
        ),
        (
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"namespace":"shop"}}"#.to_vec(),
            "request.uid",
        ),
        (
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","userInfo":[]}}"#.to_vec(),
            "wrong type",
        ),
    ];
    for (body, needle) in cases {
        // The same keep-alive connection carries on after each error.
        let r = c.post_json("/validate", body).await.unwrap();
        assert_status(&r, 400, needle);
    }
    let r = c
        .request("POST", "/validate", &[("content-type", "text/plain")], "{}")
        .await
        .unwrap();
    assert_status(&r, 400, "application/json");
    let r = c.request("GET", "/validate", &[], "").await.unwrap();
    assert_status(&r, 405, "method not allowed");
    let r = c.request("GET", "/nope", &[], "").await.unwrap();
    assert_status(&r, 404, "no such path");
    still_serving(&s).await;
    let metrics = c.request("GET", "/metrics", &[], "").await.unwrap();
    let text = String::from_utf8_lossy(&metrics.body).to_string();
    assert!(
        text.contains("rampart_webhook_requests_total{code=\"400\"} 10"),
        "{text}"
    );
    assert!(
        text.contains("rampart_webhook_errors_total{kind=\"bad_request\"} 10"),
        "{text}"
    );
    assert!(
        text.contains("rampart_webhook_decisions_total{resource=\"pods\",result=\"denied\"} 1"),
        "{text}"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversize_bodies_get_413() {
    let s = server(Limits {
        max_body_bytes: 64 * 1024,
        ..Limits::default()
    })
    .await;
    // Declared too large: refused before reading.
    let mut c = s.connect().await;
    let big = vec![b' '; 100 * 1024];
    let r = c.post_json("/validate", big).await.unwrap();
    assert_status(&r, 413, "larger than 65536 bytes");
    // Chunked, so only counting reveals the size.
    let client = s.client();
    let mut c = client.connect().await.unwrap();
    let chunks: Vec<Result<http_body_util::Full<bytes::Bytes>, std::convert::Infallible>> =
        Vec::new();
    drop(chunks);
    let mut req = http::Request::builder()
        .method("POST")
        .uri("/validate")
        .header("host", "x")
        .header("content-type", "application/json")
        .header("transfer-encoding", "chunked")
        .body(http_body_util::Full::new(bytes::Bytes::from(vec![
            b'1';
            70 * 1024
        ])))
        .unwrap();
    req.headers_mut().remove("content-length");
    let resp = c.send(req).await.unwrap();
    assert_eq!(resp.status(), 413);
    // A 3 MiB review under the default limit is still fine.
    let s2 = server(Limits::default()).await;
    let mut c2 = s2.connect().await;
    let mut p = pod("big");
    p["metadata"]["annotations"] = json!({"filler": "x".repeat(3 * 1024 * 1024 - 4096)});
    let resp = admit(&mut c2, &review("big", "shop", &p)).await;
    assert_eq!(resp["allowed"], false);
    let mut p = pod("toobig");
    p["metadata"]["annotations"] = json!({"filler": "x".repeat(3 * 1024 * 1024 + 1)});
    let r = c2
        .post_json(
            "/validate",
            serde_json::to_vec(&review("tb", "shop", &p)).unwrap(),
        )
        .await
        .unwrap();
    assert_status(&r, 413, "larger than 3145728 bytes");
    still_serving(&s).await;
    still_serving(&s2).await;
    s.stop().await;
    s2.stop().await;
}

async fn raw_tls(s: &TestServer) -> tokio_rustls::client::TlsStream<tokio::net::TcpStream> {
    let cfg = rampart_webhook::tls::client_config(&s.ca(), &[b"http/1.1"]).unwrap();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(cfg));
    let tcp = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    connector.connect(name, tcp).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_time_out_with_408_and_do_not_block_others() {
    let s = server(Limits {
        read_timeout: Duration::from_millis(1000),
        ..Limits::default()
    })
    .await;
    // A body that never finishes arriving.
    let mut slow = raw_tls(&s).await;
    slow.write_all(
        b"POST /validate HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"apiVersion\"",
    )
    .await
    .unwrap();
    slow.flush().await.unwrap();
    // Meanwhile others are served at once.
    let t = Instant::now();
    still_serving(&s).await;
    assert!(
        t.elapsed() < Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut buf)).await;
    assert!(
        read.is_ok(),
        "the server must answer and close the slow connection"
    );
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        text.contains("\"kind\":\"Status\"") && text.contains("not received within"),
        "{text}"
    );
    // Headers that never finish: the connection is closed after the read timeout.
    let mut slow = raw_tls(&s).await;
    slow.write_all(b"POST /validate HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    slow.flush().await.unwrap();
    let mut buf = Vec::new();
    let t = Instant::now();
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut buf)).await;
    assert!(read.is_ok() && t.elapsed() >= Duration::from_millis(800));
    // A TLS handshake that never starts is dropped too.
    let idle = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1300)).await;
    drop(idle);
    still_serving(&s).await;
    let mut c = s.connect().await;
    let m = c.request("GET", "/metrics", &[], "").await.unwrap();
    let text = String::from_utf8_lossy(&m.body).to_string();
    assert!(
        text.contains("rampart_webhook_errors_total{kind=\"read_timeout\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("rampart_webhook_errors_total{kind=\"tls\"} 1"),
        "{text}"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_metrics_and_http2() {
    let s = server(Limits::default()).await;
    let mut c = s.connect().await;
    for path in ["/healthz", "/readyz"] {
        let r = c.request("GET", path, &[], "").await.unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(&r.body[..], b"ok\n");
    }
    for i in 0..5 {
        admit(&mut c, &review(&format!("u{i}"), "shop", &pod("web"))).await;
    }
    let r = c.request("GET", "/metrics", &[], "").await.unwrap();
    let text = String::from_utf8_lossy(&r.body).to_string();
    assert!(
        text.contains("rampart_webhook_requests_total{code=\"200\"} 7"),
        "{text}"
    );
    assert!(text.contains("rampart_webhook_decisions_total{resource=\"pods\",result=\"denied\"} 5"));
    assert!(text.contains("# TYPE rampart_webhook_request_duration_seconds histogram"));
    assert!(text.contains("rampart_webhook_request_duration_seconds_count 7"));
    // ALPN offers h2 and the server speaks it.
    let cfg = rampart_webhook::tls::client_config(&s.ca(), &[b"h2"]).unwrap();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(cfg));
    let tcp = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    let tls = connector
        .connect(
            rustls::pki_types::ServerName::try_from("localhost").unwrap(),
            tcp,
        )
        .await
        .unwrap();
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    let (mut send, conn) = hyper::client::conn::http2::handshake(
        hyper_util::rt::TokioExecutor::new(),
        hyper_util::rt::TokioIo::new(tls),
    )
    .await
    .unwrap();
    tokio::spawn(conn);
    let body = serde_json::to_vec(&review("h2", "shop", &pod("web"))).unwrap();
    let req = http::Request::builder()
        .method("POST")
        .uri("https://localhost/validate?timeout=5s")
        .header("content-type", "application/json")
        .body(http_body_util::Full::new(bytes::Bytes::from(body)))
        .unwrap();
    let resp = send.send_request(req).await.unwrap();
    assert_eq!(resp.status(), 200);
    use http_body_util::BodyExt;
    let v: Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(v["response"]["uid"], "h2");
    s.stop().await;
}

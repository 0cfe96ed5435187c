//! Hot reload while serving: a new certificate is used for new connections (open ones keep
//! theirs), a broken certificate or configuration never replaces a working one, and a changed
//! PodSecurityConfiguration takes effect without a restart.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use rampart_webhook::client::HttpsClient;
use rampart_webhook::config::Limits;
use rampart_webhook::reload::{self, PolicyFiles};
use rampart_webhook::{Policy, StaticState};
use serde_json::json;

fn limits() -> Limits {
    Limits {
        reload_interval: Duration::from_millis(100),
        ..Limits::default()
    }
}

async fn eventually<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for: {what}");
}

fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_hot_reload() {
    let s = TestServer::start(
        Policy::default(),
        Arc::new(StaticState::default()),
        limits(),
    )
    .await;
    let watcher = tokio::spawn(reload::watch(
        s.state.clone(),
        s.cert.clone(),
        PolicyFiles::default(),
    ));
    let mut old_conn = s.connect().await;
    assert_eq!(
        old_conn
            .request("GET", "/healthz", &[], "")
            .await
            .unwrap()
            .status,
        200
    );
    // A second CA and serving certificate; only a client trusting it can tell the swap.
    let (ca2, cert2, key2) = write_certs(s.dir.path(), "new-");
    let new_client = HttpsClient::new(&ca2, "127.0.0.1", s.addr.port(), "localhost").unwrap();
    assert!(
        new_client.connect().await.is_err(),
        "the new CA must not verify the old certificate"
    );
    // Replace the mounted files the way a Secret update does (key and certificate).
    std::fs::copy(&key2, s.dir.path().join("tls.key")).unwrap();
    std::fs::copy(&cert2, s.dir.path().join("tls.crt")).unwrap();
    eventually("new certificate served", || async {
        new_client.connect().await.is_ok()
    })
    .await;
    assert!(
        s.client().connect().await.is_err(),
        "new connections use the new certificate"
    );
    // The connection opened before the swap keeps working.
    assert_eq!(
        old_conn
            .request("GET", "/healthz", &[], "")
            .await
            .unwrap()
            .status,
        200
    );
    // A broken certificate is rejected and the current one stays.
    std::fs::write(
        s.dir.path().join("tls.crt"),
        "-----BEGIN CERTIFICATE-----\nnope\n",
    )
    .unwrap();
    let mut c = new_client.connect().await.unwrap();
    eventually("reload error counted", || {
        let state = s.state.clone();
        async move {
            metric(
                &state.metrics.render(),
                "rampart_webhook_certificate_reload_errors_total",
            ) >= 1
        }
    })
    .await;
    assert!(new_client.connect().await.is_ok());
    let text = String::from_utf8_lossy(&c.request("GET", "/metrics", &[], "").await.unwrap().body)
        .to_string();
    assert_eq!(
        metric(&text, "rampart_webhook_certificate_reloads_total"),
        1,
        "{text}"
    );
    watcher.abort();
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_hot_reload_keeps_the_old_one_on_error() {
    let state = Arc::new(StaticState::from_objects([namespace("shop", &[])].iter()));
    let s = TestServer::start(Policy::default(), state, limits()).await;
    let psa = s.dir.path().join("psa.yaml");
    let write = |enforce: &str| {
        std::fs::write(
            &psa,
            format!("apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: {enforce}\n"),
        )
        .unwrap();
    };
    write("privileged");
    let files = PolicyFiles {
        admission_config: Some(psa.clone()),
        config: None,
    };
    let watcher = tokio::spawn(reload::watch(s.state.clone(), s.cert.clone(), files));
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "a", "image": "x", "securityContext": {"privileged": true}}]}});
    let mut c = s.connect().await;
    assert_eq!(
        admit(&mut c, &review("1", "shop", &pod)).await["allowed"],
        true
    );
    tokio::time::sleep(Duration::from_millis(20)).await;
    write("baseline");
    let ca = s.ca();
    let port = s.addr.port();
    eventually("stricter default applied", || {
        let pod = pod.clone();
        let ca = ca.clone();
        async move {
            let mut c = HttpsClient::new(&ca, "127.0.0.1", port, "localhost")
                .unwrap()
                .connect()
                .await
                .unwrap();
            admit(&mut c, &review("2", "shop", &pod)).await["allowed"] == false
        }
    })
    .await;
    // An invalid file is refused; the baseline policy stays in force.
    write("strictest");
    eventually("reload error counted", || {
        let state = s.state.clone();
        async move {
            metric(
                &state.metrics.render(),
                "rampart_webhook_config_reload_errors_total",
            ) >= 1
        }
    })
    .await;
    assert_eq!(
        admit(&mut c, &review("3", "shop", &pod)).await["allowed"],
        false
    );
    watcher.abort();
    s.stop().await;
}

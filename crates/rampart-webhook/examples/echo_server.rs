//! The floor for the webhook benchmark: the same TLS (rustls, ring) and HTTP (hyper, HTTP/1.1
//! keep-alive) stack on the same runtime, reading each request body and answering a constant
//! JSON body — everything the webhook does except deciding.
//!
//! `cargo run --release -p rampart-webhook --example echo_server -- ADDR CERT KEY`

/// The allocator the `rampart` binary ships with (crates/rampart/src/main.rs), so the figures
/// are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;

const REPLY: &[u8] = br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"00000000-0000-0000-0000-000000000000","allowed":true}}"#;

async fn echo(
    req: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let _ = req.into_body().collect().await;
    let mut r = hyper::Response::new(Full::new(Bytes::from_static(REPLY)));
    r.headers_mut().insert(
        "content-type",
        http::HeaderValue::from_static("application/json"),
    );
    Ok(r)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, addr, cert, key] = args.as_slice() else {
        return Err("usage: echo_server ADDR CERT KEY".into());
    };
    let ck = rampart_webhook::tls::ReloadingCert::load(cert.as_ref(), key.as_ref())?;
    let cfg = rampart_webhook::tls::server_config(Arc::new(ck), None)?;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(cfg));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr.as_str()).await?;
        eprintln!("echo server on {addr}");
        let builder = Arc::new(auto::Builder::new(TokioExecutor::new()));
        loop {
            let (tcp, _) = listener.accept().await?;
            let _ = tcp.set_nodelay(true);
            let acceptor = acceptor.clone();
            let builder = builder.clone();
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(tcp).await {
                    let _ = builder
                        .serve_connection(TokioIo::new(tls), service_fn(echo))
                        .await;
                }
            });
        }
    })
}

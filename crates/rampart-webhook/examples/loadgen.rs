//! Loopback load generator for the webhook benchmark. Opens N keep-alive HTTPS connections and
//! sends Pod AdmissionReviews on each, either back to back (closed loop: measures the most the
//! server can do) or at a fixed total rate (open loop: latency is measured from each request's
//! scheduled send time, so a stalled server cannot hide its queueing). Prints one JSON line.
//!
//! `loadgen --target 127.0.0.1:8443 --ca ca.crt --connections 500 --duration 10 [--rate 5000]`

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rampart_webhook::client::HttpsClient;
use serde_json::json;

#[path = "common/bodies.rs"]
mod loadgen_bodies;
use loadgen_bodies::bodies;

struct Args {
    target: String,
    ca: String,
    name: String,
    connections: usize,
    duration: f64,
    warmup: f64,
    rate: Option<f64>,
    namespace: String,
    label: String,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        target: "127.0.0.1:8443".into(),
        ca: "ca.crt".into(),
        name: "localhost".into(),
        connections: 100,
        duration: 10.0,
        warmup: 2.0,
        rate: None,
        namespace: "bench".into(),
        label: String::new(),
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let v = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let num = |v: &str| {
            v.parse::<f64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--target" => a.target = v.clone(),
            "--ca" => a.ca = v.clone(),
            "--name" => a.name = v.clone(),
            "--connections" => a.connections = v.parse().map_err(|_| "bad --connections")?,
            "--duration" => a.duration = num(v)?,
            "--warmup" => a.warmup = num(v)?,
            "--rate" => a.rate = Some(num(v)?),
            "--namespace" => a.namespace = v.clone(),
            "--label" => a.label = v.clone(),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(a)
}

#[derive(Default)]
struct Counters {
    ok: AtomicU64,
    bad_status: AtomicU64,
    errors: AtomicU64,
    connect_errors: AtomicU64,
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let idx = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    f64::from(sorted[idx]) / 1000.0
}

#[allow(clippy::too_many_lines, clippy::cast_precision_loss)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = parse_args()?;
    let (host, port) = a.target.rsplit_once(':').ok_or("--target HOST:PORT")?;
    let client = HttpsClient::new(a.ca.as_ref(), host, port.parse()?, &a.name)?;
    let bodies = Arc::new(bodies(&a.namespace));
    let counters = Arc::new(Counters::default());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let start = Instant::now();
    let measure_from = start + Duration::from_secs_f64(a.warmup);
    let end = measure_from + Duration::from_secs_f64(a.duration);
    let per_conn_interval = a
        .rate
        .map(|r| Duration::from_secs_f64(a.connections as f64 / r.max(1.0)));
    let lat: Vec<u32> = rt.block_on(async {
        let mut tasks = Vec::with_capacity(a.connections);
        for c in 0..a.connections {
            let client = client.clone();
            let bodies = bodies.clone();
            let counters = counters.clone();
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let conn = tokio::time::timeout(Duration::from_secs(20), client.connect()).await;
                let Ok(Ok(mut conn)) = conn else {
                    counters.connect_errors.fetch_add(1, Relaxed);
                    return lat;
                };
                // Spread the open-loop schedule of connections over one interval.
                let mut next = per_conn_interval
                    .map(|iv| Instant::now() + iv.mul_f64(c as f64 / a.connections as f64));
                let mut i = c;
                loop {
                    let sched = match (&mut next, per_conn_interval) {
                        (Some(n), Some(iv)) => {
                            tokio::time::sleep_until((*n).into()).await;
                            let s = *n;
                            *n += iv;
                            s
                        }
                        _ => Instant::now(),
                    };
                    if sched >= end {
                        break;
                    }
                    let body = bodies[i % bodies.len()].clone();
                    i += 1;
                    match conn.post_json("/validate?timeout=10s", body).await {
                        Ok(r) if r.status == 200 => {
                            let now = Instant::now();
                            if sched >= measure_from {
                                counters.ok.fetch_add(1, Relaxed);
                                let us =
                                    u32::try_from((now - sched).as_micros()).unwrap_or(u32::MAX);
                                lat.push(us);
                            }
                        }
                        Ok(_) => {
                            counters.bad_status.fetch_add(1, Relaxed);
                        }
                        Err(_) => {
                            counters.errors.fetch_add(1, Relaxed);
                            match client.connect().await {
                                Ok(c2) => conn = c2,
                                Err(_) => break,
                            }
                        }
                    }
                }
                lat
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            if let Ok(l) = t.await {
                all.extend(l);
            }
        }
        all
    });
    let mut lat = lat;
    lat.sort_unstable();
    let n = lat.len();
    let measured = a.duration;
    let out = json!({
        "label": a.label,
        "mode": if a.rate.is_some() { "open" } else { "closed" },
        "connections": a.connections,
        "rate_target": a.rate,
        "requests": n,
        "throughput_rps": (n as f64 / measured).round(),
        "p50_ms": percentile(&lat, 0.50),
        "p90_ms": percentile(&lat, 0.90),
        "p99_ms": percentile(&lat, 0.99),
        "max_ms": lat.last().map_or(0.0, |m| f64::from(*m) / 1000.0),
        "non_200": counters.bad_status.load(Relaxed),
        "errors": counters.errors.load(Relaxed),
        "connect_errors": counters.connect_errors.load(Relaxed),
    });
    println!("{out}");
    Ok(())
}

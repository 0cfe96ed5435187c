//! Per-request cost breakdown of the webhook's uncached decision path (no network): JSON parse of the
//! AdmissionReview, the decision, and the response serialization, for the benchmark's Pods.
//!
//! `cargo run --release -p rampart-webhook --example decide_cost`

use std::sync::Arc;
use std::time::{Duration, Instant};

use rampart_webhook::{review, Engine, Policy, StaticState};
use serde_json::json;

#[path = "common/bodies.rs"]
mod loadgen_bodies;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bodies = loadgen_bodies::bodies("bench");
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "bench", "labels": {
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted"}}});
    let engine = Engine::new(
        Policy::default(),
        Arc::new(StaticState::from_objects([&ns])),
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let n = 20_000;
    let (mut t_parse, mut t_decide, mut t_ser) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    rt.block_on(async {
        for i in 0..n {
            let b = &bodies[i % bodies.len()];
            let t0 = Instant::now();
            let r = review::parse(b).map_err(|e| e.to_string())?;
            let t1 = Instant::now();
            let (_, out) = engine
                .review(&r, Instant::now() + Duration::from_secs(5))
                .await;
            let t2 = Instant::now();
            let bytes = review::response_json(&r.uid, &out);
            std::hint::black_box(bytes);
            drop(r);
            let t3 = Instant::now();
            t_parse += t1 - t0;
            t_decide += t2 - t1;
            t_ser += t3 - t2;
        }
        Ok::<(), String>(())
    })?;
    let per = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
    println!(
        "per request: parse {:.1} µs, decide {:.1} µs, serialize+drop {:.1} µs (body {} bytes)",
        per(t_parse),
        per(t_decide),
        per(t_ser),
        bodies[0].len()
    );
    Ok(())
}

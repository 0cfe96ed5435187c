//! Per-request CPU cost of the webhook's work on the benchmark's Pods, without the network:
//! parsing the AdmissionReview, deciding, and writing the response, with the decision cache
//! (the benchmark's steady state) and without it (every Pod decoded and evaluated). The figures
//! do not depend on what else runs on the machine, unlike the load benchmark's.
//!
//! `cargo run --release -p rampart-webhook --example decide_cost [cache|nocache]`

/// The allocator the `rampart` binary ships with (crates/rampart/src/main.rs), so the figures
/// are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::Arc;
use std::time::{Duration, Instant};

use rampart_webhook::{review, Engine, Policy, StaticState};
use serde_json::json;

const ROUNDS: usize = 15;

#[path = "common/bodies.rs"]
mod loadgen_bodies;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bodies = loadgen_bodies::bodies("bench");
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "bench", "labels": {
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted"}}});
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let n: u32 = 10_000;
    // `decide_cost cache` or `decide_cost nocache` runs one mode (for profiling).
    let only = std::env::args().nth(1);
    for cached in [true, false] {
        if only.as_deref().is_some_and(|m| (m == "cache") != cached) {
            continue;
        }
        let mut engine = Engine::new(
            Policy::default(),
            Arc::new(StaticState::from_objects([&ns])),
        );
        if !cached {
            engine = engine.without_cache();
        }
        // The fastest of several rounds: other processes on the machine only ever add time.
        let mut best = [Duration::from_secs(3600); 3];
        for _ in 0..ROUNDS {
            let mut t = [Duration::ZERO; 3];
            rt.block_on(async {
                for i in 0..n {
                    let b = &bodies[i as usize % bodies.len()];
                    let t0 = Instant::now();
                    let r = review::parse_bytes(b.clone()).map_err(|e| e.to_string())?;
                    let t1 = Instant::now();
                    let (_, answer) = engine
                        .decide(&r, Instant::now() + Duration::from_secs(5))
                        .await;
                    let t2 = Instant::now();
                    let bytes = answer.response_json(&r.uid, &r.name);
                    std::hint::black_box(bytes);
                    drop(answer);
                    drop(r);
                    let t3 = Instant::now();
                    t[0] += t1 - t0;
                    t[1] += t2 - t1;
                    t[2] += t3 - t2;
                }
                Ok::<(), String>(())
            })?;
            if t.iter().sum::<Duration>() < best.iter().sum::<Duration>() {
                best = t;
            }
        }
        let [t_parse, t_decide, t_ser] = best;
        let per = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(n);
        println!(
            "{:<8} per request: parse {:.2} µs, decide {:.2} µs, respond+drop {:.2} µs, total {:.2} µs (body {} bytes)",
            if cached { "cache" } else { "no cache" },
            per(t_parse),
            per(t_decide),
            per(t_ser),
            per(t_parse + t_decide + t_ser),
            bodies[0].len()
        );
    }
    Ok(())
}

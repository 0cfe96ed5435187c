//! Times each stage of the matrix on a cluster file: `cargo run --release -p rampart-netpol
//! --example netpol_bench -- cluster.yaml`. The CLI benchmark is `scripts/bench-netpol.sh`.

use std::path::PathBuf;
use std::time::Instant;

use rampart_manifest::{load_paths, LoadOptions};
use rampart_netpol::matrix::{compute, report::MatrixReport};
use rampart_netpol::{Cluster, EvalOptions};

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let t = Instant::now();
    let loaded = load_paths(&paths, &LoadOptions::default());
    let t_load = t.elapsed();
    let c = Cluster::from_objects(&loaded.objects);
    let t_model = t.elapsed();
    let m = compute(&c, EvalOptions::default());
    let t_matrix = t.elapsed();
    let r = MatrixReport::new(&c, &m, false, &[], &[]);
    let json = serde_json::to_string(&r.to_json(&c)).unwrap_or_default();
    let t_out = t.elapsed();
    let lints = rampart_netpol::lints::run(&loaded.objects);
    let t_lints = t.elapsed();
    println!(
        "pods {} classes {} ports {} policies {} | load {:?} model {:?} matrix {:?} report {:?} ({} bytes) lints {:?} ({} findings)",
        c.pods.len(),
        m.classes.len(),
        m.ports.len(),
        c.policies.len(),
        t_load,
        t_model - t_load,
        t_matrix - t_model,
        t_out - t_matrix,
        json.len(),
        t_lints - t_out,
        lints.len()
    );
    let mut counts = std::collections::BTreeMap::new();
    for f in &lints {
        *counts.entry(f.rule.clone()).or_insert(0) += 1;
    }
    println!("{counts:?}");
    if let Ok(rule) = std::env::var("SHOW") {
        for f in lints.iter().filter(|f| f.rule == rule).take(5) {
            println!("{}:{} {}", f.file, f.line, f.message);
        }
    }
}

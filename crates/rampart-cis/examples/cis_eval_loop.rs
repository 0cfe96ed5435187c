//! Times `evaluate` in-process: `cargo run --release -p rampart-cis --example cis_eval_loop -- RUNS NODE...`.
//! Prints the mean microseconds per node evaluation (reading, parsing and checking included).

use std::path::PathBuf;
use std::time::Instant;

use rampart_cis::{evaluate, HostFs, StatTable};

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: u32 = args.next().and_then(|r| r.parse().ok()).unwrap_or(100);
    let nodes: Vec<PathBuf> = args.map(PathBuf::from).collect();
    let mut checks = 0usize;
    let start = Instant::now();
    for _ in 0..runs {
        for node in &nodes {
            let stat = std::fs::read_to_string(node.join("stat.txt"))
                .ok()
                .map(|t| StatTable::parse(&t).0);
            checks += evaluate(&HostFs::new(node, stat)).checks.len();
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(runs) / nodes.len().max(1) as f64;
    println!(
        "rampart evaluate: {} nodes x {runs} runs, {checks} check results, {per:.1} us per node",
        nodes.len()
    );
}

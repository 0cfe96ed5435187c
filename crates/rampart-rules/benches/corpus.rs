//! Time of the workload rules over a manifest tree against the time to load it.
//!
//! `cargo bench -p rampart-rules --bench corpus [-- DIR]` (default `../shared/corpus`). Prints
//! the load (parse) time, the rule time and their ratio, best of five runs each.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rampart_manifest::{load_paths, LoadOptions};

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        last = Some(v);
    }
    match last {
        Some(v) => (best, v),
        None => unreachable!("runs > 0"),
    }
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or_else(
            || {
                PathBuf::from(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../../shared/corpus"
                ))
            },
            PathBuf::from,
        );
    if !dir.exists() {
        eprintln!("no corpus at {}; pass a directory", dir.display());
        return;
    }
    let opts = LoadOptions::default();
    let (load, loaded) = best(5, || load_paths(std::slice::from_ref(&dir), &opts));
    let (rules, findings) = best(5, || rampart_rules::check(&loaded.objects));
    println!(
        "objects {}  findings {}  load {:.1} ms  rules {:.1} ms  rules/load {:.3}",
        loaded.objects.len(),
        findings.len(),
        load.as_secs_f64() * 1e3,
        rules.as_secs_f64() * 1e3,
        rules.as_secs_f64() / load.as_secs_f64()
    );
}

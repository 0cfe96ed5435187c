//! Time of the workload rules over a manifest tree against the time to load it.
//!
//! `cargo bench -p rampart-rules --bench corpus [-- DIR]` (default `../shared/corpus`). Prints
//! the load (parse) time, the rule time and their ratio, best of five runs each, as wall-clock
//! time and as process CPU time (Linux; CPU time is the steadier figure on a busy machine).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rampart_manifest::{load_paths, LoadOptions};

/// CPU time of the whole process (all threads) from `/proc/self/stat`, in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    // Clock ticks are 100 per second on every Linux this runs on.
    (tick(11) + tick(12)) / 100.0
}

/// Best wall-clock and best CPU time of `runs` runs, and the last result.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, f64, T) {
    let mut wall = Duration::MAX;
    let mut cpu = f64::MAX;
    let mut last = None;
    for _ in 0..runs {
        let (t, c) = (Instant::now(), cpu_seconds());
        let v = f();
        wall = wall.min(t.elapsed());
        cpu = cpu.min(cpu_seconds() - c);
        last = Some(v);
    }
    match last {
        Some(v) => (wall, cpu, v),
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
    let (load, load_cpu, loaded) = best(5, || load_paths(std::slice::from_ref(&dir), &opts));
    let (rules, rules_cpu, findings) = best(5, || rampart_rules::check(&loaded.objects));
    println!(
        "objects {}  findings {}",
        loaded.objects.len(),
        findings.len()
    );
    println!(
        "wall: load {:.0} ms  rules {:.0} ms  rules/load {:.2}",
        load.as_secs_f64() * 1e3,
        rules.as_secs_f64() * 1e3,
        rules.as_secs_f64() / load.as_secs_f64()
    );
    println!(
        "cpu:  load {:.0} ms  rules {:.0} ms  rules/load {:.2}",
        load_cpu * 1e3,
        rules_cpu * 1e3,
        rules_cpu / load_cpu
    );
}

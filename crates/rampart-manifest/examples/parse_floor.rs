//! The parsing floor for benchmarks: read every `.yaml`/`.yml`/`.json` file under the given
//! directories and parse it with serde-saphyr into plain `serde_json::Value`s, nothing else (no
//! spans, no object model, no rules), in parallel like the scanner. `rampart scan` is measured
//! against this (`docs/benchmarks.md`).
//!
//! Usage: `cargo run --release -p rampart-manifest --example parse_floor -- DIR...`

use std::path::PathBuf;

use rayon::prelude::*;

fn main() {
    let dirs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let mut files = Vec::new();
    for d in &dirs {
        for e in ignore::WalkBuilder::new(d).hidden(false).build().flatten() {
            let p = e.path();
            if p.is_file()
                && p.extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| matches!(x, "yaml" | "yml" | "json"))
            {
                files.push(p.to_path_buf());
            }
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(rampart_manifest::PARSE_STACK_BYTES)
        .build()
        .unwrap_or_else(|e| panic!("thread pool: {e}"));
    let (docs, errors): (usize, usize) = pool.install(|| {
        files
            .par_iter()
            .map(|p| {
                let Ok(text) = std::fs::read_to_string(p) else {
                    return (0, 1);
                };
                match serde_saphyr::from_multiple::<serde_json::Value>(&text) {
                    Ok(v) => (v.len(), 0),
                    Err(_) => (0, 1),
                }
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    eprintln!(
        "floor: {} files, {docs} documents, {errors} files with errors",
        files.len()
    );
}

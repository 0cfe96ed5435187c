//! Prints the secrets findings of the given files as `file:line:col name message`.

use std::path::PathBuf;

use rampart_manifest::{load_paths, LoadOptions};
use rampart_secrets::{scan, ScanOptions};

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let loaded = load_paths(&paths, &LoadOptions::default());
    for e in &loaded.errors {
        println!("error {}:{}:{} {}", e.file, e.line, e.column, e.message);
    }
    let opts = ScanOptions {
        optional_rules: std::env::var("ALL").is_ok(),
        ..ScanOptions::default()
    };
    for f in scan(&loaded, &opts) {
        println!(
            "{}:{}:{} {} [{}] {}",
            f.file, f.line, f.column, f.name, f.severity, f.message
        );
    }
}

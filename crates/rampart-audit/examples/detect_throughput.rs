//! Detection throughput on one log, without the CLI around it:
//! `cargo run --release -p rampart-audit --example detect_throughput -- LOG`.

use std::time::Instant;

use rampart_audit::detect::{DetectConfig, Detector, Emitted};

fn main() -> std::io::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: detect_throughput LOG");
        std::process::exit(2);
    };
    let start = Instant::now();
    let mut det = Detector::new(DetectConfig::default());
    let mut findings = 0u64;
    det.run(std::fs::File::open(&path)?, &path, &mut |e| {
        if let Emitted::Finding(_) = e {
            findings += 1;
        }
    })?;
    let secs = start.elapsed().as_secs_f64();
    let lines = det.stats().lines;
    #[allow(clippy::cast_precision_loss)]
    let rate = lines as f64 / secs;
    println!("{lines} events, {findings} findings, {secs:.2} s, {rate:.0} events/s");
    Ok(())
}

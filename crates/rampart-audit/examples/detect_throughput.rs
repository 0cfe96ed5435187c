//! Detection throughput on one log, without the CLI around it:
//! `cargo run --release -p rampart-audit --example detect_throughput -- LOG [--validate]
//! [--dump FILE]` (`--dump` writes `line audit_id rule` per finding, to compare runs).

use std::time::Instant;

use rampart_audit::detect::{DetectConfig, Detector, Emitted};

fn main() -> std::io::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: detect_throughput LOG");
        std::process::exit(2);
    };
    let args: Vec<String> = std::env::args().collect();
    let validate = args.iter().any(|a| a == "--validate");
    let dump = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1));
    let mut lines_out = String::new();
    let start = Instant::now();
    let mut det = Detector::new(DetectConfig::default()).validating(validate);
    let mut findings = 0u64;
    det.run(std::fs::File::open(&path)?, &path, &mut |e| {
        if let Emitted::Finding(f) = e {
            findings += 1;
            if dump.is_some() {
                let id = f.audit_id.as_deref().unwrap_or("-");
                lines_out.push_str(&format!("{} {id} {} {}\n", f.line, f.rule, f.message));
            }
        }
    })?;
    if let Some(d) = dump {
        std::fs::write(d, &lines_out)?;
    }
    let secs = start.elapsed().as_secs_f64();
    let lines = det.stats().lines;
    #[allow(clippy::cast_precision_loss)]
    let rate = lines as f64 / secs;
    println!("{lines} events, {findings} findings, {secs:.2} s, {rate:.0} events/s");
    Ok(())
}

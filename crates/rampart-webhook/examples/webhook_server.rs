//! `rampart webhook serve` without the rest of the CLI (the same library call), so the load
//! benchmark can build only this crate in release mode.
//!
//! `webhook_server ADDR CERT KEY [NAMESPACES_FILE] [ADMISSION_CONFIG] [CONFIG]`, or
//! `webhook_server certs DIR` to write `ca.crt`, `tls.crt` and `tls.key` for 127.0.0.1.

/// The allocator the `rampart` binary ships with (crates/rampart/src/main.rs), so the figures
/// are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use rampart_webhook::run::{serve_blocking, ServeOptions};
use rampart_webhook::TlsFiles;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "certs" {
        let dir = std::path::Path::new(&args[2]);
        let b = rampart_webhook::certs::generate(&["localhost".into(), "127.0.0.1".into()], 7)?;
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("ca.crt"), b.ca_cert)?;
        std::fs::write(dir.join("tls.crt"), b.cert)?;
        std::fs::write(dir.join("tls.key"), b.key)?;
        return Ok(());
    }
    if args.len() < 4 {
        return Err(
            "usage: webhook_server ADDR CERT KEY [NAMESPACES] [ADMISSION_CONFIG] [CONFIG]".into(),
        );
    }
    // The same JSON log lines as `rampart webhook serve`, filtered by RUST_LOG.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    let opt = |i: usize| args.get(i).filter(|s| !s.is_empty()).map(Into::into);
    serve_blocking(&ServeOptions {
        listen: args[1].parse()?,
        tls: TlsFiles {
            cert: args[2].clone().into(),
            key: args[3].clone().into(),
            client_ca: None,
        },
        namespaces: opt(4),
        admission_config: opt(5),
        config: opt(6),
    })?;
    Ok(())
}

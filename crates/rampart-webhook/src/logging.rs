//! JSON log lines on stderr for the `rampart webhook serve` process (one object per line with
//! timestamp, level, message and fields), filtered by `RUST_LOG` (default `info`).
//!
//! This belongs in the binary; it lives here because the binary crate does not depend on
//! `tracing-subscriber` yet.

/// Installs the global JSON subscriber; a second call is a no-op.
pub fn init_json() {
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
}

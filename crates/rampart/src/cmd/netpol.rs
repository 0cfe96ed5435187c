//! `rampart netpol …`: a thin shell over the engine crate.

use rampart_manifest::Loaded;
use rampart_model::{Finding, RuleMeta};

#[derive(Debug, clap::Subcommand)]
pub enum Command {}

pub fn run(cmd: Command) -> anyhow::Result<u8> {
    match cmd {}
}

/// Rules this engine adds to the registry.
pub fn rules() -> Vec<&'static RuleMeta> {
    Vec::new()
}

/// Findings this engine adds to `rampart scan`.
pub fn scan_lints(_loaded: &Loaded) -> Vec<Finding> {
    Vec::new()
}

//! `rampart agent`: a thin shell over the runtime agent crate.

use rampart_model::RuleMeta;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("the runtime agent is not built yet")
}

/// Rules this engine adds to the registry.
pub fn rules() -> Vec<&'static RuleMeta> {
    Vec::new()
}

//! `rampart webhook …`: a thin shell over the engine crate.

#[derive(Debug, clap::Subcommand)]
pub enum Command {}

pub fn run(cmd: Command) -> anyhow::Result<u8> {
    match cmd {}
}

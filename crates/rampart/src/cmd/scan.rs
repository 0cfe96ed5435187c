//! `rampart scan`: every rule over every input.

use std::path::PathBuf;

use crate::common;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to scan; `-` reads stdin.
    pub paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let loaded = common::load_inputs(&args.paths);
    let mut findings = Vec::new();
    findings.extend(super::pss::scan_lints(&loaded));
    findings.extend(super::rbac::scan_lints(&loaded));
    findings.extend(super::netpol::scan_lints(&loaded));
    findings.extend(super::secrets::scan_lints(&loaded));
    findings.extend(super::audit::scan_lints(&loaded));
    findings.extend(super::cis::scan_lints(&loaded));
    common::print_json(
        &serde_json::json!({"version": 1, "findings": findings, "errors": loaded.errors}),
    )?;
    Ok(if findings.is_empty() {
        common::EXIT_OK
    } else {
        common::EXIT_FOUND
    })
}

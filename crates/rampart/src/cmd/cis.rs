//! `rampart cis …`: a thin shell over the `rampart-cis` engine.
//!
//! `cis check` reads a node (live with `--root /`, or a copied file system with `--stat-file`
//! standing in for lost modes and owners) and prints the benchmark report; `cis list` prints the
//! checks. `scan_lints` adds the control-plane flag checks and the version check to
//! `rampart scan`.

use std::path::PathBuf;

use anyhow::Context;
use rampart_cis::{HostFs, StatTable};
use rampart_manifest::Loaded;
use rampart_model::{Finding, RuleMeta};

use crate::common::{self, Format};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check a node's control plane, etcd and kubelet against the CIS Kubernetes Benchmark.
    Check(CheckArgs),
    /// List every check with its CIS number, scoring and title.
    List,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Cluster objects (manifests or a snapshot such as `kubectl get -A -o yaml` output) for the
    /// 5.x policy checks; without them those checks are reported `manual`.
    pub paths: Vec<PathBuf>,
    /// The node's root directory; node paths such as /etc/kubernetes resolve below it.
    #[arg(long, default_value = "/")]
    pub root: PathBuf,
    /// File modes and owners (`MODE OWNER:GROUP /path` lines, `stat -c '%a %U:%G %n'`)
    /// replacing the real metadata of a copied node.
    #[arg(long)]
    pub stat_file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Text output: also list skipped and manual checks.
    #[arg(long)]
    pub all: bool,
    /// Write the report to a file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(cmd: Command) -> anyhow::Result<u8> {
    match cmd {
        Command::Check(a) => check(&a),
        Command::List => {
            let mut text = String::new();
            for c in rampart_cis::all_checks() {
                let kind = match (c.automated, c.scored) {
                    (_, true) => "scored",
                    (true, false) | (false, false) => "advisory",
                };
                text.push_str(&format!(
                    "{:<7} {:<9} {:<32} {}\n",
                    c.id,
                    kind,
                    c.group.label(),
                    c.title
                ));
            }
            common::write_output(None, &text)?;
            Ok(common::EXIT_OK)
        }
    }
}

fn check(a: &CheckArgs) -> anyhow::Result<u8> {
    if !a.root.is_dir() {
        eprintln!("error: --root {}: not a directory", a.root.display());
        return Ok(common::EXIT_USAGE);
    }
    let stat = match &a.stat_file {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            let (table, errors) = StatTable::parse(&text);
            if !errors.is_empty() {
                for e in &errors {
                    eprintln!("error[E0701]: {}:{}: {}", p.display(), e.line, e.message);
                }
                return Ok(common::EXIT_USAGE);
            }
            Some(table)
        }
        None => None,
    };
    let fs = HostFs::new(&a.root, stat);
    let loaded = (!a.paths.is_empty()).then(|| common::load_inputs(&a.paths));
    let report = rampart_cis::evaluate_with(&fs, loaded.as_ref().map(|l| l.objects.as_slice()));
    for p in &report.problems {
        eprintln!("warning: {p}");
    }
    let text = match a.format {
        Format::Json => rampart_cis::report::to_json(&report),
        Format::Text => rampart_cis::report::to_text(&report, a.all),
        Format::Sarif => rampart_cis::report::to_sarif(&report),
        Format::Junit => rampart_cis::report::to_junit(&report),
        Format::Dot => {
            eprintln!("error: `cis check` supports --format text, json, sarif or junit");
            return Ok(common::EXIT_USAGE);
        }
    };
    common::write_output(a.output.as_ref(), &text)?;
    Ok(if report.has_failures() {
        common::EXIT_FOUND
    } else {
        common::EXIT_OK
    })
}

/// Rules this engine adds to the registry: one per control-plane flag check (RMP71xx API
/// server, RMP72xx controller manager, RMP73xx scheduler, RMP74xx etcd) and RMP7001 (version).
pub fn rules() -> Vec<&'static RuleMeta> {
    rampart_cis::scan::rules()
}

/// Findings this engine adds to `rampart scan`: flag checks over static pod manifests and the
/// version of control-plane images.
pub fn scan_lints(loaded: &Loaded) -> Vec<Finding> {
    rampart_cis::scan::scan(&loaded.objects)
}

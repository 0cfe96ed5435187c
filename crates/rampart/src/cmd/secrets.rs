//! `rampart secrets …`: a thin shell over the `rampart-secrets` engine.
//!
//! `scan` reports only secrets findings (all formats of `rampart scan`); `inventory` lists every
//! Secret and who consumes it. The fingerprint salt comes from `--fingerprint-salt` or
//! `RAMPART_FINGERPRINT_SALT`, else the documented default.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rampart_manifest::{Loaded, SourceFile};
use rampart_model::{Finding, InputError, RuleMeta};
use rampart_report::{OutputFormat, Report, SourceLines, Summary};
use rampart_secrets::{Salt, ScanOptions};

use crate::common::{self, EXIT_FOUND, EXIT_OK, EXIT_USAGE};

/// The environment variable holding the fingerprint salt.
const SALT_ENV: &str = "RAMPART_FINGERPRINT_SALT";

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Find credentials in manifests (values, comments, unparseable files) and audit Secret
    /// management; like `rampart scan` limited to secrets findings.
    Scan(ScanArgs),
    /// List every Secret and who consumes it: sprawl, unused Secrets, missing Secrets.
    Inventory(InventoryArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScanFormat {
    Text,
    Json,
    Sarif,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InventoryFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads stdin.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: ScanFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Salt of the finding fingerprints (default: $RAMPART_FINGERPRINT_SALT, else a fixed,
    /// documented salt). Set your own to keep baselines.
    #[arg(long, value_name = "SALT")]
    pub fingerprint_salt: Option<String>,
    /// Also run the optional rules (EncryptionConfiguration notes, secret-as-env,
    /// secret-untyped-key-material and the informational External Secrets, Sealed Secrets and
    /// CSI driver rules).
    #[arg(long)]
    pub all_rules: bool,
    /// Accepted findings: a file whose `hmac-sha256:…` fingerprints (a list, or a previous JSON
    /// report) are not reported again. Needs the same salt as the run that wrote it.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct InventoryArgs {
    /// Files or directories to read; `-` reads stdin.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: InventoryFormat,
}

pub fn run(cmd: Command) -> anyhow::Result<u8> {
    match cmd {
        Command::Scan(a) => run_scan(&a),
        Command::Inventory(a) => run_inventory(&a),
    }
}

fn salt(flag: Option<&str>) -> Salt {
    match flag
        .map(str::to_string)
        .or_else(|| std::env::var(SALT_ENV).ok())
    {
        Some(s) if !s.is_empty() => Salt::new(s.as_bytes()),
        _ => Salt::default(),
    }
}

/// Source lines for the text renderer (which never prints a line a secrets finding points at).
struct Sources(HashMap<String, Arc<SourceFile>>);

impl SourceLines for Sources {
    fn line(&self, file: &str, line: u32) -> Option<&str> {
        self.0.get(file)?.line(line)
    }
}

fn run_scan(args: &ScanArgs) -> anyhow::Result<u8> {
    let loaded = common::load_inputs(&args.paths);
    // Objects that parsed but that the API server would reject (Secret data not base64).
    let mut errors = loaded.errors.clone();
    for e in rampart_secrets::input_errors(&loaded) {
        eprintln!("{}", common::format_input_error(&e));
        errors.push(e);
    }
    let opts = ScanOptions {
        salt: salt(args.fingerprint_salt.as_deref()),
        optional_rules: args.all_rules,
    };
    let mut findings = rampart_secrets::scan(&loaded, &opts);
    if let Some(path) = &args.baseline {
        let accepted = baseline(path)?;
        findings.retain(|f| {
            f.fingerprint
                .as_ref()
                .is_none_or(|fp| !accepted.contains(fp))
        });
    }
    let mut summary = Summary::count(&findings);
    summary.files = loaded.sources.len();
    summary.objects = loaded.objects.len();
    summary.errors = errors.len();
    let rules = rules();
    let sources = Sources(
        loaded
            .sources
            .iter()
            .map(|s| (s.path.clone(), s.clone()))
            .collect(),
    );
    let report = Report {
        findings: &findings,
        errors: &errors,
        summary,
        rules: &rules,
        sources: &sources,
    };
    let format = match args.format {
        ScanFormat::Text => OutputFormat::Text,
        ScanFormat::Json => OutputFormat::Json,
        ScanFormat::Sarif => OutputFormat::Sarif,
        ScanFormat::Junit => OutputFormat::Junit,
    };
    common::write_output(
        args.output.as_ref(),
        &rampart_report::render(format, &report),
    )?;
    // An input that could not be scanned is exit 2 (interfaces.md), even when other inputs had
    // findings; errors after which the input was still scanned only get reported.
    Ok(if errors.iter().any(|e| !e.scanned()) {
        EXIT_USAGE
    } else if findings.is_empty() {
        EXIT_OK
    } else {
        EXIT_FOUND
    })
}

/// Every `hmac-sha256:` + 16 hex digits in the file.
fn baseline(path: &std::path::Path) -> anyhow::Result<std::collections::HashSet<String>> {
    use anyhow::Context;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read baseline {}", path.display()))?;
    const PREFIX: &str = "hmac-sha256:";
    let mut out = std::collections::HashSet::new();
    for (i, _) in text.match_indices(PREFIX) {
        let hex: String = text[i + PREFIX.len()..].chars().take(16).collect();
        if hex.len() == 16 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            out.insert(format!("{PREFIX}{hex}"));
        }
    }
    Ok(out)
}

fn run_inventory(args: &InventoryArgs) -> anyhow::Result<u8> {
    let loaded = common::load_inputs(&args.paths);
    let inventory = rampart_secrets::inventory::build(&loaded);
    match args.format {
        InventoryFormat::Json => common::print_json(&inventory)?,
        InventoryFormat::Text => common::write_output(None, &inventory.to_text())?,
    }
    Ok(if loaded.errors.iter().all(InputError::scanned) {
        EXIT_OK
    } else {
        EXIT_USAGE
    })
}

/// Rules this engine adds to the registry.
pub fn rules() -> Vec<&'static RuleMeta> {
    rampart_secrets::all_rules()
}

/// Findings this engine adds to `rampart scan` (placed, masked; optional rules off).
pub fn scan_lints(loaded: &Loaded) -> Vec<Finding> {
    let opts = ScanOptions {
        salt: salt(None),
        optional_rules: false,
    };
    rampart_secrets::scan(loaded, &opts)
}

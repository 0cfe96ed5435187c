//! `rampart scan`: every rule over every input, with suppressions, configuration and reports.

mod config;
mod lines;
mod progress;
mod suppress;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use rampart_manifest::{LoadOptions, Loaded};
use rampart_model::{Finding, Severity};
use rampart_report::{OutputFormat, Report, Summary, TextOptions};
use rayon::prelude::*;

use crate::common::{self, EXIT_FOUND, EXIT_OK, EXIT_USAGE};
use crate::registry;
pub use config::Config;
use lines::LineIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScanFormat {
    Text,
    Json,
    Sarif,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to scan; `-` reads stdin (e.g. `helm template … | rampart scan -`).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: ScanFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 only for findings at or above this severity (default: any finding; or the config's `fail-on`).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Configuration file (default: `.rampart.yaml` in the working directory, when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also report Pod Security Standards violations at this level (privileged|baseline|restricted).
    #[arg(long, value_name = "LEVEL")]
    pub pss: Option<String>,
    /// Pod Security Standards version for `--pss` (v1.N or latest).
    #[arg(long, value_name = "VERSION", default_value = "latest")]
    pub pss_version: String,
    /// Treat unreadable or invalid inputs as fatal (exit 2).
    #[arg(long)]
    pub strict: bool,
    /// Only load and parse the inputs, then print counts (measures the parsing floor).
    #[arg(long)]
    pub parse_only: bool,
    /// List suppressed findings in the report too.
    #[arg(long)]
    pub show_suppressed: bool,
    /// Colour in text output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

pub fn run(args: Args) -> Result<u8> {
    let config = Config::load(args.config.as_deref())?;
    let excludes = config.excludes()?;
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or(Severity::Info);

    let mut opts = LoadOptions::default();
    let show_progress = !args.no_progress && std::io::stderr().is_terminal();
    let bar = show_progress.then(|| progress::Progress::start(&mut opts));
    let stdin = [PathBuf::from("-")];
    let paths = if args.paths.is_empty() {
        &stdin[..]
    } else {
        &args.paths[..]
    };
    let mut loaded = rampart_manifest::load_paths(paths, &opts);
    drop(bar);
    if !excludes.is_empty() {
        loaded.objects.retain(|o| !excludes.is_match(o.file()));
        loaded.errors.retain(|e| !excludes.is_match(&e.file));
        loaded.sources.retain(|s| !excludes.is_match(&s.path));
    }
    for e in &loaded.errors {
        eprintln!("{}", common::format_input_error(e));
    }
    if args.parse_only {
        eprintln!(
            "parsed {} files, {} documents, {} objects, {} errors",
            loaded.sources.len(),
            loaded.documents,
            loaded.objects.len(),
            loaded.errors.len()
        );
        return Ok(if args.strict && !loaded.errors.is_empty() {
            EXIT_USAGE
        } else {
            EXIT_OK
        });
    }

    let findings = collect_findings(&loaded, &args)?;
    let lines = LineIndex::new(&loaded);
    let (findings, suppressed) = filter(findings, &loaded, &lines, &config);
    // Reports need findings and source lines only: free the object trees before rendering.
    let objects = loaded.objects.len();
    drop(lines);
    loaded.objects = Vec::new();
    let lines = LineIndex::new(&loaded);

    let mut summary = Summary::count(&findings);
    summary.files = loaded.sources.len();
    summary.objects = objects;
    summary.suppressed = suppressed.len();
    summary.errors = loaded.errors.len();
    let rules = registry::all();
    let report = Report {
        findings: &findings,
        errors: &loaded.errors,
        summary,
        rules: &rules,
        sources: &lines,
    };
    let text = match args.format {
        ScanFormat::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    args.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let include_errors = args.output.is_some();
            let mut t = rampart_report::to_text(
                &report,
                &TextOptions {
                    color,
                    include_errors,
                },
            );
            if args.show_suppressed {
                for s in &suppressed {
                    t.push_str(&format!(
                        "suppressed {} at {}:{} by {} {}\n",
                        s.rule, s.file, s.line, s.by, s.reason
                    ));
                }
            }
            t
        }
        ScanFormat::Json if !args.show_suppressed => {
            common::stream_output(args.output.as_ref(), |w| {
                rampart_report::write_json(&report, w)
            })?;
            return Ok(exit_code(&findings, &loaded, fail_on, args.strict));
        }
        ScanFormat::Json => {
            let mut v: serde_json::Value = serde_json::from_str(&rampart_report::to_json(&report))?;
            v["suppressed"] = serde_json::to_value(&suppressed)?;
            let mut s = serde_json::to_string_pretty(&v)?;
            s.push('\n');
            s
        }
        ScanFormat::Sarif => rampart_report::render(OutputFormat::Sarif, &report),
        ScanFormat::Junit => rampart_report::render(OutputFormat::Junit, &report),
    };
    common::write_output(args.output.as_ref(), &text)?;
    Ok(exit_code(&findings, &loaded, fail_on, args.strict))
}

fn exit_code(findings: &[Finding], loaded: &Loaded, fail_on: Severity, strict: bool) -> u8 {
    if strict && !loaded.errors.is_empty() {
        EXIT_USAGE
    } else if findings.iter().any(|f| f.severity >= fail_on) {
        EXIT_FOUND
    } else {
        EXIT_OK
    }
}

/// Runs every engine side by side (the workload rules also fan out per object); the output
/// order is made deterministic afterwards.
fn collect_findings(loaded: &Loaded, args: &Args) -> Result<Vec<Finding>> {
    type Engine = fn(&Loaded) -> Vec<Finding>;
    let engines: [Engine; 7] = [
        workload_findings,
        super::pss::scan_lints,
        super::rbac::scan_lints,
        super::netpol::scan_lints,
        super::secrets::scan_lints,
        super::audit::scan_lints,
        super::cis::scan_lints,
    ];
    let timing = std::env::var_os("RAMPART_TIMING").is_some();
    let mut findings: Vec<Finding> = engines
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, e)| {
            let start = std::time::Instant::now();
            let out = e(loaded);
            if timing {
                eprintln!(
                    "timing: engine {i}: {:?}, {} findings",
                    start.elapsed(),
                    out.len()
                );
            }
            out
        })
        .collect();
    if let Some(level) = &args.pss {
        findings.extend(super::pss::scan_findings(loaded, level, &args.pss_version)?);
    }
    let order: HashMap<&str, usize> = loaded
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.path.as_str(), i))
        .collect();
    findings.sort_by(|a, b| {
        let fa = order.get(a.file.as_str()).copied().unwrap_or(usize::MAX);
        let fb = order.get(b.file.as_str()).copied().unwrap_or(usize::MAX);
        (fa, &a.file, a.line, a.column, &a.rule, &a.message)
            .cmp(&(fb, &b.file, b.line, b.column, &b.rule, &b.message))
    });
    findings.dedup();
    Ok(findings)
}

fn workload_findings(loaded: &Loaded) -> Vec<Finding> {
    rampart_rules::check(&loaded.objects)
}

/// Applies configuration and suppressions; returns (kept, suppressed).
fn filter(
    findings: Vec<Finding>,
    loaded: &Loaded,
    lines: &LineIndex<'_>,
    config: &Config,
) -> (Vec<Finding>, Vec<suppress::Suppressed>) {
    // Findings name their object; its annotation is looked up by file and identity.
    let by_object: HashMap<(&str, &rampart_model::ObjectRef), &str> = loaded
        .objects
        .iter()
        .filter_map(|o| Some(((o.file(), &o.id), o.annotation(suppress::ANNOTATION)?)))
        .collect();
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    for mut f in findings {
        if !config.allows(&f) {
            continue;
        }
        config.adjust(&mut f);
        let annotation = f
            .object
            .as_ref()
            .and_then(|o| by_object.get(&(f.file.as_str(), o)).copied());
        match suppress::suppression(&f, lines, annotation) {
            Some(s) => suppressed.push(s),
            None => kept.push(f),
        }
    }
    (kept, suppressed)
}

//! `rampart scan`: every rule over every input, with suppressions, configuration and reports.

mod config;
mod finding_json;
mod json_stream;
mod lines;
mod pipeline;
mod progress;
mod retain;
mod suppress;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use rampart_manifest::{LoadOptions, Loaded};
use rampart_model::{Finding, Severity};
use rampart_report::{OutputFormat, Report, Summary, TextOptions};

use crate::common::{self, EXIT_FOUND, EXIT_OK, EXIT_USAGE};
use crate::registry;
pub use config::Config;
use json_stream::JsonStream;
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
    /// Stop at the first unreadable or invalid input instead of scanning the rest (exit 2 either way).
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
    let pss = args
        .pss
        .as_deref()
        .map(|level| (level, args.pss_version.as_str()));
    if let Some((level, version)) = pss {
        // Validates level and version once, before any file is read (usage error, exit 2).
        super::pss::scan_findings(&Loaded::default(), level, version)?;
    }

    let mut opts = LoadOptions::default();
    let show_progress = !args.no_progress && std::io::stderr().is_terminal();
    let bar = show_progress.then(|| progress::Progress::start(&mut opts));
    let stdin = [PathBuf::from("-")];
    let paths = if args.paths.is_empty() {
        &stdin[..]
    } else {
        &args.paths[..]
    };

    if args.parse_only {
        let loaded = rampart_manifest::load_paths(paths, &opts);
        drop(bar);
        for e in &loaded.errors {
            eprintln!("{}", common::format_input_error(e));
        }
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

    let (mut inputs, mut discover_errors) = rampart_manifest::discover(paths, &opts);
    if !excludes.is_empty() {
        inputs.retain(|i| match &i.source {
            rampart_manifest::InputSource::File(p) => !excludes.is_match(p),
            rampart_manifest::InputSource::Stdin => true,
        });
        discover_errors.retain(|e| !excludes.is_match(&e.file));
    }
    let settings = pipeline::Settings {
        config: &config,
        pss,
        max_file_bytes: opts.max_file_bytes,
        progress: opts.progress.clone(),
        strict: args.strict,
    };

    let mut tally = Tally::default();
    let (outcome, collected) = if args.format == ScanFormat::Json {
        let mut outcome = None;
        common::stream_output(args.output.as_ref(), |w| {
            let mut stream = JsonStream::begin(w)?;
            let result = pipeline::run(&inputs, &settings, &mut |batch| {
                tally.add(&batch);
                batch
                    .iter()
                    .try_for_each(|f| stream.finding(f))
                    .map_err(Into::into)
            });
            let mut o = result.map_err(std::io::Error::other)?;
            o.errors.splice(0..0, discover_errors.drain(..));
            report_errors(&o.errors);
            let summary = summary_of(&tally.counts, &o);
            stream.finish(
                &o.errors,
                &summary,
                args.show_suppressed.then_some(&o.suppressed[..]),
            )?;
            outcome = Some(o);
            Ok(())
        })?;
        drop(bar);
        let outcome = outcome.ok_or_else(|| anyhow::anyhow!("the scan did not complete"))?;
        (outcome, Vec::new())
    } else {
        let mut collected = Vec::new();
        let mut o = pipeline::run(&inputs, &settings, &mut |batch| {
            tally.add(&batch);
            collected.extend(batch);
            Ok(())
        })?;
        drop(bar);
        o.errors.splice(0..0, discover_errors.drain(..));
        report_errors(&o.errors);
        (o, collected)
    };

    if args.format != ScanFormat::Json {
        render(
            &args,
            &collected,
            &outcome,
            &summary_of(&tally.counts, &outcome),
        )?;
    }
    // An input that could not be scanned (in full) is exit 2 even though every other input was
    // scanned (interfaces.md); errors after which the input was still scanned (duplicate keys,
    // Secret data that is not base64) are reported without changing the exit code.
    let stopped = args.strict && !outcome.errors.is_empty();
    Ok(if stopped || outcome.errors.iter().any(|e| !e.scanned()) {
        EXIT_USAGE
    } else if tally.worst.is_some_and(|w| w >= fail_on) {
        EXIT_FOUND
    } else {
        EXIT_OK
    })
}

/// Counts findings as they are emitted.
#[derive(Default)]
struct Tally {
    counts: Summary,
    worst: Option<Severity>,
}

impl Tally {
    fn add(&mut self, batch: &[Finding]) {
        for f in batch {
            *self.counts.by_severity.entry(f.severity).or_insert(0) += 1;
        }
        self.counts.findings += batch.len();
        self.worst = self.worst.max(pipeline::worst(batch));
    }
}

fn report_errors(errors: &[rampart_model::InputError]) {
    for e in errors {
        eprintln!("{}", common::format_input_error(e));
    }
}

fn summary_of(counts: &Summary, o: &pipeline::Outcome) -> Summary {
    Summary {
        files: o.files,
        objects: o.objects,
        suppressed: o.suppressed.len(),
        errors: o.errors.len(),
        ..counts.clone()
    }
}

/// Text, SARIF and JUnit reports: built from the collected findings, sorted by file.
fn render(
    args: &Args,
    findings: &[Finding],
    outcome: &pipeline::Outcome,
    summary: &Summary,
) -> Result<()> {
    let order: HashMap<&str, usize> = outcome
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.path.as_str(), i))
        .collect();
    let mut findings = findings.to_vec();
    findings.sort_by_cached_key(|f| {
        (
            order.get(f.file.as_str()).copied().unwrap_or(usize::MAX),
            f.line,
            f.column,
            f.rule.clone(),
        )
    });
    let sources = LineIndex::of(&outcome.sources);
    let rules = registry::all();
    let report = Report {
        findings: &findings,
        errors: &outcome.errors,
        summary: summary.clone(),
        rules: &rules,
        sources: &sources,
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
                for s in &outcome.suppressed {
                    t.push_str(&format!(
                        "suppressed {} at {}:{} by {} {}\n",
                        s.rule, s.file, s.line, s.by, s.reason
                    ));
                }
            }
            t
        }
        ScanFormat::Sarif => rampart_report::render(OutputFormat::Sarif, &report),
        ScanFormat::Junit | ScanFormat::Json => {
            rampart_report::render(OutputFormat::Junit, &report)
        }
    };
    common::write_output(args.output.as_ref(), &text)
}

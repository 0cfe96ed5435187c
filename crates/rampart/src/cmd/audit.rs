//! `rampart audit …`: a thin shell over the `rampart-audit` engine.
//!
//! - `eval`: what an audit Policy decides for one request (JSON per `interfaces.md`).
//! - `detect`: detections over audit logs, streamed; `--follow` tails a growing file.
//! - `lint`: the audit policy lints alone (they also run in `rampart scan`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use rampart_audit::detect::{self, DetectConfig, Detector, Emitted, FollowOptions};
use rampart_audit::policy::{self, Policy, Request, Target};
use rampart_manifest::Loaded;
use rampart_model::{Finding, InputError, RuleMeta, Severity};

use crate::common::{self, EXIT_FOUND, EXIT_OK, EXIT_USAGE};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Evaluate an audit.k8s.io/v1 Policy for one request, exactly as kube-apiserver does.
    Eval(EvalArgs),
    /// Detect attacks in kube-apiserver audit logs (JSON lines or EventList; stdin when no LOG).
    Detect(DetectArgs),
    /// Lint audit policies and kube-apiserver audit flags.
    Lint(LintArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EvalFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["resource", "path"])))]
pub struct EvalArgs {
    /// The Policy file (YAML or JSON).
    #[arg(long)]
    pub policy: PathBuf,
    /// User name of the request.
    #[arg(long)]
    pub user: String,
    /// A group of the request (repeatable; none are implied).
    #[arg(long = "group")]
    pub groups: Vec<String>,
    /// Verb: get, list, watch, create, … (lower-cased HTTP method for non-resource URLs).
    #[arg(long)]
    pub verb: String,
    /// Resource (plural), for a resource request.
    #[arg(long)]
    pub resource: Option<String>,
    #[arg(long, requires = "resource")]
    pub subresource: Option<String>,
    /// API group; none means the core group.
    #[arg(long, requires = "resource")]
    pub api_group: Option<String>,
    /// Namespace; none means a request without one (cluster-scoped or all namespaces).
    #[arg(long, short = 'n', requires = "resource")]
    pub namespace: Option<String>,
    /// Object name; none means a request without a name (list, create, …).
    #[arg(long, requires = "resource")]
    pub name: Option<String>,
    /// Path, for a non-resource request such as /healthz.
    #[arg(long)]
    pub path: Option<String>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: EvalFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DetectFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, clap::Args)]
pub struct DetectArgs {
    /// Audit logs; `-` or none reads stdin.
    pub logs: Vec<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: DetectFormat,
    /// Suppressions (YAML; see docs/audit.md).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Keep reading the (single) LOG as it grows; JSON output becomes one finding per line.
    #[arg(long)]
    pub follow: bool,
    /// With --follow: milliseconds between looks at the end of the file.
    #[arg(long, default_value_t = 250, requires = "follow")]
    pub poll_ms: u64,
    /// Stop at the first unreadable file or line that is not an audit Event (exit code 2).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Files or directories holding Policies or kube-apiserver manifests; `-` reads stdin.
    pub paths: Vec<PathBuf>,
}

pub fn run(cmd: Command) -> anyhow::Result<u8> {
    match cmd {
        Command::Eval(a) => run_eval(&a),
        Command::Detect(a) => run_detect(&a),
        Command::Lint(a) => run_lint(&a),
    }
}

/// Rules this engine adds to the registry.
pub fn rules() -> Vec<&'static RuleMeta> {
    let mut all = rampart_audit::lint::metas();
    all.extend(detect::rules::metas());
    all
}

/// Findings this engine adds to `rampart scan`.
pub fn scan_lints(loaded: &Loaded) -> Vec<Finding> {
    rampart_audit::lint::lint_objects(&loaded.objects)
}

fn run_lint(a: &LintArgs) -> anyhow::Result<u8> {
    let loaded = common::load_inputs(&a.paths);
    let findings = scan_lints(&loaded);
    common::print_json(
        &serde_json::json!({"version": 1, "findings": findings, "errors": loaded.errors}),
    )?;
    Ok(if findings.is_empty() {
        EXIT_OK
    } else {
        EXIT_FOUND
    })
}

/// Loads the one Policy of `path`; errors are printed as `error[E…]: file:line:col: …`.
fn load_policy(path: &Path) -> Result<Policy, String> {
    let loaded = rampart_manifest::load_paths(
        &[path.to_path_buf()],
        &rampart_manifest::LoadOptions::default(),
    );
    if let Some(e) = loaded.errors.first() {
        return Err(common::format_input_error(e));
    }
    let Some(obj) = loaded.objects.iter().find(|o| policy::is_policy(&o.json)) else {
        return Err(format!(
            "error[E6002]: {}: no audit.k8s.io Policy found (expected `apiVersion: audit.k8s.io/v1`, `kind: Policy`)",
            path.display()
        ));
    };
    policy::parse_policy(&obj.json).map_err(|e| {
        let pos = obj.locate(&e.path);
        format!(
            "error[E6003]: {}:{}:{}: {}",
            obj.file(),
            pos.line,
            pos.column,
            e.message
        )
    })
}

fn run_eval(a: &EvalArgs) -> anyhow::Result<u8> {
    let policy = match load_policy(&a.policy) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("{msg}");
            return Ok(EXIT_USAGE);
        }
    };
    let target = match (&a.resource, &a.path) {
        (Some(resource), None) => Target::Resource {
            api_group: a.api_group.clone().unwrap_or_default(),
            resource: resource.clone(),
            subresource: a.subresource.clone().unwrap_or_default(),
            namespace: a.namespace.clone().unwrap_or_default(),
            name: a.name.clone().unwrap_or_default(),
        },
        (None, Some(path)) => Target::NonResource { path: path.clone() },
        _ => anyhow::bail!("give exactly one of --resource and --path"),
    };
    let req = Request {
        user: a.user.clone(),
        groups: a.groups.clone(),
        verb: a.verb.clone(),
        target,
    };
    let d = policy.evaluate(&req);
    match a.format {
        EvalFormat::Json => common::print_json(&serde_json::json!({
            "level": d.level.as_str(),
            "omitStages": d.omit_stages.names(),
            "rule": d.rule,
            "omitManagedFields": d.omit_managed_fields,
        }))?,
        EvalFormat::Text => {
            let rule = d
                .rule
                .map_or_else(|| "no rule matched".to_string(), |i| format!("rule {i}"));
            let omit = if d.omit_stages.is_empty() {
                "-".to_string()
            } else {
                d.omit_stages.names().join(", ")
            };
            common::write_output(
                None,
                &format!(
                    "level: {} ({rule})\nomitted stages: {omit}\nomitManagedFields: {}\n",
                    d.level, d.omit_managed_fields
                ),
            )?;
        }
    }
    Ok(EXIT_OK)
}

fn load_config(path: Option<&PathBuf>) -> anyhow::Result<DetectConfig> {
    let Some(path) = path else {
        return Ok(DetectConfig::default());
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let ids: Vec<&str> = detect::rules::metas().iter().map(|m| m.id).collect();
    DetectConfig::parse(&text, &ids).with_context(|| format!("in {}", path.display()))
}

fn run_detect(a: &DetectArgs) -> anyhow::Result<u8> {
    let cfg = match load_config(a.config.as_ref()) {
        Ok(c) => c,
        Err(e) => {
            common::print_error(&e);
            return Ok(EXIT_USAGE);
        }
    };
    if a.follow && (a.logs.len() != 1 || a.logs[0] == Path::new("-")) {
        eprintln!("error: --follow takes exactly one LOG file");
        return Ok(EXIT_USAGE);
    }
    if a.follow && a.format == DetectFormat::Sarif {
        eprintln!("error: --follow writes text or JSON lines, not SARIF");
        return Ok(EXIT_USAGE);
    }
    let mut det = Detector::new(cfg).validating(a.strict);
    let mut out = Output::new(a.format, a.follow);
    if a.follow {
        let opts = FollowOptions {
            poll: Duration::from_millis(a.poll_ms.max(1)),
        };
        let mut stop = || false;
        detect::follow(&mut det, &a.logs[0], &opts, &mut stop, &mut |e| out.emit(e))
            .with_context(|| format!("cannot follow {}", a.logs[0].display()))?;
        return Ok(EXIT_OK);
    }
    let stdin = [PathBuf::from("-")];
    let logs = if a.logs.is_empty() {
        &stdin[..]
    } else {
        &a.logs[..]
    };
    let mut unreadable = false;
    for log in logs {
        let shown = log.display().to_string();
        let result = if log == Path::new("-") {
            det.run(io::stdin(), "-", &mut |e| out.emit(e))
        } else {
            match std::fs::File::open(log) {
                Ok(f) => det.run(f, &shown, &mut |e| out.emit(e)),
                Err(e) => Err(e),
            }
        };
        if let Err(e) = result {
            unreadable = true;
            out.emit(Emitted::Error(InputError {
                code: "E0001",
                file: shown,
                line: 0,
                column: 0,
                message: format!("cannot read: {e}"),
            }));
        }
        if a.strict && out.errors() > 0 {
            break;
        }
    }
    let stats = det.stats();
    out.finish(logs.len(), stats.lines, &rules())?;
    if unreadable || (a.strict && out.errors() > 0) {
        return Ok(EXIT_USAGE);
    }
    Ok(if out.findings() > 0 {
        EXIT_FOUND
    } else {
        EXIT_OK
    })
}

/// Findings and errors as they come: streamed JSON (constant memory), JSON lines under
/// `--follow`, text lines, or SARIF rendered at the end.
struct Output {
    format: DetectFormat,
    follow: bool,
    out: io::BufWriter<io::StdoutLock<'static>>,
    findings: usize,
    started: bool,
    by_severity: std::collections::BTreeMap<Severity, usize>,
    /// The first errors, for the JSON and SARIF reports; all are printed on stderr.
    errors: Vec<InputError>,
    error_count: usize,
    sarif: Vec<Finding>,
}

/// Errors kept for the report; the count goes on.
const KEPT_ERRORS: usize = 1000;

impl Output {
    fn new(format: DetectFormat, follow: bool) -> Self {
        Self {
            format,
            follow,
            out: io::BufWriter::new(io::stdout().lock()),
            findings: 0,
            started: false,
            by_severity: std::collections::BTreeMap::new(),
            errors: Vec::new(),
            error_count: 0,
            sarif: Vec::new(),
        }
    }

    fn findings(&self) -> usize {
        self.findings
    }

    fn errors(&self) -> usize {
        self.error_count
    }

    fn emit(&mut self, e: Emitted) {
        match e {
            Emitted::Finding(f) => self.finding(*f),
            Emitted::Error(err) => {
                eprintln!("{}", common::format_input_error(&err));
                self.error_count += 1;
                if self.errors.len() < KEPT_ERRORS {
                    self.errors.push(err);
                }
            }
        }
    }

    fn finding(&mut self, f: Finding) {
        self.findings += 1;
        *self.by_severity.entry(f.severity).or_insert(0) += 1;
        match self.format {
            DetectFormat::Sarif => self.sarif.push(f),
            DetectFormat::Json if self.follow => {
                let _ = serde_json::to_writer(&mut self.out, &f);
                let _ = self.out.write_all(b"\n").and_then(|()| self.out.flush());
            }
            DetectFormat::Json => {
                let sep = if self.started {
                    ",\n    "
                } else {
                    "{\n  \"version\": 1,\n  \"findings\": [\n    "
                };
                self.started = true;
                let _ = self.out.write_all(sep.as_bytes());
                let _ = serde_json::to_writer(&mut self.out, &f);
            }
            DetectFormat::Text => {
                let mitre = if f.mitre.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", f.mitre.join(", "))
                };
                let line = format!(
                    "{}:{}: {} {} {}: {} (audit {}){mitre}\n",
                    f.file,
                    f.line,
                    f.severity,
                    f.rule,
                    f.name,
                    f.message,
                    f.audit_id.as_deref().unwrap_or("-")
                );
                let _ = self.out.write_all(line.as_bytes());
                if self.follow {
                    let _ = self.out.flush();
                }
            }
        }
    }

    fn finish(
        &mut self,
        files: usize,
        events: u64,
        rules: &[&'static RuleMeta],
    ) -> anyhow::Result<()> {
        let summary = rampart_report::Summary {
            files,
            objects: usize::try_from(events).unwrap_or(usize::MAX),
            findings: self.findings,
            by_severity: self.by_severity.clone(),
            suppressed: 0,
            errors: self.error_count,
        };
        let tail = match self.format {
            DetectFormat::Json => {
                let head = if self.started {
                    "\n  ],\n"
                } else {
                    "{\n  \"version\": 1,\n  \"findings\": [],\n"
                };
                format!(
                    "{head}  \"errors\": {},\n  \"summary\": {}\n}}\n",
                    serde_json::to_string(&self.errors)?,
                    serde_json::to_string(&summary)?
                )
            }
            DetectFormat::Text => format!(
                "{} finding(s) in {events} log line(s) of {files} input(s){}\n",
                self.findings,
                if self.error_count > 0 {
                    format!(", {} bad line(s)", self.error_count)
                } else {
                    String::new()
                }
            ),
            DetectFormat::Sarif => rampart_report::to_sarif(&rampart_report::Report {
                findings: &self.sarif,
                errors: &self.errors,
                summary,
                rules,
                sources: &rampart_report::NoSources,
            }),
        };
        match self
            .out
            .write_all(tail.as_bytes())
            .and_then(|()| self.out.flush())
        {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
            _ => Ok(()),
        }
    }
}

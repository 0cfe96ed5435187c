//! `rampart pss …`: Pod Security Admission verdicts offline — a thin shell over `rampart-pss`.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use rampart_manifest::{Loaded, Object};
use rampart_model::{Finding, InputError, RuleMeta};
use rampart_pss::admission::{
    AdmissionPolicy, Decision, Labels, NoLabels, PodSecurityConfiguration, Request,
};
use rampart_pss::object::{findings, is_custom_pod_bearing, lint, object_pod, ObjectPod};
use rampart_pss::recommend::{strictest_level, Satisfied};
use rampart_pss::report::{admission_json, object_json, verdict_json, violations_json};
use rampart_pss::{Evaluator, Level, LevelVersion, Verdict, Version, NEWEST_MINOR};
use serde_json::{json, Value};

use crate::common::{self, EXIT_FOUND, EXIT_OK, EXIT_USAGE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LevelFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Evaluate every pod-bearing object exactly as Pod Security Admission would.
    Check(CheckArgs),
    /// The strictest level each workload and namespace satisfies, and the enforce label to apply.
    Level(LevelArgs),
    /// Check Rampart against upstream-generated fixtures laid out as
    /// `<level>/<version>/{pass,fail}/<check><n>.yaml`, each evaluated at its own level and version.
    Conformance(ConformanceArgs),
    /// What labelling a namespace `pod-security.kubernetes.io/enforce=LEVEL` would warn about its
    /// existing pods (the Pods in PATH... in that namespace), as `kubectl label --dry-run=server` shows.
    DryRun(DryRunArgs),
}

#[derive(Debug, clap::Args)]
#[command(disable_version_flag = true)]
pub struct DryRunArgs {
    /// The namespace to label.
    pub namespace: String,
    /// Files or directories holding its Pods.
    pub paths: Vec<PathBuf>,
    /// The new enforce level.
    #[arg(long)]
    pub enforce: String,
    /// The new enforce version.
    #[arg(long = "enforce-version", default_value = "latest")]
    pub version: String,
    /// PodSecurityConfiguration for exemptions.
    #[arg(long, value_name = "FILE")]
    pub admission_config: Option<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: LevelFormat,
}

#[derive(Debug, clap::Args)]
pub struct ConformanceArgs {
    /// Fixture roots (or any directories below them).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: LevelFormat,
}

#[derive(Debug, clap::Args)]
// `--version` is the policy version here, not the program's.
#[command(disable_version_flag = true)]
pub struct CheckArgs {
    /// Files or directories; `-` reads stdin.
    pub paths: Vec<PathBuf>,
    /// privileged | baseline | restricted (required unless --admission-config is given).
    #[arg(long, conflicts_with = "admission_config")]
    pub level: Option<String>,
    /// Policy version: latest or v1.N (N without leading zeros).
    #[arg(long, default_value = "latest")]
    pub version: String,
    /// Evaluate as an API server emulating Kubernetes v1.N (caps `latest` and newer versions).
    #[arg(long, value_name = "v1.N")]
    pub emulate: Option<String>,
    /// PodSecurityConfiguration (or AdmissionConfiguration) file: evaluate each object against
    /// its namespace's labels (from Namespace objects in the inputs), defaults and exemptions.
    #[arg(long, value_name = "FILE")]
    pub admission_config: Option<PathBuf>,
    /// Namespace for objects that name none (with --admission-config).
    #[arg(long, default_value = "default")]
    pub namespace: String,
    /// Requesting user, for username exemptions (with --admission-config).
    #[arg(long, default_value = "")]
    pub user: String,
    /// Also evaluate custom resources that embed a pod template (PSA itself never does).
    #[arg(long)]
    pub include_crds: bool,
    /// Invalid inputs are fatal (exit 2).
    #[arg(long)]
    pub strict: bool,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
#[command(disable_version_flag = true)]
pub struct LevelArgs {
    /// Files or directories; `-` reads stdin.
    pub paths: Vec<PathBuf>,
    /// Policy version to judge against: latest or v1.N.
    #[arg(long, default_value = "latest")]
    pub version: String,
    /// Namespace for objects that name none.
    #[arg(long, default_value = "default")]
    pub namespace: String,
    /// Also evaluate custom resources that embed a pod template.
    #[arg(long)]
    pub include_crds: bool,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: LevelFormat,
}

pub fn run(cmd: Command) -> Result<u8> {
    match cmd {
        Command::Check(a) => check(&a),
        Command::Level(a) => level(&a),
        Command::Conformance(a) => conformance(&a),
        Command::DryRun(a) => dry_run(&a),
    }
}

/// Rules this engine adds to the registry: one per upstream check, `RMP2001`–`RMP2019`.
pub fn rules() -> Vec<&'static RuleMeta> {
    rampart_pss::rules()
}

/// Findings this engine adds to every `rampart scan`: none; PSS findings come only with
/// `rampart scan --pss LEVEL`, through [`scan_findings`].
pub fn scan_lints(_loaded: &Loaded) -> Vec<Finding> {
    Vec::new()
}

/// `rampart scan --pss LEVEL [--pss-version V]`: category `pss` findings at the exact line and
/// column of each offending field. Every check of the level runs, including baseline checks
/// that PSA replaces by a restricted one, so each rule reports under its own id. Objects that
/// would not decode are reported on stderr and skipped.
// Called by `rampart scan` once its `--pss` flag is wired to it.
#[allow(dead_code)]
pub fn scan_findings(loaded: &Loaded, level: &str, version: &str) -> Result<Vec<Finding>> {
    let lv = parse_level_version(level, version)?;
    let ev = Evaluator::new();
    let mut out = Vec::new();
    for obj in &loaded.objects {
        match object_pod(obj, true) {
            None => {}
            Some(Err(e)) => eprintln!("{}", common::format_input_error(&e)),
            Some(Ok(op)) => out.extend(findings(obj, &op, &lint(&ev, lv, &op.pod))),
        }
    }
    Ok(out)
}

fn parse_level(level: &str) -> Result<Level> {
    level.parse().map_err(|e| anyhow::anyhow!("--level: {e}"))
}

fn parse_version(flag: &str, version: &str) -> Result<Version> {
    version.parse().map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

#[allow(dead_code)]
fn parse_level_version(level: &str, version: &str) -> Result<LevelVersion> {
    Ok(LevelVersion::new(
        parse_level(level)?,
        parse_version("--version", version)?,
    ))
}

fn evaluator(emulate: Option<&str>) -> Result<Evaluator> {
    Ok(match emulate {
        None => Evaluator::new(),
        Some(v) => match parse_version("--emulate", v)? {
            Version::Minor(m) => Evaluator::emulating(m),
            Version::Latest => Evaluator::new(),
        },
    })
}

/// Every object with a pod, decoded; input errors are printed and collected.
fn pods<'a>(
    loaded: &'a Loaded,
    include_crds: bool,
    errors: &mut Vec<InputError>,
) -> Vec<(&'a Object, ObjectPod<'a>)> {
    let mut out = Vec::new();
    let mut skipped = 0usize;
    for obj in &loaded.objects {
        match object_pod(obj, include_crds) {
            Some(Ok(op)) => out.push((obj, op)),
            Some(Err(e)) => {
                eprintln!("{}", common::format_input_error(&e));
                errors.push(e);
            }
            None if is_custom_pod_bearing(obj) => skipped += 1,
            None => {}
        }
    }
    if skipped > 0 {
        eprintln!("note: {skipped} custom resource(s) with a pod template not evaluated (Pod Security Admission ignores them; use --include-crds)");
    }
    out
}

fn check(a: &CheckArgs) -> Result<u8> {
    let ev = evaluator(a.emulate.as_deref())?;
    let version = parse_version("--version", &a.version)?;
    if let Some(path) = &a.admission_config {
        let policy = load_admission_config(path)?.with_evaluator(ev);
        return check_admission(a, &policy);
    }
    let Some(level) = &a.level else {
        bail!("--level is required (privileged, baseline or restricted) unless --admission-config is given");
    };
    let lv = LevelVersion::new(parse_level(level)?, version);
    let loaded = common::load_inputs(&a.paths);
    let mut errors = loaded.errors.clone();
    let pods = pods(&loaded, a.include_crds, &mut errors);
    let mut entries = Vec::with_capacity(pods.len());
    let mut sarif_findings = Vec::new();
    for (obj, op) in &pods {
        let verdict = ev.evaluate(lv, &op.pod);
        if a.format == CheckFormat::Sarif {
            sarif_findings.extend(findings(obj, op, &verdict));
        }
        entries.push((verdict_json(obj, &verdict), verdict_text(obj, &verdict)));
    }
    let text = match a.format {
        CheckFormat::Sarif => sarif(&loaded, &sarif_findings, &errors),
        _ => render(&entries, a.format)?,
    };
    finish(a, &text, &entries, &errors)
}

fn check_admission(a: &CheckArgs, policy: &AdmissionPolicy) -> Result<u8> {
    if a.format == CheckFormat::Sarif {
        bail!("--format sarif is not available with --admission-config; use json or text");
    }
    let loaded = common::load_inputs(&a.paths);
    let mut errors = loaded.errors.clone();
    let pods = pods(&loaded, a.include_crds, &mut errors);
    let entries = admission_entries(policy, &pods, &namespace_labels(&loaded), a);
    let text = render(&entries, a.format)?;
    finish(a, &text, &entries, &errors)
}

/// JSON array or text lines of (json, text) entries.
fn render(entries: &[(Value, String)], format: CheckFormat) -> Result<String> {
    Ok(if format == CheckFormat::Json {
        let arr: Vec<&Value> = entries.iter().map(|(j, _)| j).collect();
        let mut s = serde_json::to_string_pretty(&arr)?;
        s.push('\n');
        s
    } else {
        let mut s: String = entries.iter().map(|(_, t)| t.as_str()).collect();
        let bad = entries
            .iter()
            .filter(|(j, _)| j["allowed"] == false)
            .count();
        s.push_str(&format!(
            "{} object(s) evaluated, {bad} not allowed\n",
            entries.len()
        ));
        s
    })
}

/// Writes the report; exit 2 for invalid inputs under `--strict`, 1 when anything is not allowed.
fn finish(
    a: &CheckArgs,
    text: &str,
    entries: &[(Value, String)],
    errors: &[InputError],
) -> Result<u8> {
    common::write_output(a.output.as_ref(), text)?;
    if a.strict && !errors.is_empty() {
        return Ok(EXIT_USAGE);
    }
    let denied = entries.iter().any(|(j, _)| j["allowed"] == false);
    Ok(if denied { EXIT_FOUND } else { EXIT_OK })
}

fn verdict_text(obj: &Object, v: &Verdict) -> String {
    let head = format!("{}:{} {}", obj.file(), obj.node.pos.line, obj.id.display());
    if v.allowed() {
        return format!("{head}: allowed by {}\n", v.level_version);
    }
    let mut s = format!("{head}: forbidden by {}\n", v.level_version);
    for x in &v.violations {
        s.push_str(&format!("  {}: {}\n", x.check, x.summary()));
    }
    s
}

fn sarif(loaded: &Loaded, findings: &[Finding], errors: &[InputError]) -> String {
    let mut summary = rampart_report::Summary::count(findings);
    summary.files = loaded.sources.len();
    summary.objects = loaded.objects.len();
    summary.errors = errors.len();
    let rules = rules();
    let report = rampart_report::Report {
        findings,
        errors,
        summary,
        rules: &rules,
        sources: &rampart_report::NoSources,
    };
    rampart_report::to_sarif(&report)
}

fn load_admission_config(path: &PathBuf) -> Result<AdmissionPolicy> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let (_, objects, errs) = rampart_manifest::load_text(&path.display().to_string(), text);
    if let Some(e) = errs.first() {
        bail!("{}", common::format_input_error(e));
    }
    let doc = objects.first().map_or(Value::Null, |o| o.json.clone());
    let cfg = PodSecurityConfiguration::from_value(&doc)
        .with_context(|| format!("{}", path.display()))?;
    Ok(AdmissionPolicy::from_config(&cfg))
}

/// Labels of the Namespace objects in the inputs, by name.
fn namespace_labels(loaded: &Loaded) -> HashMap<String, serde_json::Map<String, Value>> {
    loaded
        .objects
        .iter()
        .filter(|o| o.kind() == "Namespace")
        .map(|o| {
            let labels = o
                .json
                .pointer("/metadata/labels")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            (o.id.name.clone(), labels)
        })
        .collect()
}

fn admission_entries(
    policy: &AdmissionPolicy,
    pods: &[(&Object, ObjectPod<'_>)],
    namespaces: &HashMap<String, serde_json::Map<String, Value>>,
    a: &CheckArgs,
) -> Vec<(Value, String)> {
    let mut out = Vec::with_capacity(pods.len());
    for (obj, _) in pods {
        let ns = if obj.id.namespace.is_empty() {
            a.namespace.as_str()
        } else {
            obj.id.namespace.as_str()
        };
        let labels: &dyn Labels = namespaces.get(ns).map_or(&NoLabels, |m| m as &dyn Labels);
        let req = Request {
            namespace: ns,
            labels,
            username: &a.user,
            object: &obj.json,
        };
        let d = policy.evaluate(&req);
        // Workloads are never rejected themselves; their Pods are, when created.
        let pods_decision = if d.is_pod {
            d.clone()
        } else {
            policy.evaluate_created_pods(&req)
        };
        out.push((
            admission_json(obj, ns, &d, &pods_decision),
            admission_text(obj, ns, &d, &pods_decision),
        ));
    }
    out
}

fn admission_text(obj: &Object, ns: &str, d: &Decision, pods: &Decision) -> String {
    let mut s = format!(
        "{}:{} {} (namespace {ns})",
        obj.file(),
        obj.node.pos.line,
        obj.id.display()
    );
    if let Some(e) = d.exemption {
        s.push_str(&format!(": exempt ({})\n", e.as_str()));
        return s;
    }
    let name = if d.is_pod { obj.id.name.as_str() } else { "" };
    match (pods.denial_message(name), d.is_pod) {
        (Some(m), true) => s.push_str(&format!(": rejected: {m}\n")),
        (Some(m), false) => s.push_str(&format!(
            ": admitted, but its pods would be rejected: {m}\n"
        )),
        (None, _) => s.push_str(": admitted\n"),
    }
    for w in d.warnings() {
        s.push_str(&format!("  warning: {w}\n"));
    }
    for (k, v) in d.audit_annotations() {
        if k != "enforce-policy" {
            s.push_str(&format!("  audit {k}: {v}\n"));
        }
    }
    s
}

fn level(a: &LevelArgs) -> Result<u8> {
    let version = parse_version("--version", &a.version)?;
    let ev = Evaluator::new();
    let loaded = common::load_inputs(&a.paths);
    let mut errors = Vec::new();
    let pods = pods(&loaded, a.include_crds, &mut errors);
    let labels = namespace_labels(&loaded);
    let mut workloads = Vec::new();
    let mut by_ns: BTreeMap<String, (Level, usize)> = labels
        .keys()
        .map(|n| (n.clone(), (Level::Restricted, 0)))
        .collect();
    for (obj, op) in &pods {
        let ns = if obj.id.namespace.is_empty() {
            a.namespace.clone()
        } else {
            obj.id.namespace.clone()
        };
        let Satisfied {
            level: lvl,
            blocking,
        } = strictest_level(&ev, version, &op.pod);
        let e = by_ns.entry(ns.clone()).or_insert((Level::Restricted, 0));
        e.0 = e.0.min(lvl);
        e.1 += 1;
        workloads.push(
            json!({"file": obj.file(), "line": obj.node.pos.line, "object": object_json(obj),
            "namespace": ns, "level": lvl.as_str(), "blocking": violations_json(&blocking)}),
        );
    }
    let pinned = match version {
        Version::Latest => format!("v1.{NEWEST_MINOR}"),
        v @ Version::Minor(_) => v.to_string(),
    };
    let namespaces: Vec<Value> = by_ns
        .iter()
        .map(|(ns, (lvl, n))| {
            let current = labels.get(ns).and_then(|l| l.label("pod-security.kubernetes.io/enforce")).map(str::to_string);
            json!({"namespace": ns, "level": lvl.as_str(), "workloads": n, "current_enforce": current,
                "recommended_labels": {"pod-security.kubernetes.io/enforce": lvl.as_str(),
                                       "pod-security.kubernetes.io/enforce-version": pinned}})
        })
        .collect();
    let text = match a.format {
        LevelFormat::Json => {
            let mut s = serde_json::to_string_pretty(
                &json!({"version": version.to_string(), "workloads": workloads, "namespaces": namespaces}),
            )?;
            s.push('\n');
            s
        }
        LevelFormat::Text => level_text(&workloads, &namespaces),
    };
    common::write_output(None, &text)?;
    Ok(EXIT_OK)
}

fn level_text(workloads: &[Value], namespaces: &[Value]) -> String {
    let mut s = String::from("Workloads (strictest level satisfied):\n");
    for w in workloads {
        let o = &w["object"];
        s.push_str(&format!(
            "  {:<10} {}:{} {}/{}/{}\n",
            w["level"].as_str().unwrap_or(""),
            w["file"].as_str().unwrap_or(""),
            w["line"],
            o["kind"].as_str().unwrap_or(""),
            w["namespace"].as_str().unwrap_or(""),
            o["name"].as_str().unwrap_or("")
        ));
        for b in w["blocking"].as_array().into_iter().flatten() {
            s.push_str(&format!(
                "               blocks the next level: {} ({})\n",
                b["check"].as_str().unwrap_or(""),
                b["detail"].as_str().unwrap_or("")
            ));
        }
    }
    s.push_str("\nNamespaces (recommended enforce label):\n");
    for n in namespaces {
        let l = &n["recommended_labels"];
        s.push_str(&format!(
            "  {}: {} workload(s) -> pod-security.kubernetes.io/enforce={} (enforce-version={})",
            n["namespace"].as_str().unwrap_or(""),
            n["workloads"],
            l["pod-security.kubernetes.io/enforce"]
                .as_str()
                .unwrap_or(""),
            l["pod-security.kubernetes.io/enforce-version"]
                .as_str()
                .unwrap_or("")
        ));
        if let Some(c) = n["current_enforce"].as_str() {
            s.push_str(&format!("; currently {c}"));
        }
        s.push('\n');
    }
    s
}

fn conformance(a: &ConformanceArgs) -> Result<u8> {
    use rampart_pss::conformance::Case;
    let loaded = common::load_inputs(&a.paths);
    let ev = Evaluator::new();
    let (mut agree, mut disagree) = (0usize, Vec::new());
    for obj in &loaded.objects {
        let case = Case::from_path(std::path::Path::new(obj.file()));
        let judged = case
            .zip(object_pod(obj, false))
            .map(|(c, p)| (c, p.map(|op| c.judge(&ev, &op.pod))));
        match judged {
            Some((_, Ok((true, _)))) => agree += 1,
            Some((c, Ok((false, v)))) => disagree.push(json!({"file": obj.file(), "expected": if c.expect_allowed { "allowed" } else { "forbidden" },
                "level": c.level_version.to_string(), "check": c.check.map(|x| x.as_str()), "violations": violations_json(&v.violations)})),
            Some((_, Err(e))) => disagree.push(json!({"file": obj.file(), "error": e.message})),
            None => disagree.push(json!({"file": obj.file(), "error": "not a <level>/<version>/<pass|fail>/ fixture holding a pod"})),
        }
    }
    let total = agree + disagree.len();
    let text = match a.format {
        LevelFormat::Json => {
            let mut s = serde_json::to_string_pretty(
                &json!({"total": total, "agree": agree, "disagree": disagree}),
            )?;
            s.push('\n');
            s
        }
        LevelFormat::Text => {
            let mut s: String = disagree
                .iter()
                .map(|d| format!("disagree: {d}\n"))
                .collect();
            s.push_str(&format!("{agree}/{total} fixtures agree\n"));
            s
        }
    };
    common::write_output(None, &text)?;
    Ok(if disagree.is_empty() && loaded.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_FOUND
    })
}

fn dry_run(a: &DryRunArgs) -> Result<u8> {
    let lv = LevelVersion::new(
        parse_level(&a.enforce)?,
        parse_version("--enforce-version", &a.version)?,
    );
    let policy = match &a.admission_config {
        Some(p) => load_admission_config(p)?,
        None => AdmissionPolicy::default(),
    };
    let loaded = common::load_inputs(&a.paths);
    let pods: Vec<&Value> = loaded
        .objects
        .iter()
        .filter(|o| o.kind() == "Pod" && o.id.namespace == a.namespace)
        .map(|o| &o.json)
        .collect();
    let warnings = if policy.is_exempt_namespace(&a.namespace) {
        if lv.level == Level::Privileged {
            Vec::new()
        } else {
            vec![format!("namespace {:?} is exempt from Pod Security, and the policy (enforce={lv}) will be ignored", a.namespace)]
        }
    } else if lv.level == Level::Privileged {
        Vec::new()
    } else {
        rampart_pss::admission::existing_pod_warnings(&policy, &a.namespace, lv, &pods, None)
    };
    let text = match a.format {
        LevelFormat::Json => {
            let mut s = serde_json::to_string_pretty(
                &json!({"namespace": a.namespace, "enforce": lv.to_string(), "pods": pods.len(), "warnings": warnings}),
            )?;
            s.push('\n');
            s
        }
        LevelFormat::Text => warnings.iter().map(|w| format!("Warning: {w}\n")).collect(),
    };
    common::write_output(None, &text)?;
    Ok(EXIT_OK)
}

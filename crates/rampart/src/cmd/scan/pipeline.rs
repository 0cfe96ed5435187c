//! The scan pipeline, file by file, so memory stays bounded on any input size.
//!
//! 1. Every input is read (text is kept: suppressions and reports quote lines).
//! 2. A pre-pass parses only files that set `automountServiceAccountToken`, to know each
//!    service account's setting before any pod is judged.
//! 3. Files are parsed and scanned in parallel, taken in input order: workload rules, secrets,
//!    PSS, audit-policy and control-plane checks work per object or per file. Findings are
//!    filtered by configuration and suppressions and sorted by position; this thread puts the
//!    files back in input order and hands their findings to the emitter while the pool goes on.
//!    Only what the RBAC and NetworkPolicy engines need is retained (see `retain`).
//! 4. The RBAC and NetworkPolicy engines run over what was retained; their findings come last.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use anyhow::Result;
use rampart_manifest::{parse_source, Input, Loaded, Object, SourceFile};
use rampart_model::{Finding, InputError, ObjectRef, Severity};
use rampart_rules::ObjectIndex;
use rayon::prelude::*;

use super::config::Config;
use super::lines::LineIndex;
use super::retain::retain;
use super::suppress::{self, Suppressed};

/// What a scan needs besides its inputs.
pub struct Settings<'a> {
    pub config: &'a Config,
    /// `--pss LEVEL` and its version.
    pub pss: Option<(&'a str, &'a str)>,
    pub max_file_bytes: u64,
    pub progress: Option<Arc<AtomicUsize>>,
    /// `--strict`: stop at the first unreadable or invalid input.
    pub strict: bool,
}

/// Totals and the things reported after the findings.
#[derive(Default)]
pub struct Outcome {
    pub files: usize,
    pub objects: usize,
    pub errors: Vec<InputError>,
    pub suppressed: Vec<Suppressed>,
    /// Every input's text, in input order (reports quote lines from them).
    pub sources: Vec<Arc<SourceFile>>,
}

struct FileResult {
    findings: Vec<Finding>,
    suppressed: Vec<Suppressed>,
    errors: Vec<InputError>,
    retained: Vec<Object>,
    objects: usize,
}

/// Runs the whole scan, handing each batch of findings to `emit` in a deterministic order.
pub fn run(
    inputs: &[Input],
    settings: &Settings<'_>,
    emit: &mut dyn FnMut(Vec<Finding>) -> Result<()>,
) -> Result<Outcome> {
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(rampart_manifest::PARSE_STACK_BYTES)
        .build()?;
    let mut outcome = Outcome::default();
    let read: Vec<_> = pool.install(|| {
        inputs
            .par_iter()
            .map(|i| rampart_manifest::read_input(i, settings.max_file_bytes).map(Arc::new))
            .collect()
    });
    let mut sources = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(s) => sources.push(s),
            Err(e) => outcome.errors.push(e),
        }
    }
    outcome.files = sources.len();
    if settings.strict && !outcome.errors.is_empty() {
        outcome.sources = sources;
        return Ok(outcome);
    }
    let index = pool.install(|| service_account_index(&sources));

    // The pool takes files in input order (`par_bridge`) and sends each result back; this
    // thread puts the results back in order and emits them. Writing the report overlaps with
    // scanning, and no worker waits at a chunk boundary for another's slow file. Results that
    // arrive early wait in `early`: at most the files the other workers finish while one works
    // on a slow file.
    let mut retained = Vec::new();
    let stop = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<FileResult>)>();
    let flow = std::thread::scope(|scope| {
        let producer = scope.spawn(|| {
            pool.install(|| {
                sources
                    .iter()
                    .enumerate()
                    .par_bridge()
                    .for_each_with(tx, |tx, (i, s)| {
                        if !stop.load(Ordering::Relaxed) {
                            // The receiver outlives every sender; a failed send cannot happen.
                            let _ = tx.send((i, scan_file(s, settings, &index)));
                        }
                    });
            });
        });
        let mut early = BTreeMap::new();
        let mut next = 0usize;
        let mut flow = Ok(());
        for (i, result) in rx {
            early.insert(i, result);
            while let Some(result) = early.remove(&next) {
                next += 1;
                if stop.load(Ordering::Relaxed) {
                    continue;
                }
                flow = absorb(result, &mut outcome, &mut retained, emit);
                if flow.is_err() || (settings.strict && !outcome.errors.is_empty()) {
                    stop.store(true, Ordering::Relaxed);
                }
            }
        }
        if let Err(panic) = producer.join() {
            std::panic::resume_unwind(panic);
        }
        flow
    });
    flow?;
    if settings.strict && !outcome.errors.is_empty() {
        outcome.sources = sources;
        return Ok(outcome);
    }

    let global = Loaded {
        sources: sources.clone(),
        objects: retained,
        errors: Vec::new(),
        documents: 0,
    };
    let (rbac, netpol) = pool.install(|| {
        rayon::join(
            || crate::cmd::rbac::scan_lints(&global),
            || crate::cmd::netpol::scan_lints(&global),
        )
    });
    let lines = LineIndex::for_suppressions(&global);
    let (mut findings, suppressed) = filter(
        rbac.into_iter().chain(netpol).collect(),
        &global.objects,
        &lines,
        settings.config,
    );
    let order: HashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.path.as_str(), i))
        .collect();
    findings.sort_by(|a, b| {
        let key = |f: &Finding| order.get(f.file.as_str()).copied().unwrap_or(usize::MAX);
        (key(a), a.line, a.column, &a.rule, &a.message).cmp(&(
            key(b),
            b.line,
            b.column,
            &b.rule,
            &b.message,
        ))
    });
    findings.dedup();
    outcome.suppressed.extend(suppressed);
    emit(findings)?;
    outcome.sources = global.sources;
    // Freeing the retained trees takes tens of milliseconds on a large input; a scan has no
    // use for that time, so another thread does it while the report is finished. Should no
    // thread start, the closure, and the trees with it, are dropped right here.
    let retained = global.objects;
    let _ = std::thread::Builder::new().spawn(move || drop(retained));
    Ok(outcome)
}

/// Adds one file's result to the outcome and emits its findings.
fn absorb(
    result: Result<FileResult>,
    outcome: &mut Outcome,
    retained: &mut Vec<Object>,
    emit: &mut dyn FnMut(Vec<Finding>) -> Result<()>,
) -> Result<()> {
    let r = result?;
    outcome.objects += r.objects;
    outcome.errors.extend(r.errors);
    outcome.suppressed.extend(r.suppressed);
    retained.extend(r.retained);
    emit(r.findings)
}

/// Service accounts' automount settings, from the few files that can define one: the index
/// only holds accounts that set `automountServiceAccountToken`, so only files naming that
/// field (or with escapes, which could spell it otherwise) are parsed twice.
fn service_account_index(sources: &[Arc<SourceFile>]) -> ObjectIndex {
    let accounts: Vec<Object> = sources
        .par_iter()
        .filter(|s| {
            s.text.contains("automountServiceAccountToken")
                || ["\\u", "\\U", "\\x"].iter().any(|e| s.text.contains(e))
        })
        .flat_map_iter(|s| {
            parse_source(s)
                .0
                .into_iter()
                .filter(|o| o.kind() == "ServiceAccount")
        })
        .collect();
    ObjectIndex::build(&accounts)
}

fn scan_file(
    source: &Arc<SourceFile>,
    settings: &Settings<'_>,
    index: &ObjectIndex,
) -> Result<FileResult> {
    if let Some(p) = &settings.progress {
        p.fetch_add(1, Ordering::Relaxed);
    }
    let (objects, errors, documents) = parse_source(source);
    let mut loaded = Loaded {
        sources: vec![source.clone()],
        objects,
        errors,
        documents,
    };
    // Secret `data` that is not base64 is invalid input too (the API server rejects it).
    let invalid = rampart_secrets::input_errors(&loaded);
    loaded.errors.extend(invalid);
    let mut findings: Vec<Finding> = loaded
        .objects
        .iter()
        .flat_map(|o| rampart_rules::check_object(o, index))
        .collect();
    findings.extend(crate::cmd::secrets::scan_lints(&loaded));
    findings.extend(crate::cmd::audit::scan_lints(&loaded));
    findings.extend(crate::cmd::cis::scan_lints(&loaded));
    findings.extend(crate::cmd::pss::scan_lints(&loaded));
    if let Some((level, version)) = settings.pss {
        findings.extend(crate::cmd::pss::scan_findings(&loaded, level, version)?);
    }
    let lines = LineIndex::for_suppressions(&loaded);
    let (mut findings, suppressed) = filter(findings, &loaded.objects, &lines, settings.config);
    findings.sort_by(|a, b| {
        (a.line, a.column, &a.rule, &a.message).cmp(&(b.line, b.column, &b.rule, &b.message))
    });
    findings.dedup();
    let objects = loaded.objects.len();
    Ok(FileResult {
        findings,
        suppressed,
        errors: loaded.errors,
        retained: loaded.objects.into_iter().filter_map(retain).collect(),
        objects,
    })
}

/// Applies configuration and suppressions; returns (kept, suppressed).
fn filter(
    findings: Vec<Finding>,
    objects: &[Object],
    lines: &LineIndex<'_>,
    config: &Config,
) -> (Vec<Finding>, Vec<Suppressed>) {
    // Findings name their object; its annotation is looked up by file and identity.
    let by_object: HashMap<(&str, &ObjectRef), &str> = objects
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

/// The highest severity among `findings`.
pub fn worst(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).max()
}

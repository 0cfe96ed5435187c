//! Secret detectors, masking and Secret-management rules.
//!
//! [`scan`] walks every string of every loaded object (`walk`), judging each under the key
//! that gives it meaning, plus the raw text of every file for token formats in comments and in
//! documents that did not parse (`raw`). It adds posture rules over Secrets, External Secrets,
//! Sealed Secrets and EncryptionConfiguration (`rules`), and builds an [`inventory`] of Secrets
//! and their consumers.
//!
//! Invariant: a credential's text never leaves this crate. Detectors hand it to
//! [`SecretValue`] (redacted `Debug`/`Display`, zeroed on drop); findings carry its family,
//! place, length and a salted fingerprint only.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod detect;
mod embedded;
mod family;
mod finding;
mod fingerprint;
mod hit;
mod invalid;
pub mod inventory;
mod locate;
mod raw;
pub mod rules;
mod value;
mod walk;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rampart_manifest::{Loaded, Object, SourceFile};
use rampart_model::{Finding, RuleMeta};

pub use fingerprint::{Salt, DEFAULT_SALT};
pub use invalid::{input_errors, INVALID_BASE64};
pub use value::SecretValue;

use crate::family::Family;
use crate::locate::{LineIndex, Spot};

/// How to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Key of the fingerprint HMAC.
    pub salt: Salt,
    /// Also run the optional rules (not in the conformance vocabulary).
    pub optional_rules: bool,
}

/// Every rule of this engine, in id order.
pub fn all_rules() -> Vec<&'static RuleMeta> {
    rules::ALL.to_vec()
}

/// The rules `rampart scan` reports by default.
pub fn default_rules() -> Vec<&'static RuleMeta> {
    rules::ALL
        .iter()
        .copied()
        .filter(|r| !rules::OPTIONAL.iter().any(|o| o.id == r.id))
        .collect()
}

/// Per-file line indexes, built only for files with findings.
#[derive(Default)]
struct Indexes(HashMap<*const SourceFile, LineIndex>);

impl Indexes {
    fn get(&mut self, src: &Arc<SourceFile>) -> &LineIndex {
        self.0
            .entry(Arc::as_ptr(src))
            .or_insert_with(|| LineIndex::new(&src.text))
    }
}

/// All secrets findings for the loaded inputs: placed, deduplicated, sorted, masked.
pub fn scan(loaded: &Loaded, opts: &ScanOptions) -> Vec<Finding> {
    let mut indexes = Indexes::default();
    let mut findings = Vec::new();
    for (obj, hits) in loaded.objects.iter().zip(walk_all(&loaded.objects)) {
        findings.extend(place_hits(obj, &hits, opts, &mut indexes));
        findings.extend(rules::posture(obj, opts.optional_rules));
    }
    findings = dedupe(findings);
    findings.extend(raw_findings(loaded, &findings, opts, &mut indexes));
    let mut findings = suppress(findings, loaded);
    findings.sort_by(|a, b| {
        (a.file.as_str(), a.line, a.column, &*a.rule).cmp(&(
            b.file.as_str(),
            b.line,
            b.column,
            &*b.rule,
        ))
    });
    findings
}

/// Stack for walking threads: embedded YAML is parsed on them (see `embedded::structured`).
const WALK_STACK_BYTES: usize = 16 << 20;

/// The value hits of every object, in object order; objects are walked in parallel.
///
/// On a thread of an existing rayon pool (`rampart scan` calls this once per file from its own
/// pool, whose threads have the parsing stack) the objects are walked in that pool: creating a
/// pool per call would start two threads per file.
fn walk_all(objects: &[Object]) -> Vec<Vec<hit::Hit>> {
    use rayon::prelude::*;
    let walk = || -> Vec<Vec<hit::Hit>> {
        objects
            .par_iter()
            .map(|o| walk::Walker::object(&o.json))
            .collect()
    };
    if rayon::current_thread_index().is_some() {
        return walk();
    }
    match rayon::ThreadPoolBuilder::new()
        .stack_size(WALK_STACK_BYTES)
        .build()
    {
        Ok(pool) => pool.install(walk),
        Err(_) => objects
            .iter()
            .map(|o| walk::Walker::object(&o.json))
            .collect(),
    }
}

fn place_hits(
    obj: &Object,
    hits: &[hit::Hit],
    opts: &ScanOptions,
    indexes: &mut Indexes,
) -> Vec<Finding> {
    if hits.is_empty() {
        return Vec::new();
    }
    let index = indexes.get(&obj.source);
    hits.iter()
        .map(|h| {
            let node = obj.node.at(&h.path);
            let fallback = obj.locate(&h.path);
            let pos = locate::locate(&obj.source.text, index, node, fallback, &h.spot);
            finding::from_hit(h, Some(obj), &obj.source.path, pos, &opts.salt)
        })
        .collect()
}

/// One finding per located credential: same file, position and fingerprint keep the most
/// specific family (§5.6); an aliased value lands on its anchor once (§7).
fn dedupe(findings: Vec<Finding>) -> Vec<Finding> {
    let rank = |f: &Finding| Family::from_name(&f.name).map_or(u8::MAX, Family::rank);
    let mut best: HashMap<(String, u32, u32, String), Finding> = HashMap::new();
    let mut others = Vec::new();
    for f in findings {
        let Some(fp) = f
            .fingerprint
            .clone()
            .filter(|_| Family::from_name(&f.name).is_some())
        else {
            others.push(f);
            continue;
        };
        let key = (f.file.clone(), f.line, f.column, fp);
        match best.get(&key) {
            Some(existing) if rank(existing) <= rank(&f) => {}
            _ => {
                best.insert(key, f);
            }
        }
    }
    others.extend(best.into_values());
    others
}

/// Token formats in comments and unparsed documents, minus those the walk already reported on
/// the same line (§5.1).
fn raw_findings(
    loaded: &Loaded,
    walked: &[Finding],
    opts: &ScanOptions,
    indexes: &mut Indexes,
) -> Vec<Finding> {
    let seen: HashSet<(&str, u32, &str)> = walked
        .iter()
        .map(|f| (f.file.as_str(), f.line, &*f.name))
        .collect();
    let mut walked_docs: HashMap<*const SourceFile, HashSet<usize>> = HashMap::new();
    for o in &loaded.objects {
        walked_docs
            .entry(Arc::as_ptr(&o.source))
            .or_default()
            .insert(o.doc);
    }
    let none = HashSet::new();
    let mut out = Vec::new();
    for src in &loaded.sources {
        let docs = walked_docs.get(&Arc::as_ptr(src)).unwrap_or(&none);
        let hits = raw::scan(&src.text, docs);
        if hits.is_empty() {
            continue;
        }
        let index = indexes.get(src);
        for h in hits {
            let pos = index.pos(&src.text, h.offset);
            if seen.contains(&(src.path.as_str(), pos.line, h.family.meta().name)) {
                continue;
            }
            let hit = hit::Hit {
                family: h.family,
                severity: h.severity,
                path: rampart_model::JsonPath::root(),
                inner: None,
                key: None,
                spot: Spot::Start,
                value: h.value,
                encoding: None,
                detail: Some(String::from(
                    "in raw text (a comment or a document that did not parse)",
                )),
            };
            let mut f = finding::from_hit(&hit, None, &src.path, pos, &opts.salt);
            f.path = None;
            if !out.iter().any(|o: &Finding| {
                o.line == f.line && o.name == f.name && o.file == f.file && o.column == f.column
            }) {
                out.push(f);
            }
        }
    }
    out
}

/// Drops findings opted out with `# rampart:ignore secrets` (or the family, or the rule id) on
/// their line or the line above (§5.5).
fn suppress(findings: Vec<Finding>, loaded: &Loaded) -> Vec<Finding> {
    let sources: HashMap<&str, &SourceFile> = loaded
        .sources
        .iter()
        .map(|s| (s.path.as_str(), s.as_ref()))
        .collect();
    findings
        .into_iter()
        .filter(|f| {
            let Some(src) = sources.get(f.file.as_str()) else {
                return true;
            };
            let ignored = |n: u32| {
                src.line(n).is_some_and(|l| {
                    let Some(at) = l.find("rampart:ignore") else {
                        return false;
                    };
                    // Only in a comment: a `#` comes before the marker.
                    l[..at].contains('#')
                        && l[at + "rampart:ignore".len()..]
                            .split(|c: char| c.is_whitespace() || c == ',')
                            .filter(|w| !w.is_empty())
                            .any(|w| {
                                w == "secrets" || w == f.name || w.eq_ignore_ascii_case(&f.rule)
                            })
                })
            };
            !(ignored(f.line) || (f.line > 1 && ignored(f.line - 1)))
        })
        .collect()
}

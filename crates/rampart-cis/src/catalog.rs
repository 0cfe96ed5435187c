//! Running every check over a node, in benchmark order.

use std::cmp::Ordering;

use rampart_manifest::Object;
use serde::Serialize;

use crate::check::{CheckMeta, CheckResult, Outcome, Status, BENCHMARK};
use crate::checks::{file_checks, flag_checks, manual_checks, policy};
use crate::fs::NodeFs;
use crate::node::{gather, NodeFacts};

/// The result of checking one node.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub benchmark: &'static str,
    pub checks: Vec<CheckResult>,
    /// Files that could not be read or parsed (also on stderr in the CLI).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    pub summary: Summary,
}

/// Counts per status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub pass: usize,
    pub fail: usize,
    pub warn: usize,
    pub manual: usize,
    pub skip: usize,
}

impl Report {
    /// True when a scored check failed.
    pub fn has_failures(&self) -> bool {
        self.summary.fail > 0
    }

    /// The result of one check by CIS number.
    pub fn get(&self, id: &str) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// Reads the node and runs every check.
pub fn evaluate(fs: &dyn NodeFs) -> Report {
    evaluate_with(fs, None)
}

/// Reads the node and runs every check; with cluster objects (manifests or a snapshot), the 5.x
/// policy recommendations they decide are checked instead of being left `manual`.
pub fn evaluate_with(fs: &dyn NodeFs, objects: Option<&[Object]>) -> Report {
    let facts = gather(fs);
    let mut checks = evaluate_facts(&facts, fs);
    if let Some(objects) = objects {
        for (id, outcome) in policy::evaluate(objects) {
            let Some(meta) = manual_checks()
                .iter()
                .find(|m| m.meta.id == id)
                .map(|m| m.meta)
            else {
                continue;
            };
            if let Some(slot) = checks.iter_mut().find(|c| c.id == id) {
                *slot = CheckResult::from_outcome(
                    &CheckMeta {
                        scored: false,
                        automated: true,
                        ..meta
                    },
                    outcome,
                );
            }
        }
    }
    let mut summary = Summary::default();
    for c in &checks {
        match c.status {
            Status::Pass => summary.pass += 1,
            Status::Fail => summary.fail += 1,
            Status::Warn => summary.warn += 1,
            Status::Manual => summary.manual += 1,
            Status::Skip => summary.skip += 1,
        }
    }
    Report {
        benchmark: BENCHMARK,
        checks,
        problems: facts.problems.clone(),
        summary,
    }
}

/// Runs every check over gathered facts.
pub fn evaluate_facts(facts: &NodeFacts, fs: &dyn NodeFs) -> Vec<CheckResult> {
    let mut out: Vec<CheckResult> = Vec::new();
    for c in flag_checks() {
        let o = match facts.get(c.component) {
            Some(s) => c.test.eval(s),
            None => Outcome::skip(format!("{} does not run on this node", c.component)),
        };
        out.push(CheckResult::from_outcome(&c.meta(), o));
    }
    for c in file_checks() {
        out.push(CheckResult::from_outcome(&c.meta, c.eval(facts, fs)));
    }
    for c in manual_checks() {
        out.push(CheckResult::from_outcome(&c.meta, Outcome::manual(c.hint)));
    }
    out.sort_by(|a, b| cmp_ids(&a.id, &b.id));
    out
}

/// Every check's metadata, in benchmark order.
pub fn all_checks() -> Vec<CheckMeta> {
    let mut all: Vec<CheckMeta> = flag_checks().iter().map(|c| c.meta()).collect();
    all.extend(file_checks().iter().map(|c| c.meta));
    all.extend(manual_checks().iter().map(|c| c.meta));
    all.sort_by(|a, b| cmp_ids(a.id, b.id));
    all
}

/// Orders CIS numbers numerically (`1.2.9` before `1.2.10`).
pub fn cmp_ids(a: &str, b: &str) -> Ordering {
    let parts = |s: &str| {
        s.split('.')
            .map(|p| p.parse::<u32>().unwrap_or(u32::MAX))
            .collect::<Vec<_>>()
    };
    parts(a).cmp(&parts(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_ordered() {
        let all = all_checks();
        let mut ids: Vec<&str> = all.iter().map(|c| c.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
        assert_eq!(cmp_ids("1.2.9", "1.2.10"), Ordering::Less);
        assert_eq!(cmp_ids("2.7", "1.4.2"), Ordering::Greater);
    }
}

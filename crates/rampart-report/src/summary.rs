//! Counts shown at the end of every report.

use std::collections::BTreeMap;

use rampart_model::{Finding, Severity};
use serde::Serialize;

/// What a run looked at and what it found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub objects: usize,
    pub findings: usize,
    /// Findings per severity (only severities that occur).
    pub by_severity: BTreeMap<Severity, usize>,
    /// Findings hidden by `rampart:ignore` comments, annotations or configuration.
    pub suppressed: usize,
    /// Inputs that could not be read or parsed.
    pub errors: usize,
}

impl Summary {
    /// Counts `findings` by severity; the caller fills files, objects, suppressed and errors.
    pub fn count(findings: &[Finding]) -> Self {
        let mut by_severity = BTreeMap::new();
        for f in findings {
            *by_severity.entry(f.severity).or_insert(0) += 1;
        }
        Self {
            findings: findings.len(),
            by_severity,
            ..Self::default()
        }
    }
}

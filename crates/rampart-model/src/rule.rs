//! Rule metadata: one static record per rule, the single source for `rampart rules`,
//! `rampart explain`, generated docs and SARIF rule descriptors.

use crate::{Category, Severity};

/// Everything a user needs to know about a rule. Ids are stable and never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable id such as `RMP1001`.
    pub id: &'static str,
    /// Kebab-case name such as `run-as-root`.
    pub name: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub category: Category,
    /// MITRE ATT&CK technique ids (e.g. `T1611`).
    pub mitre: &'static [&'static str],
    /// *What it does*.
    pub what: &'static str,
    /// *Why it matters*.
    pub why: &'static str,
    /// *How to fix*; also the finding's `remediation`.
    pub fix: &'static str,
    /// *Example*: a YAML snippet that triggers the rule (may be empty for non-manifest rules).
    pub example: &'static str,
    pub references: &'static [&'static str],
}

//! The rules shipped with the agent, embedded from `rules/*.yaml`.

use std::sync::LazyLock;

use rampart_model::RuleMeta;

use super::{RuleError, RuleSet};

/// The shipped rule files in load order: lists and macros first.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("rules/lists.yaml", include_str!("../../rules/lists.yaml")),
    (
        "rules/process.yaml",
        include_str!("../../rules/process.yaml"),
    ),
    ("rules/files.yaml", include_str!("../../rules/files.yaml")),
    ("rules/escape.yaml", include_str!("../../rules/escape.yaml")),
    (
        "rules/privilege.yaml",
        include_str!("../../rules/privilege.yaml"),
    ),
    (
        "rules/network.yaml",
        include_str!("../../rules/network.yaml"),
    ),
];

static BUILTIN: LazyLock<Result<RuleSet, Vec<RuleError>>> =
    LazyLock::new(|| RuleSet::compile(BUILTIN_FILES));

/// The shipped rules, compiled once. A test guarantees they compile; should they not, the
/// errors are returned rather than panicking.
pub fn builtin_rules() -> Result<&'static RuleSet, &'static [RuleError]> {
    BUILTIN.as_ref().map_err(Vec::as_slice)
}

/// Metadata of every shipped rule, for the global registry.
pub fn builtin_metas() -> Vec<&'static RuleMeta> {
    builtin_rules().map(RuleSet::metas).unwrap_or_default()
}

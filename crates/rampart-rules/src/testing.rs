//! Helpers for rule unit tests: run the registry over inline YAML.

use rampart_model::{Finding, RuleMeta};

/// Findings of `rule` over `yaml`.
pub fn run(rule: &'static RuleMeta, yaml: &str) -> Vec<Finding> {
    let (_, objects, errors) = rampart_manifest::load_text("test.yaml", yaml.to_string());
    assert!(errors.is_empty(), "test YAML must parse: {errors:?}");
    crate::check(&objects)
        .into_iter()
        .filter(|f| f.rule == rule.id)
        .collect()
}

/// Lines of the findings of `rule` over `yaml`.
pub fn lines(rule: &'static RuleMeta, yaml: &str) -> Vec<u32> {
    run(rule, yaml).iter().map(|f| f.line).collect()
}

/// A Pod named `p` whose `spec` is `spec_yaml` (written unindented). `spec_yaml`'s first line
/// is line 6 of the document.
pub fn pod(spec_yaml: &str) -> String {
    let mut s = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n");
    for line in spec_yaml.lines() {
        s.push_str("  ");
        s.push_str(line);
        s.push('\n');
    }
    s
}

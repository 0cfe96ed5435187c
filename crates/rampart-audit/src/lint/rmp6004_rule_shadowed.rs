//! RMP6004: a rule that no request can reach.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::PolicyCtx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6004",
    name: "audit-rule-shadowed",
    title: "Audit policy rule can never match",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &[],
    what: "Reports a rule that no request reaches because earlier rules match every request \
           it matches (first match wins), or that matches no request at all. Computed \
           exactly over the policy's users, groups, verbs, namespaces, resources, \
           subresources, names and URLs.",
    why: "The rule looks like it sets a level but never does: typically a Secrets Metadata \
          rule placed after `{group: \"\"}`, so the broad rule's level applies to Secrets.",
    fix: "Move the rule above the rules that shadow it, or delete it.",
    example: "rules:\n- level: Request\n  resources:\n  - group: \"\"\n- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [secrets]",
    references: &["https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy"],
};

fn overlaps(p: &PolicyCtx<'_>, i: usize, j: usize) -> bool {
    p.an.rules[i].iter().any(|a| {
        p.an.rules[j]
            .iter()
            .any(|b| a.iter().zip(b).all(|(x, y)| x.intersects(y)))
    })
}

pub(crate) fn check(p: &PolicyCtx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for i in 0..p.policy.rules.len() {
        let message = if p.an.rules[i].is_empty() {
            format!("rule {i} matches no request at all (check its resource patterns)")
        } else if i > 0 && p.an.shadowed(i) {
            let by: Vec<String> = (0..i)
                .filter(|&j| overlaps(p, i, j))
                .map(|j| j.to_string())
                .collect();
            format!(
                "rule {i} can never match: every request it matches is decided first by rule(s) {}",
                by.join(", ")
            )
        } else {
            continue;
        };
        out.push(p.finding(&META, &format!("rules[{i}]"), message));
    }
    out
}

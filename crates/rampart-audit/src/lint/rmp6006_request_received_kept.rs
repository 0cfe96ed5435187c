//! RMP6006: every audited request is logged twice because `RequestReceived` is kept.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::PolicyCtx;
use crate::policy::{Level, Stage};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6006",
    name: "audit-request-received-kept",
    title: "Audit policy does not omit the RequestReceived stage",
    severity: Severity::Low,
    category: Category::Audit,
    mitre: &[],
    what: "Reports a policy whose level-setting rules (other than `None`) do not omit \
           `RequestReceived`, neither in the policy-level `omitStages` nor on the rule.",
    why: "Every request is then logged twice. The first copy carries nothing the final one \
          lacks, and doubles the volume that must be shipped, stored and searched.",
    fix: "Add `omitStages: [RequestReceived]` at the top of the policy.",
    example: "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata",
    references: &["https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy"],
};

pub(crate) fn check(p: &PolicyCtx<'_>) -> Vec<Finding> {
    if p.policy.omit_stages.contains(Stage::RequestReceived) {
        return Vec::new();
    }
    let keeping: Vec<String> = p
        .policy
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.level != Level::None && !r.omit_stages.contains(Stage::RequestReceived))
        .map(|(i, _)| i.to_string())
        .collect();
    if keeping.is_empty() {
        return Vec::new();
    }
    let path = if p.obj.json.get("omitStages").is_some() {
        "omitStages"
    } else {
        ""
    };
    vec![p.finding(
        &META,
        path,
        format!(
            "RequestReceived is not omitted (rules {}), so those requests are logged twice; \
             add `omitStages: [RequestReceived]` to the policy",
            keeping.join(", ")
        ),
    )]
}

//! RMP6003: some requests match no rule and are not audited at all.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::PolicyCtx;
use crate::analysis::describe;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6003",
    name: "audit-no-catch-all",
    title: "Audit policy has no catch-all rule",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &["T1562.008"],
    what: "Reports a policy under which some request matches no rule (checked exactly, over \
           every user, group, verb, resource and URL the rules mention and every one they \
           do not).",
    why: "A request that matches no rule is not audited. Requests nobody thought of when \
          writing the policy, such as new APIs, CRDs, exec or proxy, leave no trace.",
    fix: "End the policy with an unconditional rule, `- level: Metadata`.",
    example: "rules:\n- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [secrets]",
    references: &[
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy",
        "https://attack.mitre.org/techniques/T1562/008/",
    ],
};

pub(crate) fn check(p: &PolicyCtx<'_>) -> Vec<Finding> {
    let Some(req) = p.an.unmatched(&p.an.space.full()) else {
        return Vec::new();
    };
    let path = if p.obj.json.get("rules").is_some() {
        "rules"
    } else {
        ""
    };
    vec![p.finding(
        &META,
        path,
        format!(
            "no rule matches some requests (e.g. `{}`), so they are not audited; end the \
             policy with `- level: Metadata`",
            describe(&req)
        ),
    )]
}

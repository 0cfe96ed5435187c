//! RMP6010: a `None` rule silences the requests attacks are traced by.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::PolicyCtx;
use crate::analysis::describe;
use crate::policy::Level;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6010",
    name: "audit-evidence-silenced",
    title: "Audit policy drops exec, kubelet proxy or token requests",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1562.008"],
    what: "Reports `level: None` rules that decide `pods/exec`, `pods/attach`, \
           `pods/portforward`, `nodes/proxy` or `serviceaccounts/token` requests.",
    why: "These are how attackers run commands in containers, reach the kubelet and mint \
          credentials; with them unlogged the audit trail has a hole exactly where an \
          investigation needs it, and `rampart audit detect` cannot see them.",
    fix: "Log these subresources at `Metadata` at least: add a rule for them before the \
          `None` rule.",
    example: "rules:\n- level: None\n  resources:\n  - group: \"\"\n    resources: [\"pods/*\"]",
    references: &["https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy"],
};

pub(crate) fn check(p: &PolicyCtx<'_>) -> Vec<Finding> {
    let classes = [
        p.class("", &["pods"], "exec", &[]),
        p.class("", &["pods"], "attach", &[]),
        p.class("", &["pods"], "portforward", &[]),
        p.class("", &["nodes"], "proxy", &[]),
        p.class("", &["serviceaccounts"], "token", &[]),
    ];
    p.deciders(&classes, |l| l == Level::None)
        .into_iter()
        .map(|(i, req)| {
            p.finding(
                &META,
                &format!("rules[{i}]"),
                format!("rule {i} drops `{}` from the audit log", describe(&req)),
            )
        })
        .collect()
}

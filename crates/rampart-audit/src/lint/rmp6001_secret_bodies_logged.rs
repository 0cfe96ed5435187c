//! RMP6001: Secret or ConfigMap bodies are written to the audit log.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::PolicyCtx;
use crate::analysis::describe;
use crate::policy::Level;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6001",
    name: "audit-secret-bodies-logged",
    title: "Audit policy logs Secret or ConfigMap bodies",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1552"],
    what: "Finds the rules that actually decide Secret or ConfigMap requests at `Request` \
           level or above for writes (create, update, patch), or at `RequestResponse` for \
           any verb, once the rules before them are taken into account. A broad rule \
           (`{group: \"\"}`, `*`, no resources at all) placed before a Metadata rule for \
           Secrets is reported; the Secrets rule itself is unreachable (RMP6004).",
    why: "Request bodies of Secret writes, and every Secret get/list response, carry the \
          values: they land in the audit log in clear, wherever the log is shipped and \
          whoever can read it.",
    fix: "Put `- level: Metadata` with `resources: [{group: \"\", resources: [secrets, \
          configmaps]}]` before any broader rule with a higher level.",
    example: "rules:\n- level: Request\n  resources:\n  - group: \"\"\n- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [secrets]",
    references: &[
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy",
        "https://attack.mitre.org/techniques/T1552/",
    ],
};

pub(crate) fn check(p: &PolicyCtx<'_>) -> Vec<Finding> {
    let mut per_rule: Vec<(usize, String)> = Vec::new();
    for resource in ["secrets", "configmaps"] {
        let writes = p.class("", &[resource], "", &["create", "update", "patch"]);
        let reads = p.class("", &[resource], "", &[]);
        let mut hits = p.deciders(&[writes], |l| l >= Level::Request);
        hits.extend(p.deciders(&[reads], |l| l == Level::RequestResponse));
        for (i, req) in hits {
            if !per_rule.iter().any(|(j, _)| *j == i) {
                per_rule.push((i, describe(&req)));
            }
        }
    }
    per_rule.sort();
    per_rule
        .into_iter()
        .map(|(i, example)| {
            let level = p.policy.rules[i].level;
            p.finding(
                &META,
                &format!("rules[{i}]"),
                format!(
                    "rule {i} logs Secret/ConfigMap requests at {level}, with their values \
                     (e.g. `{example}`)"
                ),
            )
        })
        .collect()
}

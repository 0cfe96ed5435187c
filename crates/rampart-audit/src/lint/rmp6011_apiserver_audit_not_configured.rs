//! RMP6011: kube-apiserver runs without an audit policy or without an audit backend.

use rampart_manifest::Object;
use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::apiserver::apiservers;
use super::place;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6011",
    name: "apiserver-audit-not-configured",
    title: "kube-apiserver audit logging is not configured",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1562.008"],
    what: "In a kube-apiserver manifest (static pod), reports a missing \
           `--audit-policy-file`, or neither `--audit-log-path` nor \
           `--audit-webhook-config-file` set.",
    why: "Without a policy the API server audits nothing; without a backend the events go \
          nowhere. Either way there is no record of who did what in the cluster.",
    fix: "Set `--audit-policy-file` to a policy (see `rampart audit lint`) and \
          `--audit-log-path` (with rotation flags) or `--audit-webhook-config-file`.",
    example: "command:\n- kube-apiserver\n- --authorization-mode=Node,RBAC",
    references: &[
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ],
};

pub(crate) fn check(obj: &Object) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in apiservers(obj) {
        let path = s.flags_path.to_string();
        if s.flag("audit-policy-file").is_none_or(str::is_empty) {
            out.push(place(
                obj,
                &META,
                &path,
                "kube-apiserver has no --audit-policy-file: nothing is audited".to_string(),
            ));
        }
        let log = s.flag("audit-log-path").is_some_and(|v| !v.is_empty());
        let webhook = s
            .flag("audit-webhook-config-file")
            .is_some_and(|v| !v.is_empty());
        if !log && !webhook {
            out.push(place(
                obj,
                &META,
                &path,
                "kube-apiserver has neither --audit-log-path nor --audit-webhook-config-file: audit events go nowhere".to_string(),
            ));
        }
    }
    out
}

//! RMP6012: the audit log file has no rotation or retention limits.

use rampart_manifest::Object;
use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::apiserver::apiservers;
use super::place;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6012",
    name: "apiserver-audit-log-retention",
    title: "kube-apiserver audit log rotation flags missing",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &[],
    what: "In a kube-apiserver manifest that writes the audit log to a file \
           (`--audit-log-path` other than `-`), reports each missing \
           `--audit-log-maxage`, `--audit-log-maxbackup` and `--audit-log-maxsize`.",
    why: "Without them the log either grows until the disk is full (and the API server \
          stops auditing or serving) or is kept for an unknown time: too short for an \
          investigation, or longer than policy allows.",
    fix: "Set `--audit-log-maxage=30`, `--audit-log-maxbackup=10` and \
          `--audit-log-maxsize=100` (or your retention policy's values).",
    example: "command:\n- kube-apiserver\n- --audit-policy-file=/etc/kubernetes/audit.yaml\n- --audit-log-path=/var/log/kubernetes/audit.log",
    references: &[
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ],
};

pub(crate) fn check(obj: &Object) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in apiservers(obj) {
        let Some(path) = s
            .flag("audit-log-path")
            .filter(|p| !p.is_empty() && *p != "-")
        else {
            continue;
        };
        let missing: Vec<&str> = [
            "audit-log-maxage",
            "audit-log-maxbackup",
            "audit-log-maxsize",
        ]
        .into_iter()
        .filter(|f| s.flag(f).is_none_or(str::is_empty))
        .collect();
        if missing.is_empty() {
            continue;
        }
        let flags: Vec<String> = missing.iter().map(|f| format!("--{f}")).collect();
        out.push(place(
            obj,
            &META,
            &s.flags_path.to_string(),
            format!("audit log {path} is written without {}", flags.join(", ")),
        ));
    }
    out
}

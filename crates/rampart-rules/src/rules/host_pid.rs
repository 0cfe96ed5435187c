//! RMP1017 `host-pid`: the pod shares the node's process namespace.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1017",
    name: "host-pid",
    title: "Pod shares the node's process namespace (hostPID)",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1611", "T1055", "T1057"],
    what: "Reports pod specs with `hostPID: true`.",
    why: "With the host PID namespace the pod sees every process on the node, can read their \
          environment and command lines (secrets passed as arguments or variables) and, as root \
          or with `SYS_PTRACE`, enter them with `nsenter` — a complete node takeover.",
    fix: "Remove `hostPID: true`. Node monitoring agents that need it belong in a dedicated, \
          reviewed namespace.",
    example: "\
spec:
  hostPID: true
  containers:
  - name: app
    image: registry.example/app:1.4.2
",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        "https://attack.mitre.org/techniques/T1611/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    if pod.get("hostPID").and_then(Value::as_bool) == Some(true) {
        out.report(
            &META,
            "pod shares the node's process namespace (hostPID: true)",
            pod.path("hostPID"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_on_true_only() {
        assert_eq!(
            lines(
                &META,
                &pod("hostPID: true\ncontainers:\n- name: a\n  image: x\n")
            ),
            vec![6]
        );
        assert!(lines(
            &META,
            &pod("hostPID: false\ncontainers:\n- name: a\n  image: x\n")
        )
        .is_empty());
    }
}

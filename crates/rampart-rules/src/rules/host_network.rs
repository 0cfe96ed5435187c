//! RMP1019 `host-network`: the pod uses the node's network namespace.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1019",
    name: "host-network",
    title: "Pod uses the node's network namespace (hostNetwork)",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1040", "T1557", "T1046"],
    what: "Reports pod specs with `hostNetwork: true`.",
    why: "On the host network the pod bypasses NetworkPolicy, can sniff every pod's traffic on \
          the node, reach node-local services bound to localhost (kubelet read-only port, \
          metadata proxies, etcd on control-plane nodes) and bind any node port.",
    fix: "Remove `hostNetwork: true` and expose the workload through a Service. CNI and \
          node-level agents that need it belong in a dedicated, reviewed namespace.",
    example: "\
spec:
  hostNetwork: true
  containers:
  - name: app
    image: registry.example/app:1.4.2
",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    if pod.get("hostNetwork").and_then(Value::as_bool) == Some(true) {
        out.report(
            &META,
            "pod uses the node's network namespace (hostNetwork: true)",
            pod.path("hostNetwork"),
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
                &pod("hostNetwork: true\ncontainers:\n- name: a\n  image: x\n")
            ),
            vec![6]
        );
        assert!(lines(&META, &pod("containers:\n- name: a\n  image: x\n")).is_empty());
    }
}

//! RMP1030 `unsafe-sysctl`: the pod sets a sysctl outside the safe set.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1030",
    name: "unsafe-sysctl",
    title: "Pod sets an unsafe sysctl",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1611", "T1499"],
    what:
        "Reports each `spec.securityContext.sysctls[*].name` outside the Pod Security safe set \
           (as of Kubernetes 1.37): `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`, \
           `net.ipv4.ip_local_reserved_ports`, `net.ipv4.tcp_syncookies`, \
           `net.ipv4.ping_group_range`, `net.ipv4.ip_unprivileged_port_start`, \
           `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`, \
           `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes`, `net.ipv4.tcp_rmem`, \
           `net.ipv4.tcp_wmem`, `net.ipv4.tcp_slow_start_after_idle`, `net.ipv4.tcp_notsent_lowat`.",
    why: "Unsafe sysctls are not namespaced or not isolated: they change kernel behaviour for \
          every pod on the node, can exhaust its memory or weaken its network stack, and the \
          kubelet refuses them unless explicitly allowed.",
    fix: "Remove the sysctl, or tune the node itself and schedule the workload onto those nodes.",
    example: "\
spec:
  securityContext:
    sysctls:
    - name: kernel.msgmax
      value: \"65536\"
  containers:
  - name: app
    image: registry.example/app:1.4.2
",
    references: &[
        "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    ],
};

const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
];

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    let Some(list) = pod
        .get("securityContext")
        .and_then(|s| s.get("sysctls"))
        .and_then(Value::as_array)
    else {
        return;
    };
    for (i, s) in list.iter().enumerate() {
        let name = s.get("name").and_then(Value::as_str).unwrap_or("");
        if !SAFE.contains(&name) {
            let msg = format!("pod sets unsafe sysctl {name}");
            out.report(
                &META,
                msg,
                pod.path("securityContext")
                    .key("sysctls")
                    .index(i)
                    .key("name"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn only_names_outside_the_safe_set() {
        let y = pod("securityContext:\n  sysctls:\n  - name: net.ipv4.tcp_syncookies\n    value: \"1\"\n  - name: kernel.msgmax\n    value: \"1\"\ncontainers:\n- name: a\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![10]);
    }
}

//! RMP1018 `host-ipc`: the pod shares the node's IPC namespace.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1018",
    name: "host-ipc",
    title: "Pod shares the node's IPC namespace (hostIPC)",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1611", "T1005"],
    what: "Reports pod specs with `hostIPC: true`.",
    why: "The host IPC namespace exposes the node's System V shared memory, semaphores and \
          message queues: the pod can read or corrupt data that other processes on the node \
          exchange through them.",
    fix: "Remove `hostIPC: true`; share memory between containers of one pod with an \
          `emptyDir` of `medium: Memory` instead.",
    example: "\
spec:
  hostIPC: true
  containers:
  - name: app
    image: registry.example/app:1.4.2
",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        "https://man7.org/linux/man-pages/man7/ipc_namespaces.7.html",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    if pod.get("hostIPC").and_then(Value::as_bool) == Some(true) {
        out.report(
            &META,
            "pod shares the node's IPC namespace (hostIPC: true)",
            pod.path("hostIPC"),
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
                &pod("containers:\n- name: a\n  image: x\nhostIPC: true\n")
            ),
            vec![9]
        );
        assert!(lines(
            &META,
            &pod("hostIPC: false\ncontainers:\n- name: a\n  image: x\n")
        )
        .is_empty());
    }
}

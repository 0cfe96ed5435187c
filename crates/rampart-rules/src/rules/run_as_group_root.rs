//! RMP1004 `run-as-group-root`: the container's primary group is GID 0.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1004",
    name: "run-as-group-root",
    title: "Container runs with the root group (runAsGroup: 0)",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1611", "T1068"],
    what: "Reports containers whose effective `runAsGroup` (container over pod) is `0`. Pods in a \
           user namespace (`hostUsers: false`) are exempt.",
    why:
        "GID 0 owns much of a node's file system (`/etc`, device nodes, runtime sockets are often \
          group root). Through any host mount or escape the process gets group-root access to \
          them.",
    fix: "Set `runAsGroup` to a non-zero GID, and use `fsGroup` for shared volume access.",
    example: "\
spec:
  securityContext:
    runAsUser: 10001
    runAsGroup: 0
  containers:
  - name: app
    image: registry.example/app:1.4.2
",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        "https://kubernetes.io/docs/concepts/security/linux-kernel-security-constraints/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    if pod.user_namespace {
        return;
    }
    for c in &pod.containers {
        let s = &c.sc.run_as_group;
        if s.as_i64() == Some(0) {
            let msg = format!(
                "{} runs with group root (runAsGroup: 0){}",
                c.label(),
                s.source_note()
            );
            out.report_in(&META, c, msg, c.sc.path(s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn container_gid_wins() {
        let y = pod("securityContext:\n  runAsGroup: 0\ncontainers:\n- name: a\n  image: x\n  securityContext:\n    runAsGroup: 3000\n");
        assert!(lines(&META, &y).is_empty());
        let y = pod("containers:\n- name: a\n  image: x\n  securityContext:\n    runAsGroup: 0\n");
        assert_eq!(lines(&META, &y), vec![10]);
    }
}

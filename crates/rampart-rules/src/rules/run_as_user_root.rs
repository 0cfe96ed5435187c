//! RMP1003 `run-as-user-root`: the container runs as UID 0.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1003",
    name: "run-as-user-root",
    title: "Container runs as root (runAsUser: 0)",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1611", "T1068"],
    what: "Reports containers whose effective `runAsUser` (container over pod) is `0`. Pods in a \
           user namespace (`hostUsers: false`) are exempt: their UID 0 maps to an unprivileged \
           node user.",
    why: "UID 0 in a container is UID 0 on the node's kernel. Every container escape, every \
          writable host mount and every leaked capability is worth far more to an attacker who is \
          already root.",
    fix: "Set `runAsUser` to a non-zero UID (10000 or above avoids clashing with node users) and \
          `runAsNonRoot: true`; fix file ownership in the image instead of running as root.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    securityContext:
      runAsUser: 0
",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    if pod.user_namespace {
        return;
    }
    for c in &pod.containers {
        let s = &c.sc.run_as_user;
        if s.as_i64() == Some(0) {
            let msg = format!(
                "{} runs as root (runAsUser: 0){}",
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
    fn container_uid_overrides_pod_root() {
        let y = pod("securityContext:\n  runAsUser: 0\ncontainers:\n- name: a\n  image: x\n  securityContext:\n    runAsUser: 1000\n- name: b\n  image: x\n  securityContext:\n    runAsUser: 0\n");
        assert_eq!(lines(&META, &y), vec![16]);
    }

    #[test]
    fn inherited_root_is_reported_at_the_pod() {
        let y = pod("securityContext:\n  runAsUser: 0\ninitContainers:\n- name: i\n  image: x\ncontainers:\n- name: a\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![7, 7]);
    }
}

//! RMP1001 `run-as-non-root-missing`: nothing stops the container from running as root.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1001",
    name: "run-as-non-root-missing",
    title: "Container may run as root: runAsNonRoot is not set",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1611", "T1068"],
    what: "Reports containers whose effective security context (container over pod) sets neither \
           `runAsNonRoot: true` nor a non-zero `runAsUser`. Pods in a user namespace \
           (`hostUsers: false`) are exempt.",
    why: "Without either field the container runs as whatever user the image names, which is root \
          for most images. Root in a container shares UID 0 with the node; one kernel or runtime \
          bug away from owning it, and able to read any file mounted into the pod.",
    fix: "Set `securityContext.runAsNonRoot: true` (pod or container level) and build the image \
          with a non-root `USER`, or set `runAsUser` to a non-zero UID.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    # no runAsNonRoot, no runAsUser
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
        let s = &c.sc.run_as_non_root;
        if s.is_set() || c.sc.run_as_user.as_i64().is_some_and(|u| u > 0) {
            continue;
        }
        let msg = format!(
            "{} sets neither runAsNonRoot: true nor a non-zero runAsUser; it runs as the image's user, often root",
            c.label()
        );
        out.report_in(&META, c, msg, c.sc.path(s));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_on_missing_field_at_nearest_parent() {
        let y =
            pod("containers:\n- name: a\n  image: x\n  securityContext:\n    privileged: false\n");
        assert_eq!(lines(&META, &y), vec![9]);
    }

    #[test]
    fn pod_level_value_or_uid_satisfies_it() {
        let y = pod("securityContext:\n  runAsNonRoot: true\ncontainers:\n- name: a\n  image: x\n");
        assert!(lines(&META, &y).is_empty());
        let y = pod("securityContext:\n  runAsUser: 1000\ncontainers:\n- name: a\n  image: x\n");
        assert!(lines(&META, &y).is_empty());
        let y = pod("hostUsers: false\ncontainers:\n- name: a\n  image: x\n");
        assert!(lines(&META, &y).is_empty());
    }
}

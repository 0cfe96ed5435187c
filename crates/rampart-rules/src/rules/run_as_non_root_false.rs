//! RMP1002 `run-as-non-root-false`: the container explicitly allows running as root.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1002",
    name: "run-as-non-root-false",
    title: "runAsNonRoot is explicitly false",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1611", "T1068"],
    what: "Reports containers whose effective `runAsNonRoot` is `false`: set on the container, or \
           set on the pod and not overridden by the container. Pods in a user namespace \
           (`hostUsers: false`) are exempt.",
    why:
        "`runAsNonRoot: false` switches off the kubelet's check that refuses to start a container \
          as UID 0. It is almost always a workaround for an image that runs as root, and root in a \
          container is root on the node's kernel.",
    fix: "Set `runAsNonRoot: true` and run the image as a non-root user (`USER 10001` in the \
          Dockerfile, or `runAsUser`). If one container truly needs root, override it on that \
          container only.",
    example: "\
spec:
  securityContext:
    runAsNonRoot: false
  containers:
  - name: app
    image: registry.example/app:1.4.2
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
        if s.as_bool() == Some(false) {
            let msg = format!("{} has runAsNonRoot: false{}", c.label(), s.source_note());
            out.report_in(&META, c, msg, c.sc.path(s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod, run};

    #[test]
    fn inherited_false_points_at_the_pod_field() {
        let y =
            pod("securityContext:\n  runAsNonRoot: false\ncontainers:\n- name: a\n  image: x\n");
        let f = run(&META, &y);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].line, f[0].column), (7, 5));
        assert_eq!(f[0].container.as_deref(), Some("a"));
    }

    #[test]
    fn container_true_overrides_pod_false() {
        let y = pod("securityContext:\n  runAsNonRoot: false\ncontainers:\n- name: a\n  image: x\n  securityContext:\n    runAsNonRoot: true\n- name: b\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![7]);
        assert_eq!(run(&META, &y)[0].container.as_deref(), Some("b"));
    }
}

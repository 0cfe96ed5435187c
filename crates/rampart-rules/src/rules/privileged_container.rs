//! RMP1016 `privileged-container`: the container runs privileged.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1016",
    name: "privileged-container",
    title: "Container runs privileged",
    severity: Severity::Critical,
    category: Category::Workload,
    mitre: &["T1611", "T1610"],
    what: "Reports containers (regular, init and ephemeral) with \
           `securityContext.privileged: true`. There is no pod-level field.",
    why: "A privileged container has every capability, every host device, no seccomp, AppArmor \
          or SELinux confinement and a writable `/sys`: escaping to the node is a single `mount` \
          of the host disk.",
    fix: "Remove `privileged: true`. Grant the specific capability or device the workload needs \
          (device plugins, CSI drivers) instead.",
    example: "\
spec:
  containers:
  - name: agent
    image: registry.example/agent:3.1
    securityContext:
      privileged: true
",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for c in &pod.containers {
        let s = &c.sc.privileged;
        if s.as_bool() == Some(true) {
            let msg = format!("{} runs privileged", c.label());
            out.report_in(&META, c, msg, c.sc.path(s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod, run};

    #[test]
    fn points_at_the_field() {
        let y = pod("containers:\n- name: a\n  image: x\n  securityContext:\n    privileged: true\n- name: b\n  image: x\n  securityContext:\n    privileged: false\n");
        let f = run(&META, &y);
        assert_eq!((f[0].line, f[0].column), (10, 7));
        assert_eq!(
            f[0].path.as_ref().map(ToString::to_string).as_deref(),
            Some("spec.containers[0].securityContext.privileged")
        );
        assert_eq!(lines(&META, &y).len(), 1);
    }
}

//! RMP1026 `seccomp-unconfined`: the container explicitly runs without seccomp.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1026",
    name: "seccomp-unconfined",
    title: "Seccomp profile is Unconfined",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1611", "T1562.001"],
    what: "Reports containers whose effective `seccompProfile.type` (container over pod) is \
           `Unconfined`. A container that sets `RuntimeDefault` overrides an `Unconfined` pod.",
    why: "`Unconfined` switches seccomp off on purpose, also on nodes that enable \
          `--seccomp-default`: every system call, including those behind most kernel container \
          escapes, is available to an intruder.",
    fix: "Use `type: RuntimeDefault`, or a `Localhost` profile that allows the extra calls the \
          workload needs.",
    example: "\
spec:
  securityContext:
    seccompProfile:
      type: Unconfined
  containers:
  - name: app
    image: registry.example/app:1.4.2
",
    references: &[
        "https://kubernetes.io/docs/tutorials/security/seccomp/",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for c in &pod.containers {
        let s = &c.sc.seccomp_profile;
        if s.get("type").and_then(serde_json::Value::as_str) == Some("Unconfined") {
            let msg = format!(
                "{} runs with seccomp Unconfined{}",
                c.label(),
                s.source_note()
            );
            out.report_in(&META, c, msg, c.sc.path_to(s, &["type"]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn container_runtime_default_overrides_pod_unconfined() {
        let y = pod("securityContext:\n  seccompProfile:\n    type: Unconfined\ncontainers:\n- name: a\n  image: x\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n- name: b\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![8]);
    }
}

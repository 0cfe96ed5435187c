//! RMP1025 `seccomp-profile-missing`: no seccomp profile applies to the container.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1025",
    name: "seccomp-profile-missing",
    title: "No seccomp profile is set",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1611", "T1068"],
    what: "Reports containers whose effective `seccompProfile` (container over pod) is not set. \
           The legacy `seccomp.security.alpha.kubernetes.io` annotations do not count: current \
           Kubernetes ignores them (see RMP1053). Windows pods are skipped.",
    why: "Without a profile the container runs `Unconfined` unless every node enables the \
          kubelet's `--seccomp-default`: all ~400 system calls stay open, including the rarely \
          needed ones (`keyctl`, `unshare`, `bpf`, `userfaultfd`) that most kernel escapes use.",
    fix: "Set `securityContext.seccompProfile.type: RuntimeDefault` at pod level (or `Localhost` \
          with a profile you ship).",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    securityContext:
      runAsNonRoot: true
",
    references: &[
        "https://kubernetes.io/docs/tutorials/security/seccomp/",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    if pod.windows {
        return;
    }
    for c in &pod.containers {
        let s = &c.sc.seccomp_profile;
        if !s.is_set() {
            let msg = format!(
                "{} has no seccomp profile (neither container nor pod sets seccompProfile)",
                c.label()
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
    fn pod_profile_covers_every_container() {
        let y = pod("securityContext:\n  seccompProfile:\n    type: RuntimeDefault\ncontainers:\n- name: a\n  image: x\n");
        assert!(lines(&META, &y).is_empty());
        let y = pod("containers:\n- name: a\n  image: x\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n- name: b\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![12]);
    }
}

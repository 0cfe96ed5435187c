//! RMP1009 `cap-all`: the container adds every capability.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::caps;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1009",
    name: "cap-all",
    title: "Container adds ALL capabilities",
    severity: Severity::Critical,
    category: Category::Workload,
    mitre: &["T1611"],
    what: "Reports `ALL` in `securityContext.capabilities.add` of any container.",
    why:
        "Adding `ALL` grants every Linux capability — `SYS_ADMIN`, `SYS_MODULE`, `SYS_PTRACE` and \
          the rest — which is `privileged: true` in all but name: loading kernel modules or \
          mounting the host disk is then a command away.",
    fix: "Remove `ALL` from `add`; drop `ALL` instead and add back the one or two capabilities \
          the process needs.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    securityContext:
      capabilities:
        add: [ALL]
",
    references: &[
        "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    caps::report_added(ctx, out, &META, |c| c == "ALL");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_on_add_not_drop() {
        let y = pod("containers:\n- name: a\n  image: x\n  securityContext:\n    capabilities:\n      drop: [ALL]\n- name: b\n  image: x\n  securityContext:\n    capabilities:\n      add: [\"ALL\"]\n");
        assert_eq!(lines(&META, &y), vec![16]);
    }
}

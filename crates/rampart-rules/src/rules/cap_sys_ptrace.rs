//! RMP1012 `cap-sys-ptrace`: the container adds CAP_SYS_PTRACE.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::caps;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1012",
    name: "cap-sys-ptrace",
    title: "Container adds the SYS_PTRACE capability",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1055", "T1003"],
    what: "Reports `SYS_PTRACE` in `securityContext.capabilities.add` of any container.",
    why: "`SYS_PTRACE` lets a process attach to and inject code into other processes and read \
          their memory — secrets and tokens of sibling containers with a shared process \
          namespace, and of the whole node with `hostPID: true`.",
    fix: "Remove `SYS_PTRACE`. Debug with an ephemeral container (`kubectl debug --profile`) \
          when needed instead of shipping the capability.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    securityContext:
      capabilities:
        add: [SYS_PTRACE]
",
    references: &[
        "https://man7.org/linux/man-pages/man2/ptrace.2.html",
        "https://man7.org/linux/man-pages/man7/capabilities.7.html",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    caps::report_added(ctx, out, &META, |c| c == "SYS_PTRACE");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn ephemeral_containers_are_covered() {
        let y = pod("containers:\n- name: a\n  image: x\nephemeralContainers:\n- name: dbg\n  image: x\n  securityContext:\n    capabilities:\n      add: [SYS_PTRACE]\n");
        assert_eq!(lines(&META, &y), vec![14]);
    }
}

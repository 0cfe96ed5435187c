//! RMP1013 `cap-sys-module`: the container adds CAP_SYS_MODULE.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::caps;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1013",
    name: "cap-sys-module",
    title: "Container adds the SYS_MODULE capability",
    severity: Severity::Critical,
    category: Category::Workload,
    mitre: &["T1547.006", "T1611", "T1014"],
    what: "Reports `SYS_MODULE` in `securityContext.capabilities.add` of any container.",
    why: "`SYS_MODULE` loads kernel modules: arbitrary code in the node's kernel, a rootkit that \
          hides from every container and from the node itself.",
    fix: "Remove `SYS_MODULE`. Load the modules a workload needs at node provisioning time.",
    example: "\
spec:
  containers:
  - name: driver
    image: registry.example/driver:2.0
    securityContext:
      capabilities:
        add: [SYS_MODULE]
",
    references: &[
        "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        "https://attack.mitre.org/techniques/T1547/006/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    caps::report_added(ctx, out, &META, |c| c == "SYS_MODULE");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_at_the_capability() {
        let y = pod("containers:\n- name: a\n  image: x\n  securityContext:\n    capabilities:\n      add: [SYS_MODULE]\n");
        assert_eq!(lines(&META, &y), vec![11]);
    }
}

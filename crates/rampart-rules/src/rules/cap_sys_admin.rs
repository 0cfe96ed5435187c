//! RMP1008 `cap-sys-admin`: the container adds CAP_SYS_ADMIN.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::caps;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1008",
    name: "cap-sys-admin",
    title: "Container adds the SYS_ADMIN capability",
    severity: Severity::Critical,
    category: Category::Workload,
    mitre: &["T1611"],
    what: "Reports `SYS_ADMIN` (also spelt `CAP_SYS_ADMIN` or in lower case) in \
           `securityContext.capabilities.add` of any container.",
    why: "`SYS_ADMIN` is the \"new root\": it allows mounting file systems, using cgroup \
          `release_agent`, `unshare` and many kernel interfaces that lead straight out of the \
          container onto the node.",
    fix: "Remove `SYS_ADMIN`. For FUSE or mounts, use a CSI driver or a device plugin; for \
          debugging, use an ephemeral container on a dedicated node.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    securityContext:
      capabilities:
        add: [SYS_ADMIN]
",
    references: &[
        "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    caps::report_added(ctx, out, &META, |c| c == "SYS_ADMIN");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn any_spelling_fires_at_the_list_item() {
        let y = pod("containers:\n- name: a\n  image: x\n  securityContext:\n    capabilities:\n      add:\n      - CHOWN\n      - cap_sys_admin\n");
        assert_eq!(lines(&META, &y), vec![13]);
    }
}

//! RMP1011 `cap-net-admin`: the container adds CAP_NET_ADMIN.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::caps;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1011",
    name: "cap-net-admin",
    title: "Container adds the NET_ADMIN capability",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1557", "T1562.004"],
    what: "Reports `NET_ADMIN` in `securityContext.capabilities.add` of any container.",
    why: "`NET_ADMIN` rewrites interfaces, routes and firewall rules. In a pod on the host \
          network it rewrites the node's; in any pod it can bypass NetworkPolicy enforcement \
          that relies on in-pod rules and intercept traffic.",
    fix: "Remove `NET_ADMIN`. Service meshes offer a CNI plugin instead of an init container with \
          `NET_ADMIN`; network agents belong in a dedicated, reviewed DaemonSet.",
    example: "\
spec:
  initContainers:
  - name: iptables-init
    image: registry.example/proxy-init:1.2
    securityContext:
      capabilities:
        add: [NET_ADMIN]
",
    references: &[
        "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        "https://istio.io/latest/docs/setup/additional-setup/cni/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    caps::report_added(ctx, out, &META, |c| c == "NET_ADMIN");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_once_per_added_entry() {
        let y = pod("containers:\n- name: a\n  image: x\n  securityContext:\n    capabilities:\n      add: [NET_ADMIN, NET_BIND_SERVICE]\n");
        assert_eq!(lines(&META, &y), vec![11]);
    }
}

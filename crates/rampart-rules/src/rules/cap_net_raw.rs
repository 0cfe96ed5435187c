//! RMP1010 `cap-net-raw`: the container adds CAP_NET_RAW.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::caps;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1010",
    name: "cap-net-raw",
    title: "Container adds the NET_RAW capability",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1040", "T1557"],
    what: "Reports `NET_RAW` in `securityContext.capabilities.add` of any container.",
    why: "Raw sockets let a process forge packets: ARP and DNS spoofing of neighbouring pods, \
          sniffing on the pod network, and the IPv6 router-advertisement attack \
          (CVE-2020-10749) that redirects a node's traffic.",
    fix: "Remove `NET_RAW` from `add` and drop `ALL`. `ping` works without it when the sysctl \
          `net.ipv4.ping_group_range` allows the pod's group.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    securityContext:
      capabilities:
        add: [NET_RAW]
",
    references: &[
        "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        "https://github.com/kubernetes/kubernetes/issues/91507",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    caps::report_added(ctx, out, &META, |c| c == "NET_RAW");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn init_containers_are_covered() {
        let y = pod("initContainers:\n- name: i\n  image: x\n  securityContext:\n    capabilities:\n      add: [CAP_NET_RAW]\ncontainers:\n- name: a\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![11]);
    }
}

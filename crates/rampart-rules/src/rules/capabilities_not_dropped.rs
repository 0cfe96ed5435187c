//! RMP1007 `capabilities-not-dropped`: the container keeps the runtime's default capabilities.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::caps;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1007",
    name: "capabilities-not-dropped",
    title: "Capabilities are not dropped (drop: [ALL] missing)",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1611", "T1068"],
    what: "Reports containers whose `securityContext.capabilities.drop` does not contain `ALL`. \
           There is no pod-level field. Windows pods are skipped.",
    why: "Container runtimes grant a default set of capabilities — including `NET_RAW` \
          (packet spoofing), `CHOWN`, `DAC_OVERRIDE`, `SETUID` and `MKNOD` — that almost no \
          application needs and that every escape technique is happy to use.",
    fix: "Add `capabilities: {drop: [ALL]}` and add back only what the application needs, \
          typically nothing or `NET_BIND_SERVICE`.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    securityContext:
      capabilities:
        drop: [NET_RAW]
",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
        "https://man7.org/linux/man-pages/man7/capabilities.7.html",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    if pod.windows {
        return;
    }
    for c in &pod.containers {
        if caps::list(c, "drop").any(|(_, n)| caps::normalize(n) == "ALL") {
            continue;
        }
        let msg = format!("{} does not drop ALL capabilities", c.label());
        out.report_in(&META, c, msg, c.sc.path_to(&c.sc.capabilities, &["drop"]));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn points_at_drop_list_or_nearest_parent() {
        let y = pod("containers:\n- name: a\n  image: x\n  securityContext:\n    capabilities:\n      drop: [NET_RAW]\n- name: b\n  image: x\n  securityContext:\n    capabilities:\n      drop: [all]\n- name: c\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![11, 17]);
    }
}

//! RMP1034 `memory-limit-missing`: a container has no memory limit.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::resources;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1034",
    name: "memory-limit-missing",
    title: "Container has no memory limit",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1499"],
    what: "Reports containers and init containers without `resources.limits.memory`. Pod-level \
           `spec.resources` covers every container; ephemeral containers cannot have resources.",
    why: "A container without a memory limit can exhaust the node's memory: the kernel OOM killer \
          then takes down other pods, or the kubelet and runtime themselves — a denial of service \
          from one leaky or malicious pod.",
    fix: "Set `resources.limits.memory` (usually equal to the request), or enforce a default with \
          a LimitRange.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    resources:
      requests:
        cpu: 100m
        memory: 128Mi
",
    references: &[
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        "https://kubernetes.io/docs/concepts/policy/limit-range/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    resources::report_missing(ctx, out, &META, "limits", "memory");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_per_container() {
        let y = pod("containers:\n- name: a\n  image: x\n  resources:\n    limits:\n      memory: 1Gi\n- name: b\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![12]);
    }
}

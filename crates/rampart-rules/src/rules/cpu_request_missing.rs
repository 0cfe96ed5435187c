//! RMP1031 `cpu-request-missing`: a container has no CPU request.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::resources;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1031",
    name: "cpu-request-missing",
    title: "Container has no CPU request",
    severity: Severity::Low,
    category: Category::Workload,
    mitre: &["T1499", "T1496"],
    what: "Reports containers and init containers without `resources.requests.cpu`. A limit \
           counts (the request then defaults to it); pod-level `spec.resources` covers every \
           container; ephemeral containers cannot have resources.",
    why: "The scheduler places pods by their requests. Without one the pod is BestEffort for CPU: \
          it may land on a saturated node, and a busy or hijacked neighbour (cryptominer) starves \
          it.",
    fix: "Set `resources.requests.cpu` to the CPU the container needs under normal load, e.g. \
          `250m`.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    resources:
      limits:
        memory: 256Mi
",
    references: &[
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        "https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    resources::report_missing(ctx, out, &META, "requests", "cpu");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn a_limit_counts_and_ephemeral_containers_are_skipped() {
        let y = pod("initContainers:\n- name: i\n  image: x\ncontainers:\n- name: a\n  image: x\n  resources:\n    limits:\n      cpu: 1\nephemeralContainers:\n- name: e\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![7]);
    }
}

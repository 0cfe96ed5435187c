//! RMP1032 `memory-request-missing`: a container has no memory request.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::resources;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1032",
    name: "memory-request-missing",
    title: "Container has no memory request",
    severity: Severity::Low,
    category: Category::Workload,
    mitre: &["T1499"],
    what: "Reports containers and init containers without `resources.requests.memory`. A limit \
           counts (the request then defaults to it); pod-level `spec.resources` covers every \
           container; ephemeral containers cannot have resources.",
    why: "Without a memory request the scheduler does not reserve memory for the container, so \
          nodes are overcommitted and this pod is among the first evicted or OOM-killed under \
          pressure.",
    fix: "Set `resources.requests.memory` to the container's working set, e.g. `256Mi`.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    resources:
      requests:
        cpu: 100m
",
    references: &[
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    resources::report_missing(ctx, out, &META, "requests", "memory");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn points_at_the_requests_map_when_it_exists() {
        let y = pod(
            "containers:\n- name: a\n  image: x\n  resources:\n    requests:\n      cpu: 100m\n",
        );
        assert_eq!(lines(&META, &y), vec![10]);
    }
}

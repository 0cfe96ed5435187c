//! RMP1033 `cpu-limit-missing`: a container has no CPU limit.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::resources;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1033",
    name: "cpu-limit-missing",
    title: "Container has no CPU limit",
    severity: Severity::Low,
    category: Category::Workload,
    mitre: &["T1496", "T1499"],
    what: "Reports containers and init containers without `resources.limits.cpu`. Pod-level \
           `spec.resources` covers every container; ephemeral containers cannot have resources.",
    why: "An unbounded container can take every idle CPU cycle of the node; a compromised one is \
          a free cryptominer and slows every other pod scheduled there.",
    fix: "Set `resources.limits.cpu`, or enforce a default with a LimitRange in the namespace.",
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
    resources::report_missing(ctx, out, &META, "limits", "cpu");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn pod_level_resources_cover_all_containers() {
        let y = pod("resources:\n  limits:\n    cpu: 2\ncontainers:\n- name: a\n  image: x\n");
        assert!(lines(&META, &y).is_empty());
        let y = pod("containers:\n- name: a\n  image: x\n  resources: {}\n");
        assert_eq!(lines(&META, &y), vec![9]);
    }
}

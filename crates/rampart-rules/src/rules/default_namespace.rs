//! RMP1049 `default-namespace`: a workload is placed in the `default` namespace.

use rampart_model::{Category, JsonPath, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1049",
    name: "default-namespace",
    title: "Workload in the default namespace",
    severity: Severity::Low,
    category: Category::Workload,
    mitre: &["T1610"],
    what: "Reports pod-bearing objects whose `metadata.namespace` is explicitly `default`. \
           Objects without a namespace are not reported: where they land depends on how they \
           are applied.",
    why: "`default` is where everything without a home ends up: it rarely has Pod Security \
          labels, NetworkPolicies, quotas or narrow RBAC, so a workload there shares its blast \
          radius with every stray pod and every user who can create objects in it.",
    fix: "Create a namespace per application or team, with Pod Security labels, a default-deny \
          NetworkPolicy and a ResourceQuota, and deploy there.",
    example: "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
",
    references: &[
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
        "https://kubernetes.io/docs/concepts/security/multi-tenancy/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    if ctx.pod.is_some() && ctx.object.id.namespace == "default" {
        out.report(
            &META,
            "workload is placed in the default namespace",
            JsonPath::parse("metadata.namespace"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::lines;

    #[test]
    fn explicit_default_only() {
        let y = "kind: Pod\nmetadata:\n  name: p\n  namespace: default\nspec:\n  containers: []\n---\nkind: Pod\nmetadata:\n  name: q\nspec:\n  containers: []\n---\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n";
        assert_eq!(lines(&META, y), vec![4]);
    }
}

//! RMP1050 `kube-system-namespace`: a workload is placed in `kube-system`.

use rampart_model::{Category, JsonPath, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1050",
    name: "kube-system-namespace",
    title: "Workload in the kube-system namespace",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1610", "T1036.005"],
    what: "Reports pod-bearing objects whose `metadata.namespace` is `kube-system`.",
    why: "`kube-system` holds the control plane's add-ons and their highly privileged service \
          accounts and secrets; it is usually exempt from Pod Security and admission policies. \
          A workload there can read those secrets, hides among system pods and escapes the \
          policies that guard other namespaces.",
    fix: "Deploy applications — and third-party add-ons where possible — into their own \
          namespaces.",
    example: "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: kube-system
",
    references: &[
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces",
        "https://attack.mitre.org/techniques/T1036/005/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    if ctx.pod.is_some() && ctx.object.id.namespace == "kube-system" {
        out.report(
            &META,
            "workload is placed in the kube-system namespace",
            JsonPath::parse("metadata.namespace"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::lines;

    #[test]
    fn pod_bearing_objects_only() {
        let y = "kind: DaemonSet\nmetadata:\n  name: d\n  namespace: kube-system\nspec:\n  template:\n    spec:\n      containers: []\n---\nkind: Service\nmetadata:\n  name: s\n  namespace: kube-system\n";
        assert_eq!(lines(&META, y), vec![4]);
    }
}

//! RMP1044 `service-node-port`: the Service opens a port on every node.

use rampart_model::{Category, JsonPath, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1044",
    name: "service-node-port",
    title: "Service of type NodePort",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1133", "T1190"],
    what: "Reports Services with `spec.type: NodePort`.",
    why: "A NodePort opens the same port on every node's address, usually reachable from \
          everything that reaches the nodes and outside any ingress controller's TLS, \
          authentication and rate limiting.",
    fix: "Use `ClusterIP` behind an Ingress or Gateway, or a LoadBalancer restricted with \
          `loadBalancerSourceRanges`.",
    example: "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
  - port: 80
    nodePort: 30080
",
    references: &[
        "https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport",
        "https://kubernetes.io/docs/concepts/services-networking/ingress/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    if ctx.kind() != "Service" {
        return;
    }
    let ty = ctx
        .json()
        .get("spec")
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str);
    if ty == Some("NodePort") {
        out.report(
            &META,
            "Service of type NodePort opens a port on every node",
            JsonPath::parse("spec.type"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::lines;

    #[test]
    fn fires_on_node_port_services() {
        let y = "kind: Service\nmetadata:\n  name: s\nspec:\n  type: NodePort\n---\nkind: Service\nmetadata:\n  name: t\nspec:\n  type: ClusterIP\n";
        assert_eq!(lines(&META, y), vec![5]);
    }
}

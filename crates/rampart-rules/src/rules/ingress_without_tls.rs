//! RMP1047 `ingress-without-tls`: the Ingress serves plain HTTP.

use rampart_model::{Category, JsonPath, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1047",
    name: "ingress-without-tls",
    title: "Ingress without TLS",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1040", "T1557"],
    what: "Reports Ingresses with no `spec.tls` entry.",
    why: "Without TLS, credentials, session cookies and data cross the network in clear text and \
          can be read or altered by anyone on the path.",
    fix: "Add a `spec.tls` entry naming the hosts and a certificate Secret (cert-manager can \
          issue and renew it).",
    example: "\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: web, port: {number: 80}}
",
    references: &[
        "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
        "https://cert-manager.io/docs/usage/ingress/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    if ctx.kind() != "Ingress" {
        return;
    }
    let tls = ctx
        .json()
        .get("spec")
        .and_then(|s| s.get("tls"))
        .and_then(Value::as_array);
    if tls.is_none_or(Vec::is_empty) {
        out.report(
            &META,
            "Ingress has no TLS configuration and serves plain HTTP",
            JsonPath::parse("spec.tls"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::lines;

    #[test]
    fn points_at_spec_when_tls_is_missing() {
        let y = "kind: Ingress\nmetadata:\n  name: i\nspec:\n  rules: []\n---\nkind: Ingress\nmetadata:\n  name: j\nspec:\n  tls:\n  - hosts: [a.example]\n";
        assert_eq!(lines(&META, y), vec![4]);
    }
}

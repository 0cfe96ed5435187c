//! RMP1046 `service-external-ips`: the Service claims external IPs (CVE-2020-8554).

use rampart_model::{Category, JsonPath, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1046",
    name: "service-external-ips",
    title: "Service sets externalIPs (CVE-2020-8554)",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1557"],
    what: "Reports Services with a non-empty `spec.externalIPs`.",
    why: "kube-proxy routes traffic for any address listed in `externalIPs` to the Service, \
          cluster-wide and without checking who owns the address. Anyone who may create Services \
          can intercept the cluster's traffic to that IP — a design flaw tracked as \
          CVE-2020-8554 that Kubernetes will not fix.",
    fix: "Remove `externalIPs`; use a LoadBalancer or Ingress. Block the field cluster-wide with \
          the `DenyServiceExternalIPs` admission plugin or a policy.",
    example: "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  externalIPs:
  - 203.0.113.10
  ports:
  - port: 80
",
    references: &[
        "https://github.com/kubernetes/kubernetes/issues/97076",
        "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#denyserviceexternalips",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    if ctx.kind() != "Service" {
        return;
    }
    let ips = ctx
        .json()
        .get("spec")
        .and_then(|s| s.get("externalIPs"))
        .and_then(Value::as_array);
    if let Some(ips) = ips.filter(|i| !i.is_empty()) {
        let list: Vec<&str> = ips.iter().filter_map(Value::as_str).collect();
        let msg = format!(
            "Service claims external IPs {} (CVE-2020-8554)",
            list.join(", ")
        );
        out.report(&META, msg, JsonPath::parse("spec.externalIPs"));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::lines;

    #[test]
    fn non_empty_lists_only() {
        let y = "kind: Service\nmetadata:\n  name: s\nspec:\n  externalIPs: [1.2.3.4]\n---\nkind: Service\nmetadata:\n  name: t\nspec:\n  externalIPs: []\n";
        assert_eq!(lines(&META, y), vec![5]);
    }
}

//! RMP1045 `load-balancer-open`: a LoadBalancer Service accepts traffic from anywhere.

use rampart_model::{Category, JsonPath, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1045",
    name: "load-balancer-open",
    title: "LoadBalancer Service without loadBalancerSourceRanges",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1133", "T1190"],
    what: "Reports Services of `type: LoadBalancer` that set no `loadBalancerSourceRanges` (nor the \
           `service.beta.kubernetes.io/load-balancer-source-ranges` annotation), and each range \
           that is `0.0.0.0/0` or `::/0`. Load balancers marked internal by a cloud annotation \
           (AWS, GCP, Azure, OCI, IBM, OpenStack) are skipped.",
    why: "A public load balancer without source ranges exposes the workload to the whole \
          Internet — scanners find new load balancers within minutes — including admin and \
          metrics ports that were only meant for a few networks.",
    fix: "Set `spec.loadBalancerSourceRanges` to the client networks, or mark the load balancer \
          internal, or put the workload behind an Ingress.",
    example: "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  ports:
  - port: 443
",
    references: &[
        "https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer",
        "https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#restrict-access-for-loadbalancer-service",
    ],
};

const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

fn internal(ctx: &RuleContext<'_>) -> bool {
    let a = |k: &str| ctx.object.annotation(k);
    a("service.beta.kubernetes.io/aws-load-balancer-internal").is_some_and(|v| v != "false")
        || a("service.beta.kubernetes.io/aws-load-balancer-scheme") == Some("internal")
        || a("networking.gke.io/load-balancer-type") == Some("Internal")
        || a("cloud.google.com/load-balancer-type") == Some("Internal")
        || a("service.beta.kubernetes.io/azure-load-balancer-internal") == Some("true")
        || a("service.beta.kubernetes.io/oci-load-balancer-internal") == Some("true")
        || a("service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type") == Some("private")
        || a("service.beta.kubernetes.io/openstack-internal-load-balancer") == Some("true")
}

fn open(range: &str) -> bool {
    matches!(range.trim(), "0.0.0.0/0" | "::/0")
}

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let spec = ctx.json().get("spec");
    if ctx.kind() != "Service"
        || spec.and_then(|s| s.get("type")).and_then(Value::as_str) != Some("LoadBalancer")
        || internal(ctx)
    {
        return;
    }
    let ranges = spec
        .and_then(|s| s.get("loadBalancerSourceRanges"))
        .and_then(Value::as_array);
    let annotated = ctx
        .object
        .annotation(SOURCE_RANGES_ANNOTATION)
        .filter(|v| !v.trim().is_empty());
    match (ranges.filter(|r| !r.is_empty()), annotated) {
        (Some(list), _) => {
            for (i, r) in list.iter().enumerate() {
                if r.as_str().is_some_and(open) {
                    let path = JsonPath::parse("spec.loadBalancerSourceRanges").index(i);
                    out.report(
                        &META,
                        "LoadBalancer source range allows every address",
                        path,
                    );
                }
            }
        }
        (None, Some(v)) => {
            if v.split(',').any(open) {
                let path = JsonPath::parse("metadata.annotations").key(SOURCE_RANGES_ANNOTATION);
                out.report(
                    &META,
                    "LoadBalancer source range annotation allows every address",
                    path,
                );
            }
        }
        (None, None) => out.report(
            &META,
            "LoadBalancer Service sets no loadBalancerSourceRanges and is reachable from anywhere",
            JsonPath::parse("spec.type"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::lines;

    #[test]
    fn ranges_and_internal_annotations() {
        let y = "kind: Service\nmetadata:\n  name: a\nspec:\n  type: LoadBalancer\n---\nkind: Service\nmetadata:\n  name: b\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 10.0.0.0/8\n  - 0.0.0.0/0\n---\nkind: Service\nmetadata:\n  name: c\n  annotations:\n    networking.gke.io/load-balancer-type: Internal\nspec:\n  type: LoadBalancer\n";
        assert_eq!(lines(&META, y), vec![5, 14]);
    }
}

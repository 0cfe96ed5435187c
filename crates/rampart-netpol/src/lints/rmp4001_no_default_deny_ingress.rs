//! RMP4001: a namespace with workloads and no default-deny ingress policy.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::Ctx;
use crate::model::np::Direction;

pub static META: RuleMeta = RuleMeta {
    id: "RMP4001",
    name: "namespace-without-default-deny-ingress",
    title: "Namespace has workloads but no default-deny ingress policy",
    severity: Severity::Medium,
    category: Category::Network,
    mitre: &["T1021", "T1046"],
    what: "Reports each namespace that runs workloads but has no NetworkPolicy selecting all of its pods (`podSelector: {}`) with the `Ingress` type (or an admin policy denying all ingress to it). Reported once per namespace, at its first workload. System namespaces (`kube-system`, `kube-public`, `kube-node-lease`) are skipped.",
    why: "Pods are open to every other pod in the cluster until a policy isolates them. Without a namespace-wide default deny, every new workload starts reachable, and one compromised pod anywhere can probe and attack it (lateral movement).",
    fix: "Add a default-deny ingress NetworkPolicy to the namespace and allow the traffic each workload needs with narrower policies.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n",
    references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic"],
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    ctx.default_deny_findings(&META, Direction::Ingress, out);
}

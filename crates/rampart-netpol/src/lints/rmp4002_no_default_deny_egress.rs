//! RMP4002: a namespace with workloads and no default-deny egress policy.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::Ctx;
use crate::model::np::Direction;

pub static META: RuleMeta = RuleMeta {
    id: "RMP4002",
    name: "namespace-without-default-deny-egress",
    title: "Namespace has workloads but no default-deny egress policy",
    severity: Severity::Low,
    category: Category::Network,
    mitre: &["T1041", "T1021"],
    what: "Reports each namespace that runs workloads but has no NetworkPolicy selecting all of its pods (`podSelector: {}`) with the `Egress` type (or an admin policy denying all egress from it). Reported once per namespace, at its first workload. System namespaces are skipped.",
    why: "Without egress isolation a compromised pod can reach every service in the cluster, the cloud metadata endpoint and the internet: exfiltration and command-and-control need no other foothold.",
    fix: "Add a default-deny egress NetworkPolicy (allowing DNS to kube-dns) and allow each workload's real destinations explicitly.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-egress\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels: {kubernetes.io/metadata.name: kube-system}\n          podSelector:\n            matchLabels: {k8s-app: kube-dns}\n      ports:\n        - {port: 53, protocol: UDP}\n        - {port: 53, protocol: TCP}\n",
    references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic"],
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    ctx.default_deny_findings(&META, Direction::Egress, out);
}

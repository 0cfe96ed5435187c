//! RMP4011: a policy the API server would refuse (and which therefore protects nothing).

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::Ctx;

pub static META: RuleMeta = RuleMeta {
    id: "RMP4011",
    name: "invalid-network-policy",
    title: "Network policy is invalid",
    severity: Severity::High,
    category: Category::Network,
    mitre: &[],
    what: "Reports NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy objects that the API server would reject: malformed selectors (unknown operators, `In` without values), bad CIDRs or `except` ranges outside `cidr`, ports out of range, `endPort` with a named port, peers mixing `ipBlock` with selectors, unknown actions or policy types, a second BaselineAdminNetworkPolicy.",
    why: "An invalid policy is never created: `kubectl apply` fails (or a GitOps tool keeps retrying), and the isolation it was meant to provide does not exist. Rampart leaves it out of every reachability answer.",
    fix: "Correct the field named in the message; `kubectl apply --dry-run=server` confirms the API server accepts the object.",
    example: "podSelector:\n  matchExpressions:\n    - {key: app, operator: In}   # In needs values\n",
    references: &["https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/"],
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for issue in &ctx.cluster.issues {
        let msg = format!(
            "invalid policy (the API server would refuse it): {}",
            issue.error.message
        );
        out.extend(ctx.finding(&META, Some(issue.object), issue.error.path.clone(), msg));
    }
}

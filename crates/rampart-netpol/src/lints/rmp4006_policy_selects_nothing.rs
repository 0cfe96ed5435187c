//! RMP4006: a policy whose subject holds no pod of the input.

use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};

use super::context::unknown_requirements;
use super::Ctx;
use crate::eval::matching::admin_selects;
use crate::selector::Labels;

pub static META: RuleMeta = RuleMeta {
    id: "RMP4006",
    name: "policy-selects-no-pod",
    title: "Policy selects no existing pod",
    severity: Severity::Low,
    category: Category::Network,
    mitre: &[],
    what: "Reports a NetworkPolicy whose podSelector matches no pod (or workload template) of its namespace, when the input holds pods of that namespace; and an AdminNetworkPolicy or BaselineAdminNetworkPolicy whose subject matches no pod, when the input holds pods. When the cause is a label no pod has, RMP4007 reports it instead.",
    why: "A policy that selects nothing protects nothing: the pods it was written for stay open. It usually means the pods' labels changed or the policy is in the wrong namespace.",
    fix: "Fix the podSelector (or subject) to match the intended pods, or delete the stale policy.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: db, tier: cache}}   # no pod has both\n",
    references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/"],
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &ctx.cluster;
    let all: Vec<&Labels> = c.pods.iter().map(|p| &p.labels).collect();
    for p in &c.policies {
        let Some(ns) = c.find_namespace(&p.namespace) else {
            continue;
        };
        if ctx.pods_in(ns).next().is_none() || !ctx.selected(p).is_empty() {
            continue;
        }
        let ns_pods: Vec<&Labels> = ctx.pods_in(ns).map(|i| &c.pods[i].labels).collect();
        if !unknown_requirements(&p.pod_selector, &ns_pods).is_empty() {
            continue; // RMP4007 names the label.
        }
        let msg = format!(
            "NetworkPolicy {} selects no pod: no pod of namespace `{}` matches `{}`",
            p.id(),
            p.namespace,
            p.pod_selector
        );
        out.extend(ctx.finding(&META, p.object, JsonPath::parse("spec.podSelector"), msg));
    }
    if c.pods.is_empty() {
        return;
    }
    for p in c.admin.iter().chain(&c.baseline) {
        if c.pods.iter().any(|pod| admin_selects(c, p, pod)) {
            continue;
        }
        let ns_labels: Vec<&Labels> = c.namespaces.iter().map(|n| &n.labels).collect();
        if !unknown_requirements(&p.subject.pods, &all).is_empty()
            || (c.namespaces.iter().any(|n| n.object.is_some())
                && unknown_requirements(&p.subject.namespaces, &ns_labels)
                    .iter()
                    .any(|r| r.key != crate::model::pods::NAME_LABEL))
        {
            continue;
        }
        let msg = format!(
            "{} {} selects no pod of the input",
            p.kind.kind_name(),
            p.name
        );
        out.extend(ctx.finding(&META, p.object, JsonPath::parse("spec.subject"), msg));
    }
}

//! RMP4003: a workload no policy selects, in a namespace that does use NetworkPolicies.

use std::collections::HashSet;

use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};

use super::Ctx;
use crate::eval::matching::{admin_selects, np_selects};

pub static META: RuleMeta = RuleMeta {
    id: "RMP4003",
    name: "workload-not-selected-by-any-policy",
    title: "Workload is selected by no network policy",
    severity: Severity::Medium,
    category: Category::Network,
    mitre: &["T1021"],
    what: "Reports a workload (or bare pod) that no NetworkPolicy and no AdminNetworkPolicy/BaselineAdminNetworkPolicy selects, in a namespace that has NetworkPolicies. Namespaces without any policy are reported once by RMP4001/RMP4002 instead. Reported once per workload.",
    why: "A namespace with policies looks protected, but a pod whose labels no policy selects is neither isolated for ingress nor for egress: it accepts and opens any connection. This usually comes from a label typo or a workload added after the policies were written.",
    fix: "Add a namespace-wide default-deny policy, or make an existing policy's podSelector match this workload's labels.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker, namespace: shop}   # app=worker: no policy selects it\n",
    references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation"],
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &ctx.cluster;
    let mut done = HashSet::new();
    let mut pods: Vec<usize> = (0..c.pods.len()).collect();
    pods.sort_by_key(|p| c.pods[*p].object);
    for p in pods {
        let pod = &c.pods[p];
        if ctx.is_system(pod.namespace) || ctx.policies_in(pod.namespace).next().is_none() {
            continue;
        }
        let selected = c.policies.iter().any(|np| np_selects(c, np, pod))
            || c.admin
                .iter()
                .chain(&c.baseline)
                .any(|a| admin_selects(c, a, pod));
        if selected || !done.insert((pod.namespace, pod.workload.clone())) {
            continue;
        }
        let msg = format!(
            "`{}/{}` is selected by no NetworkPolicy although its namespace has policies: it is open for ingress and egress",
            c.namespaces[pod.namespace].name, pod.workload
        );
        out.extend(ctx.finding(&META, pod.object, JsonPath::parse("metadata.name"), msg));
    }
}

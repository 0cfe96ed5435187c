//! RMP4008: pods isolated for egress that cannot reach cluster DNS.

use std::collections::BTreeMap;

use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};
use rayon::prelude::*;

use super::Ctx;
use crate::eval::matching::np_selects;
use crate::eval::{decide, EvalOptions, Target};
use crate::matrix::classes::{classes, Vocabulary};
use crate::model::np::Direction;
use crate::model::pods::{ContainerPort, Pod};
use crate::protocol::{PortProto, Protocol};
use crate::Cluster;

pub static META: RuleMeta = RuleMeta {
    id: "RMP4008",
    name: "egress-isolation-without-dns",
    title: "Egress-isolated pods cannot reach DNS",
    severity: Severity::Medium,
    category: Category::Network,
    mitre: &[],
    what: "Reports an egress NetworkPolicy whose selected pods are isolated for egress but are not allowed to reach cluster DNS (pods labelled `k8s-app: kube-dns`, or a CoreDNS pod assumed in `kube-system` when none is in the input) on both 53/UDP and 53/TCP, taking AdminNetworkPolicies into account. Reported once per policy (the first egress policy selecting such pods).",
    why: "Without DNS, name lookups fail and the workload breaks in ways that look unrelated to the policy; the usual quick fix is an allow-all egress rule that undoes the isolation. TCP 53 is needed for large responses (truncation) and DNSSEC.",
    fix: "Add an egress rule to kube-dns pods in kube-system on port 53 for both UDP and TCP.",
    example: "egress:\n  - to:\n      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n        podSelector: {matchLabels: {k8s-app: kube-dns}}\n    ports:\n      - {port: 53, protocol: UDP}\n      - {port: 53, protocol: TCP}\n",
    references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic"],
};

/// The cluster's DNS pods; a stand-in CoreDNS pod is added when the input has none.
fn with_dns(c: &Cluster) -> (std::borrow::Cow<'_, Cluster>, Vec<usize>) {
    let is_dns = |p: &Pod| p.labels.get("k8s-app").is_some_and(|v| v == "kube-dns");
    let dns: Vec<usize> = (0..c.pods.len()).filter(|i| is_dns(&c.pods[*i])).collect();
    if !dns.is_empty() {
        return (std::borrow::Cow::Borrowed(c), dns);
    }
    let mut c2 = c.clone();
    let ns = c2.namespace_id("kube-system");
    let port = |name: &str, protocol| ContainerPort {
        name: Some(name.into()),
        port: 53,
        protocol,
    };
    c2.pods.push(Pod {
        namespace: ns,
        name: "coredns".into(),
        labels: [("k8s-app".to_string(), "kube-dns".to_string())]
            .into_iter()
            .collect(),
        ips: Vec::new(),
        ports: vec![port("dns", Protocol::Udp), port("dns-tcp", Protocol::Tcp)],
        object: None,
        workload: "coredns".into(),
        synthesized: true,
    });
    let n = c2.pods.len() - 1;
    (std::borrow::Cow::Owned(c2), vec![n])
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c0 = &ctx.cluster;
    if !c0.policies.iter().any(|p| p.egress_type) || c0.pods.is_empty() {
        return;
    }
    let (c, dns) = with_dns(c0);
    let c: &Cluster = &c;
    let vocab = Vocabulary::of(c);
    let reps: Vec<usize> = classes(c, &vocab)
        .iter()
        .map(|cl| cl.rep)
        .filter(|r| !dns.contains(r))
        .collect();
    // (policy index) -> (missing protocols, example pod, pods affected)
    let missing: Vec<(usize, Vec<Protocol>, usize)> = reps
        .par_iter()
        .filter_map(|&p| {
            let pod = &c.pods[p];
            let blamed = c
                .policies
                .iter()
                .position(|np| np.egress_type && np_selects(c, np, pod))?;
            let lacking: Vec<Protocol> = [Protocol::Udp, Protocol::Tcp]
                .into_iter()
                .filter(|proto| {
                    !dns.iter().any(|d| {
                        let pp = PortProto::new(53, *proto);
                        decide(
                            c,
                            EvalOptions::default(),
                            Direction::Egress,
                            p,
                            Target::Pod(*d),
                            pp,
                        )
                        .allowed
                    })
                })
                .collect();
            (!lacking.is_empty()).then_some((blamed, lacking, p))
        })
        .collect();
    let mut by_policy: BTreeMap<usize, (Vec<Protocol>, usize, usize)> = BTreeMap::new();
    for (pi, protos, pod) in missing {
        let e = by_policy.entry(pi).or_insert((Vec::new(), pod, 0));
        for p in protos {
            if !e.0.contains(&p) {
                e.0.push(p);
            }
        }
        e.1 = e.1.min(pod);
        e.2 += 1;
    }
    for (pi, (mut protos, pod, count)) in by_policy {
        protos.sort();
        let np = &c.policies[pi];
        let which: Vec<String> = protos.iter().map(|p| format!("53/{p}")).collect();
        let msg = format!(
            "pods isolated for egress by NetworkPolicy {} (e.g. {}{}) cannot reach cluster DNS on {}",
            np.id(),
            c.pod_id(pod),
            if count > 1 { format!(", {} pod groups", count) } else { String::new() },
            which.join(" and ")
        );
        let json = np.object.and_then(|o| ctx.objects.get(o)).map(|o| &o.json);
        let has = |k: &str| {
            json.and_then(|j| j.get("spec"))
                .and_then(|s| s.get(k))
                .is_some()
        };
        let path = if has("egress") {
            "spec.egress"
        } else if has("policyTypes") {
            "spec.policyTypes"
        } else {
            "spec"
        };
        out.extend(ctx.finding(&META, np.object, JsonPath::parse(path), msg));
    }
}

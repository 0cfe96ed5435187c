//! RMP4010: a named port no pod the rule can reach declares.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::Ctx;
use crate::eval::matching::{
    admin_peer_matches, admin_selects, np_peer_matches, np_selects, EvalOptions, Target,
};
use crate::model::np::Direction;
use crate::model::pods::Pod;
use crate::model::ports::{AdminPort, PortSpec};
use crate::protocol::Protocol;

pub static META: RuleMeta = RuleMeta {
    id: "RMP4010",
    name: "named-port-not-exposed",
    title: "Named port is not declared by any pod it applies to",
    severity: Severity::Medium,
    category: Category::Network,
    mitre: &[],
    what: "Reports a named port in a policy rule when none of the pods the name is resolved on declares a container port of that name (and, for NetworkPolicy, protocol): for ingress the pods the policy selects, for egress the pods the rule's peers select. Runs only when the input holds pods or workloads.",
    why: "A named port resolves per destination pod; where no container declares it, the port entry matches nothing and the intended traffic is silently blocked (or, in a Deny rule, not denied).",
    fix: "Name the container port in the pod template (`ports[].name`) exactly as the policy does, with the same protocol, or use the port number.",
    example: "ingress:\n  - ports:\n      - port: http-metrics   # the pods name it `metrics`\n",
    references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports"],
};

fn declares(pods: &[&Pod], name: &str, protocol: Option<Protocol>) -> bool {
    pods.iter().any(|p| {
        p.ports.iter().any(|cp| {
            cp.name.as_deref() == Some(name) && protocol.is_none_or(|pr| pr == cp.protocol)
        })
    })
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &ctx.cluster;
    if c.pods.is_empty() {
        return;
    }
    let opts = EvalOptions::default();
    for p in &c.policies {
        let selected: Vec<&Pod> = c.pods.iter().filter(|pod| np_selects(c, p, pod)).collect();
        if selected.is_empty() {
            continue; // RMP4006 reports the policy itself.
        }
        for d in Direction::BOTH {
            if !p.has_type(d) {
                continue;
            }
            for r in p.rules(d) {
                let resolved_on: Vec<&Pod> = match d {
                    Direction::Ingress => selected.clone(),
                    Direction::Egress => (0..c.pods.len())
                        .filter(|q| {
                            r.peers.is_empty()
                                || r.peers
                                    .iter()
                                    .any(|peer| np_peer_matches(c, opts, p, peer, Target::Pod(*q)))
                        })
                        .map(|q| &c.pods[q])
                        .collect(),
                };
                for port in &r.ports {
                    let PortSpec::Named(name) = &port.port else {
                        continue;
                    };
                    if declares(&resolved_on, name, Some(port.protocol)) {
                        continue;
                    }
                    let msg = format!(
                        "no {} pod of NetworkPolicy {} declares a {} container port named `{name}`: this entry matches nothing",
                        if d == Direction::Ingress { "selected" } else { "destination" },
                        p.id(),
                        port.protocol
                    );
                    out.extend(ctx.finding(&META, p.object, port.path.key("port"), msg));
                }
            }
        }
    }
    for p in c.admin.iter().chain(&c.baseline) {
        let subjects: Vec<&Pod> = c
            .pods
            .iter()
            .filter(|pod| admin_selects(c, p, pod))
            .collect();
        if subjects.is_empty() {
            continue;
        }
        for d in Direction::BOTH {
            for r in p.rules(d) {
                let resolved_on: Vec<&Pod> = match d {
                    Direction::Ingress => subjects.clone(),
                    Direction::Egress => (0..c.pods.len())
                        .filter(|q| {
                            r.peers
                                .iter()
                                .any(|peer| admin_peer_matches(c, peer, Target::Pod(*q)))
                        })
                        .map(|q| &c.pods[q])
                        .collect(),
                };
                for port in r.ports.iter().flatten() {
                    let AdminPort::Named { name, path } = port else {
                        continue;
                    };
                    if declares(&resolved_on, name, None) {
                        continue;
                    }
                    let msg = format!(
                        "no {} pod of {} {} declares a container port named `{name}`: this entry matches nothing",
                        if d == Direction::Ingress { "subject" } else { "destination" },
                        p.kind.kind_name(),
                        p.name
                    );
                    out.extend(ctx.finding(&META, p.object, path.clone(), msg));
                }
            }
        }
    }
}

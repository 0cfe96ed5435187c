//! RMP4009: an AdminNetworkPolicy `Allow` or `Pass` rule that lets through traffic the
//! namespace's own policies (or a lower-precedence admin rule) would deny.

use std::collections::BTreeSet;

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::Ctx;
use crate::eval::matching::{admin_peer_matches, admin_selects};
use crate::eval::{decide, Decision, EvalOptions, Target};
use crate::matrix::classes::{classes, Vocabulary};
use crate::model::admin::{Action, AdminPolicy, AdminRule};
use crate::model::np::Direction;
use crate::model::ports::AdminPort;
use crate::protocol::{PortProto, Protocol};
use crate::Cluster;

pub static META: RuleMeta = RuleMeta {
    id: "RMP4009",
    name: "admin-policy-overrides-namespace-deny",
    title: "AdminNetworkPolicy rule overrides a namespace's deny",
    severity: Severity::Medium,
    category: Category::Network,
    mitre: &["T1021"],
    what: "Reports AdminNetworkPolicy `Allow` and `Pass` rules that decide connections between pods of the input which, without the rule, would be denied: by the namespace's NetworkPolicies, the baseline policy, or a lower-precedence `Deny`. Checked on one pod per class of identical pods and the destination's exposed ports; reported once per rule with an example.",
    why: "Admin policies take precedence over everything namespace owners write. An `Allow` silently opens what a team's NetworkPolicy closes, and a `Pass` skips the cluster-wide `Deny` rules below it; neither shows up when the team reviews its own namespace.",
    fix: "Narrow the rule's subject, peers or ports so that it only covers the intended traffic, or move the exception into the namespace's NetworkPolicy where its owners can see it.",
    example: "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: allow-monitoring}\nspec:\n  priority: 10\n  subject: {namespaces: {}}\n  ingress:\n    - name: scrape\n      action: Allow      # beats every namespace's default deny\n      from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]\n",
    references: &["https://network-policy-api.sigs.k8s.io/api-overview/"],
};

/// Evaluations spent per rule at most; the lint is a heuristic and must stay fast.
const BUDGET: usize = 20_000;

fn candidate_ports(c: &Cluster, rule: &AdminRule, dst: usize) -> Vec<PortProto> {
    let mut ps: BTreeSet<PortProto> = c.pods[dst]
        .ports
        .iter()
        .map(|cp| PortProto::new(cp.port, cp.protocol))
        .collect();
    for p in rule.ports.iter().flatten() {
        if let AdminPort::Range {
            protocol, start, ..
        } = p
        {
            ps.insert(PortProto::new(*start, *protocol));
        }
    }
    if ps.is_empty() && rule.ports.is_none() {
        ps.insert(PortProto::new(443, Protocol::Tcp));
    }
    ps.into_iter().collect()
}

fn decided_by(dec: &Decision, p: &AdminPolicy, d: Direction, rule: usize) -> bool {
    dec.by.iter().any(|r| {
        r.kind == p.kind.kind_name()
            && r.name == p.name
            && r.direction == d.as_str()
            && r.rule == Some(rule)
    })
}

struct Witness {
    from: usize,
    to: usize,
    port: PortProto,
    denier: String,
}

fn find_witness(
    c: &Cluster,
    ai: usize,
    d: Direction,
    ri: usize,
    reps: &[usize],
) -> Option<Witness> {
    let anp = &c.admin[ai];
    let rule = &anp.rules(d)[ri];
    let mut without = c.clone();
    match d {
        Direction::Ingress => without.admin[ai].ingress[ri].peers.clear(),
        Direction::Egress => without.admin[ai].egress[ri].peers.clear(),
    }
    let subjects: Vec<usize> = reps
        .iter()
        .copied()
        .filter(|p| admin_selects(c, anp, &c.pods[*p]))
        .collect();
    let peers: Vec<usize> = reps
        .iter()
        .copied()
        .filter(|q| {
            rule.peers
                .iter()
                .any(|peer| admin_peer_matches(c, peer, Target::Pod(*q)))
        })
        .collect();
    let mut spent = 0;
    for &s in &subjects {
        for &q in &peers {
            if s == q {
                continue;
            }
            let dst = if d == Direction::Ingress { s } else { q };
            for pp in candidate_ports(c, rule, dst) {
                spent += 1;
                if spent > BUDGET {
                    return None;
                }
                let dec = decide(c, EvalOptions::default(), d, s, Target::Pod(q), pp);
                if !dec.allowed || !decided_by(&dec, anp, d, ri) {
                    continue;
                }
                let other = decide(&without, EvalOptions::default(), d, s, Target::Pod(q), pp);
                if !other.allowed {
                    let (from, to) = if d == Direction::Ingress {
                        (q, s)
                    } else {
                        (s, q)
                    };
                    let denier = other
                        .by
                        .last()
                        .map_or_else(|| other.explanation.clone(), |r| r.describe());
                    return Some(Witness {
                        from,
                        to,
                        port: pp,
                        denier,
                    });
                }
            }
        }
    }
    None
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &ctx.cluster;
    if c.admin.is_empty() || c.pods.is_empty() {
        return;
    }
    let vocab = Vocabulary::of(c);
    let reps: Vec<usize> = classes(c, &vocab).iter().map(|cl| cl.rep).collect();
    for (ai, anp) in c.admin.iter().enumerate() {
        for d in Direction::BOTH {
            for (ri, rule) in anp.rules(d).iter().enumerate() {
                if rule.action == Action::Deny {
                    continue;
                }
                let Some(w) = find_witness(c, ai, d, ri, &reps) else {
                    continue;
                };
                let msg = format!(
                    "AdminNetworkPolicy {} {}[{ri}] ({}) lets {} -> {} {} through, which {} would otherwise deny",
                    anp.name,
                    d.as_str(),
                    rule.action,
                    c.pod_id(w.from),
                    c.pod_id(w.to),
                    w.port,
                    w.denier
                );
                out.extend(ctx.finding(&META, anp.object, rule.path.key("action"), msg));
            }
        }
    }
}

//! RMP4004: a rule allowing every peer on every port.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::Ctx;
use crate::model::admin::{Action, AdminPeer};
use crate::model::np::{Direction, NpPeer, NsScope};

pub static META: RuleMeta = RuleMeta {
    id: "RMP4004",
    name: "rule-allows-all-peers",
    title: "Policy rule allows traffic from or to everything",
    severity: Severity::Medium,
    category: Category::Network,
    mitre: &["T1021", "T1041"],
    what: "Reports NetworkPolicy rules with no port restriction whose peers are everything: `from`/`to` absent or empty (`ingress: [{}]`), `namespaceSelector: {}` (every pod of every namespace), or an `ipBlock` of `0.0.0.0/0` or `::/0` without exceptions; and AdminNetworkPolicy/BaselineAdminNetworkPolicy `Allow` rules with such peers and no ports.",
    why: "An allow-everything rule cancels the isolation its policy creates: the selected pods accept (or open) connections to every pod and address on every port, which is rarely what was meant.",
    fix: "List the peers that need access (pod and namespace selectors, narrow CIDRs) and the ports they use.",
    example: "spec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n    - {}            # everyone, every port\n",
    references: &["https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic"],
};

fn np_peer_is_everything(p: &NpPeer) -> bool {
    match p {
        NpPeer::Pods {
            namespaces: NsScope::Selector(ns),
            pods,
        } => ns.is_empty() && pods.is_empty(),
        NpPeer::Pods { .. } => false,
        NpPeer::IpBlock(b) => b.cidr.prefix_len() == 0 && b.except.is_empty(),
    }
}

fn admin_peer_is_everything(p: &AdminPeer) -> bool {
    match p {
        AdminPeer::Pods(s) => s.namespaces.is_empty() && s.pods.is_empty(),
        AdminPeer::Networks(nets) => nets.iter().any(|n| n.prefix_len() == 0),
        AdminPeer::Nodes(_) | AdminPeer::DomainNames(_) => false,
    }
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let word = |d: Direction| match d {
        Direction::Ingress => "from",
        Direction::Egress => "to",
    };
    for p in &ctx.cluster.policies {
        for d in Direction::BOTH {
            if !p.has_type(d) {
                continue;
            }
            for (i, r) in p.rules(d).iter().enumerate() {
                let everyone = r.peers.is_empty() || r.peers.iter().any(np_peer_is_everything);
                if everyone && r.ports.is_empty() {
                    let msg = format!(
                        "NetworkPolicy {} {}[{i}] allows {} every {} on every port",
                        p.id(),
                        d.as_str(),
                        word(d),
                        if r.peers.is_empty() {
                            "pod and address"
                        } else {
                            "pod"
                        }
                    );
                    out.extend(ctx.finding(&META, p.object, r.path.clone(), msg));
                }
            }
        }
    }
    let c = &ctx.cluster;
    for p in c.admin.iter().chain(&c.baseline) {
        for d in Direction::BOTH {
            for (i, r) in p.rules(d).iter().enumerate() {
                if r.action == Action::Allow
                    && r.ports.is_none()
                    && r.peers.iter().any(admin_peer_is_everything)
                {
                    let msg = format!(
                        "{} {} {}[{i}] allows {} everything on every port, overriding every NetworkPolicy",
                        p.kind.kind_name(),
                        p.name,
                        d.as_str(),
                        word(d)
                    );
                    out.extend(ctx.finding(&META, p.object, r.path.key("action"), msg));
                }
            }
        }
    }
}

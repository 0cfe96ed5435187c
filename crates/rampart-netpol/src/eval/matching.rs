//! Whether one selector, peer or port entry matches one endpoint: the primitives both the
//! single-query evaluator and the matrix compiler are checked against.

use std::net::IpAddr;

use crate::model::admin::{AdminPeer, AdminPolicy, AdminRule, PodSet};
use crate::model::np::{NetworkPolicy, NpPeer, NpRule, NsScope};
use crate::model::pods::Pod;
use crate::model::ports::AdminPort;
use crate::model::ports::{NpPort, PortSpec};
use crate::protocol::PortProto;
use crate::Cluster;

/// The other end of a connection: a pod of the cluster or an address outside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Pod(usize),
    Ip(IpAddr),
}

/// Evaluation settings for behaviour Kubernetes leaves to the network plugin.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvalOptions {
    /// Whether NetworkPolicy `ipBlock`s also match pod IPs (Calico does, Cilium does not).
    /// Off by default: pods are matched by selectors only.
    pub ipblock_matches_pod_ips: bool,
}

/// A pod matches `set` when its namespace and its labels match.
pub fn pod_in_set(c: &Cluster, set: &PodSet, pod: &Pod) -> bool {
    set.namespaces.matches(&c.namespaces[pod.namespace].labels) && set.pods.matches(&pod.labels)
}

/// Whether a NetworkPolicy applies to (selects) `pod`.
pub fn np_selects(c: &Cluster, policy: &NetworkPolicy, pod: &Pod) -> bool {
    c.namespaces[pod.namespace].name == policy.namespace && policy.pod_selector.matches(&pod.labels)
}

/// Whether an admin policy's subject holds `pod`.
pub fn admin_selects(c: &Cluster, policy: &AdminPolicy, pod: &Pod) -> bool {
    pod_in_set(c, &policy.subject, pod)
}

pub fn np_peer_matches(
    c: &Cluster,
    opts: EvalOptions,
    policy: &NetworkPolicy,
    peer: &NpPeer,
    t: Target,
) -> bool {
    match (peer, t) {
        (NpPeer::Pods { namespaces, pods }, Target::Pod(p)) => {
            let pod = &c.pods[p];
            let ns = &c.namespaces[pod.namespace];
            let ns_ok = match namespaces {
                NsScope::Own => ns.name == policy.namespace,
                NsScope::Selector(s) => s.matches(&ns.labels),
            };
            ns_ok && pods.matches(&pod.labels)
        }
        (NpPeer::Pods { .. }, Target::Ip(_)) => false,
        (NpPeer::IpBlock(b), Target::Ip(ip)) => b.contains(&ip),
        (NpPeer::IpBlock(b), Target::Pod(p)) => {
            opts.ipblock_matches_pod_ips && c.pods[p].ips.iter().any(|ip| b.contains(ip))
        }
    }
}

/// A NetworkPolicy port entry against the query's port, resolving names on `dst`.
pub fn np_port_matches(port: &NpPort, pp: PortProto, dst: Option<&Pod>) -> bool {
    if port.protocol != pp.protocol {
        return false;
    }
    match &port.port {
        PortSpec::Any => true,
        PortSpec::Range(a, b) => (*a..=*b).contains(&pp.port),
        PortSpec::Named(n) => dst.is_some_and(|d| {
            d.ports.iter().any(|cp| {
                cp.name.as_deref() == Some(n.as_str())
                    && cp.protocol == port.protocol
                    && cp.port == pp.port
            })
        }),
    }
}

pub fn np_rule_matches(
    c: &Cluster,
    opts: EvalOptions,
    policy: &NetworkPolicy,
    rule: &NpRule,
    peer: Target,
    pp: PortProto,
    dst: Option<&Pod>,
) -> bool {
    let peer_ok = rule.peers.is_empty()
        || rule
            .peers
            .iter()
            .any(|p| np_peer_matches(c, opts, policy, p, peer));
    peer_ok && (rule.ports.is_empty() || rule.ports.iter().any(|p| np_port_matches(p, pp, dst)))
}

pub fn admin_peer_matches(c: &Cluster, peer: &AdminPeer, t: Target) -> bool {
    match (peer, t) {
        (AdminPeer::Pods(set), Target::Pod(p)) => pod_in_set(c, set, &c.pods[p]),
        (AdminPeer::Networks(nets), Target::Pod(p)) => c.pods[p]
            .ips
            .iter()
            .any(|ip| nets.iter().any(|n| n.contains(ip))),
        (AdminPeer::Networks(nets), Target::Ip(ip)) => nets.iter().any(|n| n.contains(&ip)),
        (AdminPeer::Nodes(sel), Target::Ip(ip)) => c
            .nodes
            .iter()
            .any(|n| n.ips.contains(&ip) && sel.matches(&n.labels)),
        // hostNetwork pods are out of scope, so no pod is a node; domain names are not
        // resolved offline.
        (AdminPeer::Pods(_), Target::Ip(_))
        | (AdminPeer::Nodes(_) | AdminPeer::DomainNames(_), _) => false,
    }
}

/// An ANP/BANP port entry; a named port matches by name and the container port's protocol.
pub fn admin_port_matches(port: &AdminPort, pp: PortProto, dst: Option<&Pod>) -> bool {
    match port {
        AdminPort::Range {
            protocol,
            start,
            end,
            ..
        } => *protocol == pp.protocol && (*start..=*end).contains(&pp.port),
        AdminPort::Named { name, .. } => dst.is_some_and(|d| {
            d.ports.iter().any(|cp| {
                cp.name.as_deref() == Some(name.as_str())
                    && cp.port == pp.port
                    && cp.protocol == pp.protocol
            })
        }),
    }
}

pub fn admin_rule_matches(
    c: &Cluster,
    rule: &AdminRule,
    peer: Target,
    pp: PortProto,
    dst: Option<&Pod>,
) -> bool {
    rule.peers.iter().any(|p| admin_peer_matches(c, p, peer))
        && rule
            .ports
            .as_ref()
            .is_none_or(|ps| ps.iter().any(|p| admin_port_matches(p, pp, dst)))
}

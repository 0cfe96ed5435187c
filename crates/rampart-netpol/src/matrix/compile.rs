//! Policies turned into bit sets over pod classes: who each policy selects, which classes
//! each rule's peers cover, and which ports each rule's port entries cover.

use std::collections::HashMap;

use super::bitset::BitSet;
use super::classes::{Class, Vocabulary};
use crate::eval::matching::{admin_peer_matches, np_peer_matches, EvalOptions, Target};
use crate::model::admin::{Action, AdminPolicy};
use crate::model::np::{Direction, NetworkPolicy, NpPeer, NsScope};
use crate::model::ports::{AdminPort, PortSpec};
use crate::protocol::{PortProto, Protocol};
use crate::selector::LabelSelector;
use crate::Cluster;

/// Which ports a rule covers: `any`, a static set of port ids, and names resolved on the
/// destination class (`Some(protocol)`: NetworkPolicy names, which carry a protocol).
#[derive(Debug, Clone)]
pub struct PortMatch {
    pub any: bool,
    pub fixed: Vec<bool>,
    pub names: Vec<(String, Option<Protocol>)>,
}

/// A rule with its peers as classes.
#[derive(Debug, Clone)]
pub struct CRule {
    pub action: Action,
    pub peers: BitSet,
    pub ports: PortMatch,
    /// Index of the rule in its policy's direction list.
    pub index: usize,
}

/// A policy with its subject as classes and its rules per direction.
#[derive(Debug, Clone)]
pub struct CPolicy {
    pub selects: BitSet,
    pub ingress: Option<Vec<CRule>>,
    pub egress: Option<Vec<CRule>>,
}

impl CPolicy {
    pub fn rules(&self, d: Direction) -> Option<&[CRule]> {
        match d {
            Direction::Ingress => self.ingress.as_deref(),
            Direction::Egress => self.egress.as_deref(),
        }
    }
}

/// Everything the matrix needs, over `n` classes and the port table `ports`.
#[derive(Debug)]
pub struct Compiled {
    pub n: usize,
    pub ports: Vec<PortProto>,
    pub np: Vec<CPolicy>,
    pub admin: Vec<CPolicy>,
    pub baseline: Option<CPolicy>,
    /// (name, port id) → classes with a container port of that name, number and protocol.
    pub named: HashMap<(String, usize), BitSet>,
}

struct Ctx<'a> {
    c: &'a Cluster,
    opts: EvalOptions,
    classes: &'a [Class],
    vocab: &'a Vocabulary,
    ports: &'a [PortProto],
    ns_classes: Vec<BitSet>,
    ns_sel_cache: HashMap<LabelSelector, BitSet>,
}

impl Ctx<'_> {
    fn n(&self) -> usize {
        self.classes.len()
    }

    fn pod_sel(&self, s: &LabelSelector) -> BitSet {
        let mut b = BitSet::new(self.n());
        if let Some(&id) = self.vocab.pod_selector_ids.get(s) {
            for (i, cl) in self.classes.iter().enumerate() {
                if cl.selectors.get(id) {
                    b.set(i);
                }
            }
        }
        b
    }

    fn ns_sel(&mut self, s: &LabelSelector) -> BitSet {
        if let Some(b) = self.ns_sel_cache.get(s) {
            return b.clone();
        }
        let mut b = BitSet::new(self.n());
        for (ni, ns) in self.c.namespaces.iter().enumerate() {
            if s.matches(&ns.labels) {
                b.or_with(&self.ns_classes[ni]);
            }
        }
        self.ns_sel_cache.insert(s.clone(), b.clone());
        b
    }

    fn by_rep(&self, f: impl Fn(Target) -> bool) -> BitSet {
        let mut b = BitSet::new(self.n());
        for (i, cl) in self.classes.iter().enumerate() {
            if f(Target::Pod(cl.rep)) {
                b.set(i);
            }
        }
        b
    }

    fn np_rule_peers(&mut self, p: &NetworkPolicy, peers: &[NpPeer]) -> BitSet {
        if peers.is_empty() {
            return BitSet::full(self.n());
        }
        let mut out = BitSet::new(self.n());
        for peer in peers {
            let b = match peer {
                NpPeer::Pods { namespaces, pods } => {
                    let mut b = match namespaces {
                        NsScope::Own => self.own_ns(&p.namespace),
                        NsScope::Selector(s) => self.ns_sel(s),
                    };
                    b.and_with(&self.pod_sel(pods));
                    b
                }
                NpPeer::IpBlock(_) if !self.opts.ipblock_matches_pod_ips => continue,
                NpPeer::IpBlock(_) => {
                    let (c, opts) = (self.c, self.opts);
                    self.by_rep(|t| np_peer_matches(c, opts, p, peer, t))
                }
            };
            out.or_with(&b);
        }
        out
    }

    fn own_ns(&self, name: &str) -> BitSet {
        self.c
            .find_namespace(name)
            .map_or_else(|| BitSet::new(self.n()), |i| self.ns_classes[i].clone())
    }

    fn fixed(&self, f: impl Fn(PortProto) -> bool) -> Vec<bool> {
        self.ports.iter().map(|pp| f(*pp)).collect()
    }

    fn compile_np(&mut self, p: &NetworkPolicy) -> CPolicy {
        let mut selects = self.own_ns(&p.namespace);
        selects.and_with(&self.pod_sel(&p.pod_selector));
        let mut dir = |d: Direction| {
            p.has_type(d).then(|| {
                p.rules(d)
                    .iter()
                    .enumerate()
                    .map(|(index, r)| {
                        let mut ports = PortMatch {
                            any: r.ports.is_empty(),
                            fixed: vec![false; self.ports.len()],
                            names: Vec::new(),
                        };
                        for e in &r.ports {
                            match &e.port {
                                PortSpec::Named(n) => {
                                    ports.names.push((n.clone(), Some(e.protocol)))
                                }
                                _ => {
                                    let f = self.fixed(|pp| {
                                        crate::eval::matching::np_port_matches(e, pp, None)
                                    });
                                    ports.fixed.iter_mut().zip(f).for_each(|(a, b)| *a |= b);
                                }
                            }
                        }
                        CRule {
                            action: Action::Allow,
                            peers: self.np_rule_peers(p, &r.peers),
                            ports,
                            index,
                        }
                    })
                    .collect()
            })
        };
        let ingress = dir(Direction::Ingress);
        let egress = dir(Direction::Egress);
        CPolicy {
            selects,
            ingress,
            egress,
        }
    }

    fn compile_admin(&mut self, p: &AdminPolicy) -> CPolicy {
        let mut selects = self.ns_sel(&p.subject.namespaces);
        selects.and_with(&self.pod_sel(&p.subject.pods));
        let mut dir = |d: Direction| {
            let rules = p.rules(d).iter().enumerate().map(|(index, r)| {
                let mut peers = BitSet::new(self.n());
                for peer in &r.peers {
                    let b = match peer {
                        crate::model::admin::AdminPeer::Pods(set) => {
                            let mut b = self.ns_sel(&set.namespaces);
                            b.and_with(&self.pod_sel(&set.pods));
                            b
                        }
                        _ => {
                            let c = self.c;
                            self.by_rep(|t| admin_peer_matches(c, peer, t))
                        }
                    };
                    peers.or_with(&b);
                }
                let mut ports = PortMatch {
                    any: r.ports.is_none(),
                    fixed: vec![false; self.ports.len()],
                    names: Vec::new(),
                };
                for e in r.ports.iter().flatten() {
                    match e {
                        AdminPort::Named { name, .. } => ports.names.push((name.clone(), None)),
                        AdminPort::Range { .. } => {
                            let f = self
                                .fixed(|pp| crate::eval::matching::admin_port_matches(e, pp, None));
                            ports.fixed.iter_mut().zip(f).for_each(|(a, b)| *a |= b);
                        }
                    }
                }
                CRule {
                    action: r.action,
                    peers,
                    ports,
                    index,
                }
            });
            Some(rules.collect())
        };
        let ingress = dir(Direction::Ingress);
        let egress = dir(Direction::Egress);
        CPolicy {
            selects,
            ingress,
            egress,
        }
    }
}

/// Compiles every policy of `c` over `classes`; `ports` is the table of exposed ports.
pub fn compile(
    c: &Cluster,
    opts: EvalOptions,
    classes: &[Class],
    vocab: &Vocabulary,
    ports: Vec<PortProto>,
) -> Compiled {
    let n = classes.len();
    let mut ns_classes = vec![BitSet::new(n); c.namespaces.len()];
    for (i, cl) in classes.iter().enumerate() {
        ns_classes[cl.namespace].set(i);
    }
    let port_ids: HashMap<PortProto, usize> =
        ports.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let mut named: HashMap<(String, usize), BitSet> = HashMap::new();
    for (i, cl) in classes.iter().enumerate() {
        for cp in &c.pods[cl.rep].ports {
            let (Some(name), Some(&pid)) = (
                &cp.name,
                port_ids.get(&PortProto::new(cp.port, cp.protocol)),
            ) else {
                continue;
            };
            named
                .entry((name.clone(), pid))
                .or_insert_with(|| BitSet::new(n))
                .set(i);
        }
    }
    let mut ctx = Ctx {
        c,
        opts,
        classes,
        vocab,
        ports: &ports,
        ns_classes,
        ns_sel_cache: HashMap::new(),
    };
    let np = c.policies.iter().map(|p| ctx.compile_np(p)).collect();
    let admin = c.admin.iter().map(|p| ctx.compile_admin(p)).collect();
    let baseline = c.baseline.as_ref().map(|p| ctx.compile_admin(p));
    Compiled {
        n,
        ports,
        np,
        admin,
        baseline,
        named,
    }
}

//! Pods that no policy can tell apart, grouped into classes.
//!
//! Policies see a pod only through its namespace, the selectors its labels match, its named
//! container ports and which CIDRs hold its addresses. Pods equal in all four get the same
//! verdict for every connection, as source and as destination, so the matrix is computed per
//! class and expanded afterwards. Replicas of a Deployment, and the pods of a StatefulSet
//! (whose per-pod labels no selector uses), collapse into one class.

use std::collections::HashMap;

use ipnet::IpNet;
use rayon::prelude::*;

use super::bitset::BitSet;
use crate::model::admin::{AdminPeer, AdminPolicy};
use crate::model::np::{NpPeer, NsScope};
use crate::model::pods::ContainerPort;
use crate::selector::{LabelSelector, Labels};
use crate::Cluster;

/// Every distinct pod selector and CIDR the policies use, with ids.
#[derive(Debug, Default)]
pub struct Vocabulary {
    pub pod_selectors: Vec<LabelSelector>,
    pub pod_selector_ids: HashMap<LabelSelector, usize>,
    pub ns_selectors: Vec<LabelSelector>,
    pub ns_selector_ids: HashMap<LabelSelector, usize>,
    pub nets: Vec<IpNet>,
    net_ids: HashMap<IpNet, usize>,
}

impl Vocabulary {
    fn pod_sel(&mut self, s: &LabelSelector) {
        if !self.pod_selector_ids.contains_key(s) {
            self.pod_selector_ids
                .insert(s.clone(), self.pod_selectors.len());
            self.pod_selectors.push(s.clone());
        }
    }

    fn ns_sel(&mut self, s: &LabelSelector) {
        if !self.ns_selector_ids.contains_key(s) {
            self.ns_selector_ids
                .insert(s.clone(), self.ns_selectors.len());
            self.ns_selectors.push(s.clone());
        }
    }

    fn net(&mut self, n: IpNet) {
        if let std::collections::hash_map::Entry::Vacant(e) = self.net_ids.entry(n) {
            e.insert(self.nets.len());
            self.nets.push(n);
        }
    }

    fn admin(&mut self, p: &AdminPolicy) {
        self.pod_sel(&p.subject.pods);
        self.ns_sel(&p.subject.namespaces);
        for r in p.ingress.iter().chain(&p.egress) {
            for peer in &r.peers {
                match peer {
                    AdminPeer::Pods(set) => {
                        self.pod_sel(&set.pods);
                        self.ns_sel(&set.namespaces);
                    }
                    AdminPeer::Networks(nets) => nets.iter().for_each(|n| self.net(*n)),
                    AdminPeer::Nodes(_) | AdminPeer::DomainNames(_) => {}
                }
            }
        }
    }

    pub fn of(c: &Cluster) -> Self {
        let mut v = Self::default();
        for p in &c.policies {
            v.pod_sel(&p.pod_selector);
            for r in p.ingress.iter().chain(&p.egress) {
                for peer in &r.peers {
                    match peer {
                        NpPeer::Pods { namespaces, pods } => {
                            v.pod_sel(pods);
                            if let NsScope::Selector(s) = namespaces {
                                v.ns_sel(s);
                            }
                        }
                        NpPeer::IpBlock(b) => {
                            v.net(b.cidr);
                            b.except.iter().for_each(|n| v.net(*n));
                        }
                    }
                }
            }
        }
        c.admin.iter().chain(&c.baseline).for_each(|p| v.admin(p));
        v
    }
}

/// Pods with the same verdicts everywhere.
#[derive(Debug, Clone)]
pub struct Class {
    /// The pod whose attributes stand for the class.
    pub rep: usize,
    pub pods: Vec<usize>,
    pub namespace: usize,
    /// Ids (in the vocabulary) of the pod selectors the pods' labels match.
    pub selectors: BitSet,
}

#[derive(PartialEq, Eq, Hash)]
struct Signature<'a> {
    namespace: usize,
    selectors: BitSet,
    ports: &'a [ContainerPort],
    /// Per address, which vocabulary CIDRs contain it; sorted.
    nets: Vec<BitSet>,
}

/// Groups the cluster's pods into classes.
pub fn classes(c: &Cluster, vocab: &Vocabulary) -> Vec<Class> {
    // Selectors are evaluated once per distinct label set, in parallel.
    let mut label_ids: HashMap<&Labels, usize> = HashMap::new();
    let mut label_sets: Vec<&Labels> = Vec::new();
    let pod_label: Vec<usize> = c
        .pods
        .iter()
        .map(|p| {
            *label_ids.entry(&p.labels).or_insert_with(|| {
                label_sets.push(&p.labels);
                label_sets.len() - 1
            })
        })
        .collect();
    let n_sel = vocab.pod_selectors.len();
    let matched: Vec<BitSet> = label_sets
        .par_iter()
        .map(|l| {
            let mut b = BitSet::new(n_sel);
            for (i, s) in vocab.pod_selectors.iter().enumerate() {
                if s.matches(l) {
                    b.set(i);
                }
            }
            b
        })
        .collect();
    let mut ids: HashMap<Signature<'_>, usize> = HashMap::new();
    let mut out: Vec<Class> = Vec::new();
    for (pi, pod) in c.pods.iter().enumerate() {
        let mut nets: Vec<BitSet> = pod
            .ips
            .iter()
            .map(|ip| {
                let mut b = BitSet::new(vocab.nets.len());
                for (i, n) in vocab.nets.iter().enumerate() {
                    if n.contains(ip) {
                        b.set(i);
                    }
                }
                b
            })
            .collect();
        nets.sort_by(|a, b| a.ones().cmp(b.ones()));
        nets.dedup();
        let sig = Signature {
            namespace: pod.namespace,
            selectors: matched[pod_label[pi]].clone(),
            ports: &pod.ports,
            nets,
        };
        match ids.get(&sig) {
            Some(&k) => out[k].pods.push(pi),
            None => {
                ids.insert(
                    Signature {
                        selectors: sig.selectors.clone(),
                        ..sig
                    },
                    out.len(),
                );
                out.push(Class {
                    rep: pi,
                    pods: vec![pi],
                    namespace: pod.namespace,
                    selectors: matched[pod_label[pi]].clone(),
                });
            }
        }
    }
    out
}

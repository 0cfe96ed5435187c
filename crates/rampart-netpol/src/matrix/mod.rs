//! Every pod-to-pod verdict on the ports the destination pods expose.
//!
//! Pods are grouped into [`classes`] that no policy can tell apart; policies are compiled to
//! bit sets over classes ([`compile`]); the tiers are evaluated with bit operations
//! ([`engine`]): ingress once per destination class and exposed port, egress once per source
//! class and port, both in parallel. A class pair is allowed on a port when the source's
//! egress set holds the destination and the destination's ingress set holds the source.

pub mod bitset;
pub mod classes;
pub mod compile;
pub mod diff;
pub mod engine;
pub mod report;

use std::collections::BTreeSet;

use rayon::prelude::*;

use crate::eval::EvalOptions;
use crate::model::np::Direction;
use crate::protocol::PortProto;
use crate::Cluster;
use bitset::BitSet;
pub use classes::Class;

/// Allowed destinations of one source class: `dsts[i]` is allowed on the port ids
/// `ports[starts[i]..starts[i + 1]]`. Sorted by destination.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub dsts: Vec<u32>,
    starts: Vec<u32>,
    ports: Vec<u32>,
}

impl Row {
    fn push(&mut self, dst: usize, ports: &[u32]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.dsts.push(u32::try_from(dst).unwrap_or(u32::MAX));
        self.ports.extend_from_slice(ports);
        self.starts
            .push(u32::try_from(self.ports.len()).unwrap_or(u32::MAX));
    }

    /// The allowed port ids towards destination class `dst`.
    pub fn get(&self, dst: usize) -> &[u32] {
        let Ok(dst) = u32::try_from(dst) else {
            return &[];
        };
        match self.dsts.binary_search(&dst) {
            Ok(i) => &self.ports[self.starts[i] as usize..self.starts[i + 1] as usize],
            Err(_) => &[],
        }
    }

    /// `(destination class, allowed port ids)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &[u32])> + '_ {
        self.dsts.iter().enumerate().map(|(i, d)| {
            (
                *d as usize,
                &self.ports[self.starts[i] as usize..self.starts[i + 1] as usize],
            )
        })
    }
}

/// The reachability matrix, per class.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub classes: Vec<Class>,
    /// The class of every pod.
    pub class_of: Vec<usize>,
    /// Port table: every port some pod exposes.
    pub ports: Vec<PortProto>,
    /// Port ids each class exposes, ascending.
    pub exposed: Vec<Vec<u32>>,
    /// One row per source class.
    pub rows: Vec<Row>,
}

impl Matrix {
    /// Allowed ports from pod `from` to pod `to` (empty when the same pod).
    pub fn allowed_ports(&self, from: usize, to: usize) -> Vec<PortProto> {
        if from == to {
            return Vec::new();
        }
        self.rows[self.class_of[from]]
            .get(self.class_of[to])
            .iter()
            .map(|p| self.ports[*p as usize])
            .collect()
    }
}

/// Computes the matrix of `c`.
pub fn compute(c: &Cluster, opts: EvalOptions) -> Matrix {
    let vocab = classes::Vocabulary::of(c);
    let classes = classes::classes(c, &vocab);
    let mut class_of = vec![0; c.pods.len()];
    for (i, cl) in classes.iter().enumerate() {
        cl.pods.iter().for_each(|p| class_of[*p] = i);
    }
    let table: BTreeSet<PortProto> = classes
        .iter()
        .flat_map(|cl| c.pods[cl.rep].ports.iter())
        .map(|cp| PortProto::new(cp.port, cp.protocol))
        .collect();
    let ports: Vec<PortProto> = table.into_iter().collect();
    let exposed: Vec<Vec<u32>> = classes
        .iter()
        .map(|cl| {
            let mut e: Vec<u32> = c.pods[cl.rep]
                .ports
                .iter()
                .filter_map(|cp| {
                    ports
                        .binary_search(&PortProto::new(cp.port, cp.protocol))
                        .ok()
                })
                .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
                .collect();
            e.sort_unstable();
            e.dedup();
            e
        })
        .collect();
    let n = classes.len();
    let comp = compile::compile(c, opts, &classes, &vocab, ports.clone());
    let engine = engine::Engine::new(&comp);
    // Destinations exposing each port.
    let mut exposing = vec![BitSet::new(n); ports.len()];
    for (ci, e) in exposed.iter().enumerate() {
        e.iter().for_each(|p| exposing[*p as usize].set(ci));
    }
    let ingress: Vec<Vec<BitSet>> = (0..n)
        .into_par_iter()
        .map(|d| {
            exposed[d]
                .iter()
                .map(|p| engine.allowed(Direction::Ingress, d, *p as usize))
                .collect()
        })
        .collect();
    let rows: Vec<Row> = (0..n)
        .into_par_iter()
        .map(|s| {
            let egress: Vec<Option<BitSet>> = (0..ports.len())
                .map(|p| {
                    let mut b = engine.allowed(Direction::Egress, s, p);
                    b.and_with(&exposing[p]);
                    (!b.is_empty()).then_some(b)
                })
                .collect();
            let mut row = Row::default();
            let mut buf = Vec::new();
            for d in 0..n {
                buf.clear();
                for (k, p) in exposed[d].iter().enumerate() {
                    let out = egress[*p as usize].as_ref().is_some_and(|b| b.get(d));
                    if out && ingress[d][k].get(s) {
                        buf.push(*p);
                    }
                }
                if !buf.is_empty() {
                    row.push(d, &buf);
                }
            }
            row
        })
        .collect();
    Matrix {
        classes,
        class_of,
        ports,
        exposed,
        rows,
    }
}

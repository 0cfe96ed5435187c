//! The three tiers over bit sets: for one subject class, one direction and one port, the set
//! of peer classes the direction allows. Mirrors [`crate::eval::decide`] rule for rule.

use super::bitset::BitSet;
use super::compile::{CRule, Compiled};
use crate::model::admin::Action;
use crate::model::np::Direction;

/// Per-class lists of the policies that select each class.
#[derive(Debug)]
pub struct Engine<'a> {
    pub comp: &'a Compiled,
    admin_of: Vec<Vec<usize>>,
    np_in: Vec<Vec<usize>>,
    np_out: Vec<Vec<usize>>,
    baseline: BitSet,
}

/// Which destination classes a rule's ports cover at one port.
enum Ports {
    None,
    All,
    Some(BitSet),
}

impl<'a> Engine<'a> {
    pub fn new(comp: &'a Compiled) -> Self {
        let n = comp.n;
        let mut admin_of = vec![Vec::new(); n];
        for (ai, p) in comp.admin.iter().enumerate() {
            p.selects.ones().for_each(|c| admin_of[c].push(ai));
        }
        let (mut np_in, mut np_out) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for (pi, p) in comp.np.iter().enumerate() {
            for c in p.selects.ones() {
                if p.ingress.is_some() {
                    np_in[c].push(pi);
                }
                if p.egress.is_some() {
                    np_out[c].push(pi);
                }
            }
        }
        let baseline = comp
            .baseline
            .as_ref()
            .map_or_else(|| BitSet::new(n), |b| b.selects.clone());
        Self {
            comp,
            admin_of,
            np_in,
            np_out,
            baseline,
        }
    }

    /// Whether NetworkPolicies isolate `class` in direction `d`.
    pub fn isolated(&self, d: Direction, class: usize) -> bool {
        match d {
            Direction::Ingress => !self.np_in[class].is_empty(),
            Direction::Egress => !self.np_out[class].is_empty(),
        }
    }

    fn ports(&self, d: Direction, r: &CRule, subject: usize, pid: usize) -> Ports {
        let p = &r.ports;
        if p.any || p.fixed.get(pid).copied().unwrap_or(false) {
            return Ports::All;
        }
        let proto = self.comp.ports[pid].protocol;
        let mut set: Option<BitSet> = None;
        for (name, want) in &p.names {
            if want.is_some_and(|w| w != proto) {
                continue;
            }
            let Some(b) = self.comp.named.get(&(name.clone(), pid)) else {
                continue;
            };
            match d {
                // Ingress names resolve on the subject itself: all or nothing.
                Direction::Ingress if b.get(subject) => return Ports::All,
                Direction::Ingress => {}
                Direction::Egress => set
                    .get_or_insert_with(|| BitSet::new(self.comp.n))
                    .or_with(b),
            }
        }
        set.map_or(Ports::None, Ports::Some)
    }

    fn matching(
        &self,
        d: Direction,
        r: &CRule,
        subject: usize,
        pid: usize,
        within: &BitSet,
    ) -> Option<BitSet> {
        match self.ports(d, r, subject, pid) {
            Ports::None => None,
            Ports::All => {
                let mut m = r.peers.clone();
                m.and_with(within);
                (!m.is_empty()).then_some(m)
            }
            Ports::Some(ps) => r.peers.and3(&ps, within),
        }
    }

    /// The peer classes that direction `d` of `subject` allows on port `pid`.
    pub fn allowed(&self, d: Direction, subject: usize, pid: usize) -> BitSet {
        let n = self.comp.n;
        let mut undecided = BitSet::full(n);
        let mut allowed = BitSet::new(n);
        let mut passed = BitSet::new(n);
        for &ai in &self.admin_of[subject] {
            for r in self.comp.admin[ai].rules(d).unwrap_or(&[]) {
                let Some(m) = self.matching(d, r, subject, pid, &undecided) else {
                    continue;
                };
                match r.action {
                    Action::Allow => allowed.or_with(&m),
                    Action::Pass => passed.or_with(&m),
                    Action::Deny => {}
                }
                undecided.and_not_with(&m);
            }
        }
        let mut rest = undecided;
        rest.or_with(&passed);
        let nps = match d {
            Direction::Ingress => &self.np_in[subject],
            Direction::Egress => &self.np_out[subject],
        };
        if !nps.is_empty() {
            let mut np_allowed = BitSet::new(n);
            for &pi in nps {
                for r in self.comp.np[pi].rules(d).unwrap_or(&[]) {
                    if let Some(m) = self.matching(d, r, subject, pid, &rest) {
                        np_allowed.or_with(&m);
                    }
                }
            }
            allowed.or_with(&np_allowed);
        } else if let Some(b) = self
            .comp
            .baseline
            .as_ref()
            .filter(|_| self.baseline.get(subject))
        {
            for r in b.rules(d).unwrap_or(&[]) {
                let Some(m) = self.matching(d, r, subject, pid, &rest) else {
                    continue;
                };
                if r.action == Action::Allow {
                    allowed.or_with(&m);
                }
                rest.and_not_with(&m);
            }
            allowed.or_with(&rest);
        } else {
            allowed.or_with(&rest);
        }
        allowed
    }
}

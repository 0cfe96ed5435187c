//! What a change opens and closes: two matrices compared pod pair by pod pair, computed on
//! the classes common to both sides and reported per endpoint.

use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde_json::{json, Value};

use super::report::{endpoints, Endpoint, PodInfo};
use super::Matrix;
use crate::protocol::PortProto;
use crate::Cluster;

/// One changed endpoint pair.
#[derive(Debug, Clone)]
pub struct Change {
    pub from: String,
    pub to: String,
    pub ports: Vec<PortProto>,
}

/// Connections the new state allows and the old did not (`opened`), and the reverse.
#[derive(Debug, Default)]
pub struct MatrixDiff {
    pub opened: Vec<Change>,
    pub closed: Vec<Change>,
}

const NONE: usize = usize::MAX;

fn ports(m: &Matrix, s: usize, d: usize) -> Vec<PortProto> {
    if s == NONE || d == NONE {
        return Vec::new();
    }
    m.rows[s]
        .get(d)
        .iter()
        .map(|p| m.ports[*p as usize])
        .collect()
}

/// Compares `old` (cluster and matrix) with `new`. Pods are matched by namespace and name.
pub fn diff(old: (&Cluster, &Matrix), new: (&Cluster, &Matrix), per_pod: bool) -> MatrixDiff {
    let (c1, m1) = old;
    let (c2, m2) = new;
    // Every pod of either side, with its class on each side (NONE when absent).
    let mut pods: Vec<(&Cluster, usize, usize, usize)> = Vec::new();
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, p) in c2.pods.iter().enumerate() {
        seen.insert((&c2.namespaces[p.namespace].name, &p.name), pods.len());
        pods.push((c2, i, NONE, m2.class_of[i]));
    }
    for (i, p) in c1.pods.iter().enumerate() {
        match seen.get(&(c1.namespaces[p.namespace].name.as_str(), p.name.as_str())) {
            Some(&k) => pods[k].2 = m1.class_of[i],
            None => pods.push((c1, i, m1.class_of[i], NONE)),
        }
    }
    let mut joint: HashMap<(usize, usize), usize> = HashMap::new();
    let mut joint_classes: Vec<(usize, usize)> = Vec::new();
    let info: Vec<PodInfo<'_>> = pods
        .iter()
        .map(|&(c, i, a, b)| {
            let key = *joint.entry((a, b)).or_insert_with(|| {
                joint_classes.push((a, b));
                joint_classes.len() - 1
            });
            let p = &c.pods[i];
            PodInfo {
                namespace: &c.namespaces[p.namespace].name,
                workload: &p.workload,
                name: &p.name,
                key,
            }
        })
        .collect();
    let all: Vec<usize> = (0..info.len()).collect();
    let eps = endpoints(&info, &all, per_pod);
    let mut by_key: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, e) in eps.iter().enumerate() {
        by_key.entry(e.key).or_default().push(i);
    }
    let changes: Vec<(Vec<Change>, Vec<Change>)> = eps
        .par_iter()
        .map(|s| {
            let (mut opened, mut closed) = (Vec::new(), Vec::new());
            let (sa, sb) = joint_classes[s.key];
            for (jk, &(da, db)) in joint_classes.iter().enumerate() {
                let before = ports(m1, sa, da);
                let after = ports(m2, sb, db);
                if before == after {
                    continue;
                }
                let plus: Vec<PortProto> = after
                    .iter()
                    .filter(|p| !before.contains(p))
                    .copied()
                    .collect();
                let minus: Vec<PortProto> = before
                    .iter()
                    .filter(|p| !after.contains(p))
                    .copied()
                    .collect();
                for &di in by_key.get(&jk).into_iter().flatten() {
                    let d: &Endpoint = &eps[di];
                    if s.pods.len() == 1 && d.pods.len() == 1 && s.pods[0] == d.pods[0] {
                        continue;
                    }
                    let mk = |ports: &Vec<PortProto>| Change {
                        from: s.id.clone(),
                        to: d.id.clone(),
                        ports: ports.clone(),
                    };
                    if !plus.is_empty() {
                        opened.push(mk(&plus));
                    }
                    if !minus.is_empty() {
                        closed.push(mk(&minus));
                    }
                }
            }
            (opened, closed)
        })
        .collect();
    let mut out = MatrixDiff::default();
    for (o, c) in changes {
        out.opened.extend(o);
        out.closed.extend(c);
    }
    let order = |a: &Change, b: &Change| (&a.from, &a.to).cmp(&(&b.from, &b.to));
    out.opened.sort_by(order);
    out.closed.sort_by(order);
    out
}

impl MatrixDiff {
    pub fn is_empty(&self) -> bool {
        self.opened.is_empty() && self.closed.is_empty()
    }

    pub fn to_json(&self) -> Value {
        let list = |v: &[Change]| -> Vec<Value> {
            v.iter()
                .map(|c| json!({"from": c.from, "to": c.to, "ports": c.ports}))
                .collect()
        };
        json!({
            "version": 1,
            "summary": {"opened": self.opened.len(), "closed": self.closed.len()},
            "opened": list(&self.opened),
            "closed": list(&self.closed),
        })
    }

    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{} endpoint pairs opened, {} closed\n",
            self.opened.len(),
            self.closed.len()
        );
        for (sign, list) in [('+', &self.opened), ('-', &self.closed)] {
            for c in list {
                let ps: Vec<String> = c.ports.iter().map(ToString::to_string).collect();
                let _ = writeln!(s, "{sign} {} -> {}: {}", c.from, c.to, ps.join(", "));
            }
        }
        s
    }
}

//! The matrix for people and programs: pods grouped into endpoints (a workload whose pods all
//! share a class, else single pods), filtered, rendered as text or JSON.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde_json::{json, Value};

use super::Matrix;
use crate::protocol::PortProto;
use crate::Cluster;

/// What the grouping needs to know about a pod.
#[derive(Debug, Clone, Copy)]
pub struct PodInfo<'a> {
    pub namespace: &'a str,
    pub workload: &'a str,
    pub name: &'a str,
    /// Pods with equal keys are indistinguishable (their class).
    pub key: usize,
}

/// A row or column of the matrix: one workload, or one pod.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub id: String,
    pub namespace: String,
    pub pods: Vec<usize>,
    pub key: usize,
}

/// Groups `pods` (indexes into `info`) into endpoints, in namespace/name order.
pub fn endpoints(info: &[PodInfo<'_>], pods: &[usize], per_pod: bool) -> Vec<Endpoint> {
    let mut by_workload: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for &p in pods {
        let i = &info[p];
        let w = if per_pod { i.name } else { i.workload };
        by_workload.entry((i.namespace, w)).or_default().push(p);
    }
    let mut out = Vec::new();
    for ((ns, w), members) in by_workload {
        let key = info[members[0]].key;
        if members.iter().all(|p| info[*p].key == key) {
            out.push(Endpoint {
                id: format!("{ns}/{w}"),
                namespace: ns.to_string(),
                pods: members,
                key,
            });
        } else {
            for p in members {
                out.push(Endpoint {
                    id: format!("{ns}/{}", info[p].name),
                    namespace: ns.to_string(),
                    pods: vec![p],
                    key: info[p].key,
                });
            }
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// `*`/`?` glob match.
fn glob(pat: &str, s: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pat.chars().collect(), s.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Whether a pod matches a filter: `NS`, `NS/POD` or `NS/WORKLOAD`, with globs.
pub fn filter_matches(filters: &[String], i: &PodInfo<'_>) -> bool {
    filters.is_empty()
        || filters.iter().any(|f| match f.split_once('/') {
            None => glob(f, i.namespace),
            Some((ns, name)) => {
                glob(ns, i.namespace) && (glob(name, i.name) || glob(name, i.workload))
            }
        })
}

/// Per-pod grouping information of a cluster, keyed by the matrix's classes.
pub fn pod_info<'a>(c: &'a Cluster, m: &Matrix) -> Vec<PodInfo<'a>> {
    c.pods
        .iter()
        .enumerate()
        .map(|(i, p)| PodInfo {
            namespace: &c.namespaces[p.namespace].name,
            workload: &p.workload,
            name: &p.name,
            key: m.class_of[i],
        })
        .collect()
}

fn is_self(a: &Endpoint, b: &Endpoint) -> bool {
    a.pods.len() == 1 && b.pods.len() == 1 && a.pods[0] == b.pods[0]
}

/// The rendered matrix.
#[derive(Debug)]
pub struct MatrixReport {
    pub sources: Vec<Endpoint>,
    pub destinations: Vec<Endpoint>,
    /// Exposed ports of each destination endpoint.
    pub dst_ports: Vec<Vec<PortProto>>,
    /// Per source endpoint: groups of destination endpoints sharing the same allowed ports.
    pub rows: Vec<Vec<(Vec<PortProto>, Vec<usize>)>>,
    pub pods: usize,
    pub classes: usize,
}

impl MatrixReport {
    pub fn new(c: &Cluster, m: &Matrix, per_pod: bool, from: &[String], to: &[String]) -> Self {
        let info = pod_info(c, m);
        let pick = |f: &[String]| -> Vec<usize> {
            (0..info.len())
                .filter(|p| filter_matches(f, &info[*p]))
                .collect()
        };
        let sources = endpoints(&info, &pick(from), per_pod);
        let mut destinations = endpoints(&info, &pick(to), per_pod);
        destinations.retain(|d| !m.exposed[d.key].is_empty());
        let mut by_class: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, d) in destinations.iter().enumerate() {
            by_class.entry(d.key).or_default().push(i);
        }
        let port_list =
            |ids: &[u32]| -> Vec<PortProto> { ids.iter().map(|p| m.ports[*p as usize]).collect() };
        let dst_ports = destinations
            .iter()
            .map(|d| port_list(&m.exposed[d.key]))
            .collect();
        let rows = sources
            .iter()
            .map(|s| {
                let mut groups: BTreeMap<&[u32], Vec<usize>> = BTreeMap::new();
                for (dc, ports) in m.rows[s.key].iter() {
                    for &di in by_class.get(&dc).into_iter().flatten() {
                        if !is_self(s, &destinations[di]) {
                            groups.entry(ports).or_default().push(di);
                        }
                    }
                }
                groups
                    .into_iter()
                    .map(|(ports, mut ds)| {
                        ds.sort_unstable();
                        (port_list(ports), ds)
                    })
                    .collect()
            })
            .collect();
        Self {
            sources,
            destinations,
            dst_ports,
            rows,
            pods: c.pods.len(),
            classes: m.classes.len(),
        }
    }

    fn allowed_pairs(&self) -> usize {
        self.rows.iter().flatten().map(|(_, d)| d.len()).sum()
    }

    pub fn to_json(&self, c: &Cluster) -> Value {
        let ep = |e: &Endpoint, ports: Option<&Vec<PortProto>>| {
            let mut v = json!({
                "id": e.id, "namespace": e.namespace,
                "pods": e.pods.iter().map(|p| c.pods[*p].name.as_str()).collect::<Vec<_>>(),
            });
            if let Some(p) = ports {
                v["ports"] = json!(p);
            }
            v
        };
        let reach: Vec<Value> = self
            .sources
            .iter()
            .zip(&self.rows)
            .filter(|(_, r)| !r.is_empty())
            .map(|(s, groups)| {
                let to: Vec<Value> = groups
                    .iter()
                    .map(|(ports, ds)| {
                        let ids: Vec<&str> = ds
                            .iter()
                            .map(|d| self.destinations[*d].id.as_str())
                            .collect();
                        json!({"ports": ports, "to": ids})
                    })
                    .collect();
                json!({"from": s.id, "allowed": to})
            })
            .collect();
        json!({
            "version": 1,
            "summary": {
                "pods": self.pods, "classes": self.classes,
                "sources": self.sources.len(), "destinations": self.destinations.len(),
                "allowed_pairs": self.allowed_pairs(),
            },
            "sources": self.sources.iter().map(|s| ep(s, None)).collect::<Vec<_>>(),
            "destinations": self.destinations.iter().zip(&self.dst_ports).map(|(d, p)| ep(d, Some(p))).collect::<Vec<_>>(),
            "reachability": reach,
        })
    }

    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{} pods in {} classes; {} sources, {} destinations with exposed ports; {} allowed pairs\n",
            self.pods,
            self.classes,
            self.sources.len(),
            self.destinations.len(),
            self.allowed_pairs()
        );
        if self.sources.len() <= 30
            && self.destinations.len() <= 30
            && !self.destinations.is_empty()
        {
            self.grid(&mut s);
        }
        for (src, groups) in self.sources.iter().zip(&self.rows) {
            for (ports, ds) in groups {
                let ids: Vec<&str> = ds
                    .iter()
                    .map(|d| self.destinations[*d].id.as_str())
                    .collect();
                let ps: Vec<String> = ports.iter().map(ToString::to_string).collect();
                let _ = writeln!(s, "{} -> {}: {}", src.id, ids.join(", "), ps.join(", "));
            }
        }
        s
    }

    /// A small table: `A` every exposed port allowed, `p` some, `.` none.
    fn grid(&self, s: &mut String) {
        let w = self.sources.iter().map(|e| e.id.len()).max().unwrap_or(0);
        s.push('\n');
        for (i, d) in self.destinations.iter().enumerate() {
            let _ = writeln!(s, "  [{i}] {} ({})", d.id, join(&self.dst_ports[i]));
        }
        let _ = write!(s, "{:w$} ", "");
        for i in 0..self.destinations.len() {
            let _ = write!(s, "{:>3}", i);
        }
        s.push('\n');
        for (src, groups) in self.sources.iter().zip(&self.rows) {
            let mut cells = vec!['.'; self.destinations.len()];
            for (ports, ds) in groups {
                for d in ds {
                    cells[*d] = if ports.len() == self.dst_ports[*d].len() {
                        'A'
                    } else {
                        'p'
                    };
                }
            }
            let _ = write!(s, "{:w$} ", src.id);
            for c in cells {
                let _ = write!(s, "{c:>3}");
            }
            s.push('\n');
        }
        s.push_str("(A: every exposed port allowed, p: some, .: none)\n\n");
    }
}

fn join(ps: &[PortProto]) -> String {
    ps.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("web-*", "web-7f9c"));
        assert!(glob("*", ""));
        assert!(glob("a?c", "abc"));
        assert!(!glob("web", "web-1"));
        assert!(glob("*-prod", "payments-prod"));
    }
}

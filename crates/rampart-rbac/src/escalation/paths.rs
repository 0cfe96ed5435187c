//! Shortest paths to the goals: one breadth-first search backwards from each goal.

use std::collections::VecDeque;

use super::{Graph, Node};

/// A subject's shortest paths, as edge indexes from the subject to the goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectPaths {
    pub node: usize,
    pub cluster_admin: Option<Vec<usize>>,
    pub node_root: Option<Vec<usize>>,
}

/// For every node, the first edge of a shortest path to `goal` (`None`: no path).
fn next_hops(graph: &Graph, goal: usize) -> Vec<Option<usize>> {
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    for (e, edge) in graph.edges.iter().enumerate() {
        incoming[edge.to].push(e);
    }
    let mut next = vec![None; graph.nodes.len()];
    let mut reached = vec![false; graph.nodes.len()];
    reached[goal] = true;
    let mut queue = VecDeque::from([goal]);
    while let Some(v) = queue.pop_front() {
        for &e in &incoming[v] {
            let u = graph.edges[e].from;
            if !reached[u] {
                reached[u] = true;
                next[u] = Some(e);
                queue.push_back(u);
            }
        }
    }
    next
}

fn path(graph: &Graph, next: &[Option<usize>], from: usize) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut at = from;
    while let Some(e) = next[at] {
        out.push(e);
        at = graph.edges[e].to;
    }
    (!out.is_empty()).then_some(out)
}

/// The shortest paths of `subjects` (node ids) that reach a goal, sorted by subject.
pub(super) fn shortest(graph: &Graph, subjects: &[usize]) -> Vec<SubjectPaths> {
    let goal = |n: Node| graph.nodes.iter().position(|x| *x == n);
    let admin = goal(Node::ClusterAdmin).map(|g| next_hops(graph, g));
    let root = goal(Node::NodeRoot).map(|g| next_hops(graph, g));
    let mut out: Vec<SubjectPaths> = subjects
        .iter()
        .map(|&s| SubjectPaths {
            node: s,
            cluster_admin: admin.as_ref().and_then(|n| path(graph, n, s)),
            node_root: root.as_ref().and_then(|n| path(graph, n, s)),
        })
        .filter(|p| p.cluster_admin.is_some() || p.node_root.is_some())
        .collect();
    out.sort_by_cached_key(|p| graph.nodes[p.node].to_string());
    out
}

//! The escalation report as JSON, text and Graphviz DOT.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;

use super::{Analysis, Node};
use crate::policy::Policy;

/// A binding named on an edge.
#[derive(Debug, Clone, Serialize)]
pub struct BindingView {
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub role_kind: String,
    pub role: String,
}

/// One step of a path.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub from: String,
    pub to: String,
    pub how: String,
    pub bindings: Vec<BindingView>,
}

/// A path to a goal.
#[derive(Debug, Clone, Serialize)]
pub struct PathView {
    pub length: usize,
    pub steps: Vec<StepView>,
}

/// One subject's paths.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectView {
    pub subject: String,
    pub kind: &'static str,
    pub name: String,
    pub namespace: String,
    pub cluster_admin: Option<PathView>,
    pub node_root: Option<PathView>,
}

/// Counts.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub subjects: usize,
    pub to_cluster_admin: usize,
    pub to_node_root: usize,
    pub nodes: usize,
    pub edges: usize,
}

/// `rampart rbac escalations --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub subjects: Vec<SubjectView>,
    pub summary: Summary,
}

fn binding_view(policy: &Policy, b: usize) -> BindingView {
    let def = &policy.bindings[b].def;
    BindingView {
        kind: def.kind.as_str(),
        namespace: def.namespace.clone(),
        name: def.name.clone(),
        role_kind: def.role_ref.kind.clone(),
        role: def.role_ref.name.clone(),
    }
}

fn path_view(a: &Analysis, policy: &Policy, edges: &[usize]) -> PathView {
    PathView {
        length: edges.len(),
        steps: edges
            .iter()
            .map(|&e| {
                let edge = &a.graph.edges[e];
                StepView {
                    from: a.graph.nodes[edge.from].to_string(),
                    to: a.graph.nodes[edge.to].to_string(),
                    how: edge.how.clone(),
                    bindings: edge
                        .bindings
                        .iter()
                        .map(|&b| binding_view(policy, b))
                        .collect(),
                }
            })
            .collect(),
    }
}

impl Report {
    pub fn new(a: &Analysis, policy: &Policy) -> Report {
        let subjects: Vec<SubjectView> = a
            .subjects
            .iter()
            .filter_map(|p| {
                let Node::Identity(s) = &a.graph.nodes[p.node] else {
                    return None;
                };
                Some(SubjectView {
                    subject: s.to_string(),
                    kind: s.kind(),
                    name: s.name().to_string(),
                    namespace: s.namespace().to_string(),
                    cluster_admin: p.cluster_admin.as_deref().map(|e| path_view(a, policy, e)),
                    node_root: p.node_root.as_deref().map(|e| path_view(a, policy, e)),
                })
            })
            .collect();
        let summary = Summary {
            subjects: a.identities,
            to_cluster_admin: subjects
                .iter()
                .filter(|s| s.cluster_admin.is_some())
                .count(),
            to_node_root: subjects.iter().filter(|s| s.node_root.is_some()).count(),
            nodes: a.graph.nodes.len(),
            edges: a.graph.edges.len(),
        };
        Report { subjects, summary }
    }

    /// The report as text: each subject, then its paths step by step.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for subj in &self.subjects {
            let _ = writeln!(s, "{}", subj.subject);
            for (goal, path) in [
                ("cluster-admin", &subj.cluster_admin),
                ("node-root", &subj.node_root),
            ] {
                let Some(p) = path else { continue };
                let steps = if p.length == 1 { "step" } else { "steps" };
                let _ = writeln!(s, "  {goal} in {} {steps}:", p.length);
                for step in &p.steps {
                    let via: Vec<String> = step
                        .bindings
                        .iter()
                        .map(|b| match b.namespace.as_str() {
                            "" => format!("{} {}", b.kind, b.name),
                            ns => format!("{} {ns}/{}", b.kind, b.name),
                        })
                        .collect();
                    let via = if via.is_empty() {
                        String::new()
                    } else {
                        format!("  [{}]", via.join(", "))
                    };
                    let _ = writeln!(s, "    -> {}: {}{via}", step.to, step.how);
                }
            }
        }
        let m = &self.summary;
        let _ = writeln!(
            s,
            "{} of {} subjects can become cluster-admin, {} can reach node-root ({} nodes, {} edges)",
            m.to_cluster_admin, m.subjects, m.to_node_root, m.nodes, m.edges
        );
        s
    }
}

fn dot_id(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The edges on the reported shortest paths as a Graphviz digraph.
pub fn dot(a: &Analysis) -> String {
    let mut edges = BTreeSet::new();
    for p in &a.subjects {
        edges.extend(p.cluster_admin.iter().flatten().copied());
        edges.extend(p.node_root.iter().flatten().copied());
    }
    let mut nodes = BTreeSet::new();
    for &e in &edges {
        nodes.insert(a.graph.edges[e].from);
        nodes.insert(a.graph.edges[e].to);
    }
    let mut s = String::from(
        "digraph escalations {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for &n in &nodes {
        let node = &a.graph.nodes[n];
        let style = match node {
            Node::ClusterAdmin | Node::NodeRoot => {
                ", shape=doubleoctagon, style=filled, fillcolor=\"#f4cccc\""
            }
            Node::Identity(_) => "",
            _ => ", shape=ellipse, style=dashed",
        };
        let _ = writeln!(s, "  n{n} [label={}{style}];", dot_id(&node.to_string()));
    }
    for &e in &edges {
        let edge = &a.graph.edges[e];
        let _ = writeln!(
            s,
            "  n{} -> n{} [label={}];",
            edge.from,
            edge.to,
            dot_id(&edge.how)
        );
    }
    s.push_str("}\n");
    s
}

//! Privilege-escalation graph (KubeHound-style): identities, a few capability nodes and two
//! goals, *cluster-admin* and *node-root*; an edge means "the source can become or act as the
//! target", labelled with the permission and the bindings that give it. Each subject gets its
//! shortest path to each goal.
//!
//! The graph is built from capabilities read off each role once ([`caps`]) and each
//! subject's own bindings (found in one pass over the bindings); [`analyze_brute`] builds
//! the same graph by scanning every binding for every subject, as the benchmark floor.

mod build;
pub mod caps;
mod edges;
mod paths;
pub mod render;
mod structural;

use std::fmt;

use crate::model::Subject;
use crate::Cluster;

pub use paths::SubjectPaths;

/// A node of the escalation graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    Identity(Subject),
    /// Any ServiceAccount of one namespace (by running a pod as it).
    ServiceAccountsOf(String),
    /// Any ServiceAccount of any namespace.
    EveryServiceAccount,
    /// Full control of one namespace.
    NamespaceAdmin(String),
    /// Full control of every namespace (not of cluster-scoped resources).
    EveryNamespaceAdmin,
    /// Any user (impersonation without names).
    AnyUser,
    /// Goal: every permission on every resource.
    ClusterAdmin,
    /// Goal: root on a node (and so every token on it).
    NodeRoot,
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Identity(s) => write!(f, "{s}"),
            Node::ServiceAccountsOf(ns) => write!(f, "any ServiceAccount of {ns}"),
            Node::EveryServiceAccount => f.write_str("any ServiceAccount"),
            Node::NamespaceAdmin(ns) => write!(f, "admin of namespace {ns}"),
            Node::EveryNamespaceAdmin => f.write_str("admin of every namespace"),
            Node::AnyUser => f.write_str("any user"),
            Node::ClusterAdmin => f.write_str("cluster-admin"),
            Node::NodeRoot => f.write_str("node-root"),
        }
    }
}

/// "`from` can become or act as `to`", and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// The permission, in words.
    pub how: String,
    /// Policy indexes of the bindings that give it (empty for structural edges).
    pub bindings: Vec<usize>,
}

/// The graph.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// The graph and every binding subject's shortest paths to the goals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    pub graph: Graph,
    /// Subjects with a path to at least one goal, sorted by their `Kind:name` form.
    pub subjects: Vec<SubjectPaths>,
    /// Number of distinct binding subjects considered.
    pub identities: usize,
}

/// Builds the graph with indexes and finds every subject's shortest paths.
pub fn analyze(cluster: &Cluster) -> Analysis {
    let (graph, identities) = build::build(cluster, build::Mode::Indexed);
    let subjects = paths::shortest(&graph, &identities);
    Analysis {
        graph,
        subjects,
        identities: identities.len(),
    }
}

/// The same analysis, finding each subject's bindings by scanning every binding and reading
/// every role's rules anew for each of them (the benchmark's brute-force floor).
pub fn analyze_brute(cluster: &Cluster) -> Analysis {
    let (graph, identities) = build::build(cluster, build::Mode::Brute);
    let subjects = paths::shortest(&graph, &identities);
    Analysis {
        graph,
        subjects,
        identities: identities.len(),
    }
}

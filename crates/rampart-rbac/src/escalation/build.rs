//! Building the escalation graph from a cluster.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use super::caps::Caps;
use super::{Edge, Graph, Node};
use crate::identity::{
    split_service_account, ANONYMOUS, AUTHENTICATED, MASTERS, SERVICE_ACCOUNTS, UNAUTHENTICATED,
};
use crate::model::{BindingKind, RoleKind, Subject};
use crate::parse::Inventory;
use crate::policy::Policy;
use crate::Cluster;

/// How each subject's bindings are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// One pass over the bindings, role capabilities read once per role.
    Indexed,
    /// Every binding scanned for every subject, capabilities read per binding.
    Brute,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope<'a> {
    Cluster,
    Namespace(&'a str),
}

/// One binding of a subject, with what its role can do.
#[derive(Debug, Clone)]
pub(super) struct Held<'a> {
    pub binding: usize,
    pub scope: Scope<'a>,
    pub caps: Rc<Caps>,
}

/// A `User` named like a service account is that service account (names are compared).
fn normalize(s: &Subject) -> Subject {
    if let Subject::User(u) = s {
        if let Some((ns, name)) = split_service_account(u) {
            return Subject::ServiceAccount {
                namespace: ns.to_string(),
                name: name.to_string(),
            };
        }
    }
    s.clone()
}

/// Every binding subject with the bindings naming it (ascending).
fn subjects(policy: &Policy, mode: Mode) -> Vec<(Subject, Vec<usize>)> {
    let all = || {
        policy.bindings.iter().enumerate().flat_map(|(b, binding)| {
            binding
                .subjects
                .iter()
                .flatten()
                .map(move |s| (b, normalize(s)))
        })
    };
    match mode {
        Mode::Indexed => {
            let mut map: HashMap<Subject, Vec<usize>> = HashMap::new();
            for (b, s) in all() {
                let v = map.entry(s).or_default();
                if v.last() != Some(&b) {
                    v.push(b);
                }
            }
            let mut out: Vec<_> = map.into_iter().collect();
            out.sort();
            out
        }
        Mode::Brute => {
            let unique: BTreeSet<Subject> = all().map(|(_, s)| s).collect();
            unique
                .into_iter()
                .map(|s| {
                    let own = (0..policy.bindings.len())
                        .filter(|&b| {
                            policy.bindings[b]
                                .subjects
                                .iter()
                                .flatten()
                                .any(|x| normalize(x) == s)
                        })
                        .collect();
                    (s, own)
                })
                .collect()
        }
    }
}

pub(super) struct Builder<'c> {
    pub policy: &'c Policy,
    pub inv: &'c Inventory,
    pub graph: Graph,
    index: HashMap<Node, usize>,
    seen: HashSet<(usize, usize)>,
    /// Identity nodes of service accounts, by name (for name-only grants across namespaces).
    pub sa_by_name: HashMap<String, Vec<usize>>,
    caps_memo: Vec<Option<Rc<Caps>>>,
    mode: Mode,
}

impl<'c> Builder<'c> {
    pub fn node_id(&self, n: &Node) -> Option<usize> {
        self.index.get(n).copied()
    }

    pub fn node(&mut self, n: Node) -> usize {
        if let Some(&i) = self.index.get(&n) {
            return i;
        }
        let i = self.graph.nodes.len();
        if let Node::Identity(Subject::ServiceAccount { name, .. }) = &n {
            self.sa_by_name.entry(name.clone()).or_default().push(i);
        }
        self.index.insert(n.clone(), i);
        self.graph.nodes.push(n);
        i
    }

    pub fn edge(&mut self, from: usize, to: Node, how: impl Into<String>, bindings: Vec<usize>) {
        let to = self.node(to);
        self.edge_to(from, to, how, bindings);
    }

    pub fn edge_to(
        &mut self,
        from: usize,
        to: usize,
        how: impl Into<String>,
        bindings: Vec<usize>,
    ) {
        if from != to && self.seen.insert((from, to)) {
            self.graph.edges.push(Edge {
                from,
                to,
                how: how.into(),
                bindings,
            });
        }
    }

    pub fn group(&self, name: &str) -> Option<usize> {
        self.node_id(&Node::Identity(Subject::Group(name.to_string())))
    }

    /// The groups an identity is a member of without any binding saying so.
    pub fn implied_groups(s: &Subject) -> Vec<String> {
        match s {
            Subject::Group(_) => Vec::new(),
            Subject::User(u) if u == ANONYMOUS => vec![UNAUTHENTICATED.to_string()],
            Subject::User(_) => vec![AUTHENTICATED.to_string()],
            Subject::ServiceAccount { namespace, .. } => vec![
                SERVICE_ACCOUNTS.to_string(),
                format!("{SERVICE_ACCOUNTS}:{namespace}"),
                AUTHENTICATED.to_string(),
            ],
        }
    }

    /// Membership edges from `node` to its implied groups that are in the graph.
    pub fn member_edges(&mut self, node: usize) {
        let Node::Identity(s) = &self.graph.nodes[node] else {
            return;
        };
        for g in Self::implied_groups(&s.clone()) {
            if let Some(gid) = self.group(&g) {
                self.edge_to(node, gid, format!("member of {g}"), Vec::new());
            }
        }
    }

    /// The node of service account `ns/name`, created when it gains something through its
    /// implied groups; `None` when it can do nothing of interest.
    pub fn service_account(&mut self, ns: &str, name: &str) -> Option<usize> {
        let n = Node::Identity(Subject::ServiceAccount {
            namespace: ns.to_string(),
            name: name.to_string(),
        });
        if let Some(i) = self.node_id(&n) {
            return Some(i);
        }
        let useful = [
            SERVICE_ACCOUNTS.to_string(),
            format!("{SERVICE_ACCOUNTS}:{ns}"),
            AUTHENTICATED.to_string(),
        ]
        .iter()
        .any(|g| self.group(g).is_some());
        if !useful {
            return None;
        }
        let i = self.node(n);
        self.member_edges(i);
        Some(i)
    }

    fn caps(&mut self, role: usize) -> Rc<Caps> {
        if self.mode == Mode::Brute {
            return Rc::new(Caps::of(&self.policy.roles[role].rules));
        }
        if let Some(c) = &self.caps_memo[role] {
            return Rc::clone(c);
        }
        let c = Rc::new(Caps::of(&self.policy.roles[role].rules));
        self.caps_memo[role] = Some(Rc::clone(&c));
        c
    }

    /// The subject's bindings whose roles can do something of interest.
    fn held(&mut self, own: &[usize]) -> Vec<Held<'c>> {
        let policy = self.policy;
        let mut out = Vec::new();
        for &b in own {
            let def = &policy.bindings[b].def;
            let Some(role) = policy.bindings[b].role else {
                continue;
            };
            let caps = self.caps(role);
            if caps.is_empty() {
                continue;
            }
            let scope = match def.kind {
                BindingKind::ClusterRoleBinding => Scope::Cluster,
                BindingKind::RoleBinding => Scope::Namespace(&def.namespace),
            };
            out.push(Held {
                binding: b,
                scope,
                caps,
            });
        }
        out
    }

    /// A ClusterRole's capabilities, by name (for `bind` on named roles).
    pub fn clusterrole_caps(&mut self, name: &str) -> Option<Rc<Caps>> {
        let idx = self.policy.role_id(RoleKind::ClusterRole, "", name)?;
        Some(self.caps(idx))
    }
}

/// Builds the graph; returns it with the node ids of the binding subjects.
pub(crate) fn build(cluster: &Cluster, mode: Mode) -> (Graph, Vec<usize>) {
    let policy = &cluster.policy;
    let mut b = Builder {
        policy,
        inv: &cluster.inventory,
        graph: Graph::default(),
        index: HashMap::new(),
        seen: HashSet::new(),
        sa_by_name: HashMap::new(),
        caps_memo: vec![None; policy.roles.len()],
        mode,
    };
    let subjects = subjects(policy, mode);
    let ids: Vec<usize> = subjects
        .iter()
        .map(|(s, _)| b.node(Node::Identity(s.clone())))
        .collect();
    let masters = b.node(Node::Identity(Subject::Group(MASTERS.to_string())));
    b.edge(
        masters,
        Node::ClusterAdmin,
        "membership of system:masters bypasses RBAC",
        Vec::new(),
    );
    let held: Vec<Vec<Held<'_>>> = subjects.iter().map(|(_, own)| b.held(own)).collect();
    let by_group: HashMap<&Subject, usize> = subjects
        .iter()
        .enumerate()
        .filter(|(_, (s, _))| matches!(s, Subject::Group(_)))
        .map(|(i, (s, _))| (s, i))
        .collect();
    // What each group reaches by a combination on its own (computed once, not per member).
    let group_combos: HashMap<usize, Vec<Node>> = by_group
        .values()
        .map(|&g| {
            let targets = super::edges::combos(&mut b, &held[g]);
            (g, targets.into_iter().map(|(n, _, _)| n).collect())
        })
        .collect();
    for (i, (subject, _)) in subjects.iter().enumerate() {
        let from = ids[i];
        for h in &held[i] {
            super::edges::single(&mut b, from, h);
        }
        // Combinations may draw on the subject's implied groups as well.
        let groups: Vec<usize> = Builder::implied_groups(subject)
            .into_iter()
            .filter_map(|g| by_group.get(&Subject::Group(g)).copied())
            .collect();
        let mut all: Vec<Held<'_>> = held[i].clone();
        for &g in &groups {
            all.extend(held[g].iter().cloned());
        }
        let from_groups = |to: &Node| {
            groups
                .iter()
                .any(|g| group_combos.get(g).is_some_and(|t| t.contains(to)))
        };
        for (to, how, bindings) in super::edges::combos(&mut b, &all) {
            if !from_groups(&to) {
                b.edge(from, to, how, bindings);
            }
        }
        b.member_edges(from);
    }
    super::structural::edges(&mut b);
    (b.graph, ids)
}

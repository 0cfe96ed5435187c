//! Structural edges: out of the capability nodes (what "any ServiceAccount of a namespace",
//! "admin of a namespace", "node-root" … lead to), added after every subject's own edges.

use std::collections::BTreeMap;

use super::build::Builder;
use super::Node;
use crate::identity::SERVICE_ACCOUNTS;
use crate::model::Subject;

/// Edges out of the capability nodes.
pub(super) fn edges(b: &mut Builder<'_>) {
    let mut sa_in: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut users = Vec::new();
    let mut sa_groups = Vec::new();
    for (i, n) in b.graph.nodes.iter().enumerate() {
        match n {
            Node::Identity(Subject::ServiceAccount { namespace, .. }) => {
                sa_in.entry(namespace.clone()).or_default().push(i)
            }
            Node::Identity(Subject::User(_)) => users.push(i),
            Node::Identity(Subject::Group(g))
                if g == SERVICE_ACCOUNTS || g.starts_with("system:serviceaccounts:") =>
            {
                sa_groups.push(i)
            }
            _ => {}
        }
    }
    let mut i = 0;
    while i < b.graph.nodes.len() {
        match b.graph.nodes[i].clone() {
            Node::ServiceAccountsOf(ns) => {
                for &to in sa_in.get(&ns).into_iter().flatten() {
                    b.edge_to(i, to, "run a pod as it (its token is mounted)", Vec::new());
                }
                for g in [
                    format!("{SERVICE_ACCOUNTS}:{ns}"),
                    SERVICE_ACCOUNTS.to_string(),
                ] {
                    if let Some(to) = b.group(&g) {
                        b.edge_to(
                            i,
                            to,
                            format!("its ServiceAccounts are members of {g}"),
                            Vec::new(),
                        );
                    }
                }
            }
            Node::EveryServiceAccount => {
                for &to in sa_in.values().flatten().chain(&sa_groups) {
                    b.edge_to(i, to, "run a pod as any ServiceAccount", Vec::new());
                }
            }
            Node::NamespaceAdmin(ns) => {
                b.edge(
                    i,
                    Node::ServiceAccountsOf(ns.clone()),
                    format!("create pods in {ns}"),
                    Vec::new(),
                );
                b.edge(
                    i,
                    Node::NodeRoot,
                    "create a privileged or hostPath pod (where admission allows it)",
                    Vec::new(),
                );
            }
            Node::EveryNamespaceAdmin => {
                b.edge(
                    i,
                    Node::EveryServiceAccount,
                    "create pods in any namespace",
                    Vec::new(),
                );
                b.edge(
                    i,
                    Node::NodeRoot,
                    "create a privileged or hostPath pod (where admission allows it)",
                    Vec::new(),
                );
            }
            Node::ClusterAdmin => {
                b.edge(
                    i,
                    Node::NodeRoot,
                    "create a privileged pod on any node",
                    Vec::new(),
                );
            }
            Node::AnyUser => {
                for &to in &users {
                    b.edge_to(i, to, "impersonate this user", Vec::new());
                }
            }
            Node::NodeRoot => {
                let inv = b.inv;
                for w in &inv.workloads {
                    if let Some(to) = b.service_account(&w.namespace, &w.service_account) {
                        let how = format!(
                            "read the token of {} {}/{} on its node",
                            w.kind, w.namespace, w.name
                        );
                        b.edge_to(i, to, how, Vec::new());
                    }
                }
                if let Some(to) = b.group("system:nodes") {
                    b.edge_to(
                        i,
                        to,
                        "use the node's kubelet credentials (system:nodes)",
                        Vec::new(),
                    );
                }
            }
            _ => {}
        }
        i += 1;
    }
}

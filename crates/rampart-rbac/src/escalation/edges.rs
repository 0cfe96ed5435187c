//! The edges: what each held permission (or combination of permissions) lets a subject
//! become, and the structural edges out of the capability nodes.

use std::collections::BTreeMap;

use super::build::{Builder, Held, Scope};
use super::caps::{Caps, Names};
use super::Node;
use crate::identity::{split_service_account, MASTERS};
use crate::model::{RoleKind, Subject};

/// Signers whose client certificates authenticate any user and group to the API server.
const CLIENT_SIGNERS: &[&str] = &["kubernetes.io/kube-apiserver-client", "kubernetes.io/*"];
/// The signer of kubelet client certificates (`system:node:<name>`).
const KUBELET_SIGNER: &str = "kubernetes.io/kube-apiserver-client-kubelet";

/// Edges a single binding gives.
pub(super) fn single(b: &mut Builder<'_>, from: usize, h: &Held<'_>) {
    let c = &*h.caps;
    let bs = vec![h.binding];
    let ns = match h.scope {
        Scope::Cluster => None,
        Scope::Namespace(ns) => Some(ns),
    };
    let where_ = ns.map_or_else(|| "any namespace".to_string(), |n| n.to_string());
    if c.wildcard {
        match ns {
            None => b.edge(
                from,
                Node::ClusterAdmin,
                "`*` on `*` cluster-wide",
                bs.clone(),
            ),
            Some(n) => b.edge(
                from,
                Node::NamespaceAdmin(n.into()),
                format!("`*` on `*` in {n}"),
                bs.clone(),
            ),
        }
    }
    if c.create_pods {
        let to = ns.map_or(Node::EveryServiceAccount, |n| {
            Node::ServiceAccountsOf(n.into())
        });
        b.edge(
            from,
            to,
            format!("create pods in {where_}, running as any ServiceAccount there"),
            bs.clone(),
        );
        b.edge(
            from,
            Node::NodeRoot,
            "create a privileged or hostPath pod (where admission allows it)",
            bs.clone(),
        );
    }
    exec(b, from, ns, &c.exec, &bs);
    secrets(b, from, ns, &c.read_secrets, &bs);
    service_accounts(b, from, ns, &c.create_token, "create a token for", &bs);
    service_accounts(b, from, ns, &c.impersonate_sa, "impersonate", &bs);
    if ns.is_some() {
        return; // The rest is cluster-scoped: a RoleBinding never grants it.
    }
    users(b, from, &c.impersonate_user, &bs);
    if c.impersonate_group.covers(MASTERS) {
        let m = Node::Identity(Subject::Group(MASTERS.into()));
        b.edge(from, m, "impersonate group system:masters", bs.clone());
    }
    if let Names::Only(groups) = &c.impersonate_group {
        for g in groups {
            if let Some(to) = b.group(g) {
                b.edge_to(from, to, format!("impersonate group {g}"), bs.clone());
            }
        }
    }
    if c.nodes_proxy {
        b.edge(
            from,
            Node::NodeRoot,
            "nodes/proxy: run commands in any pod through the kubelet API",
            bs.clone(),
        );
    }
    if c.webhook_write {
        b.edge(
            from,
            Node::ClusterAdmin,
            "write admission webhook configurations: intercept every API write",
            bs.clone(),
        );
    }
    if c.create_pv {
        b.edge(
            from,
            Node::NodeRoot,
            "create a hostPath PersistentVolume and mount it in a pod",
            bs,
        );
    }
}

fn exec(b: &mut Builder<'_>, from: usize, ns: Option<&str>, names: &Names, bs: &[usize]) {
    if !names.any() {
        return;
    }
    let inv = b.inv;
    for w in &inv.workloads {
        let named = w.kind == "Pod" && names.covers(&w.name);
        if ns.is_some_and(|n| n != w.namespace) || !(matches!(names, Names::All) || named) {
            continue;
        }
        if let Some(to) = b.service_account(&w.namespace, &w.service_account) {
            let how = format!(
                "exec into {} {}/{}, which runs as it",
                w.kind, w.namespace, w.name
            );
            b.edge_to(from, to, how, bs.to_vec());
        }
    }
}

fn secrets(b: &mut Builder<'_>, from: usize, ns: Option<&str>, names: &Names, bs: &[usize]) {
    if !names.any() {
        return;
    }
    let inv = b.inv;
    for (sns, sa, secret) in &inv.token_secrets {
        if ns.is_some_and(|n| n != sns) || !names.covers(secret) {
            continue;
        }
        if let Some(to) = b.service_account(sns, sa) {
            b.edge_to(
                from,
                to,
                format!("read its token Secret {sns}/{secret}"),
                bs.to_vec(),
            );
        }
    }
}

fn service_accounts(
    b: &mut Builder<'_>,
    from: usize,
    ns: Option<&str>,
    names: &Names,
    verb: &str,
    bs: &[usize],
) {
    match (names, ns) {
        (Names::None, _) => {}
        (Names::All, Some(n)) => {
            b.edge(
                from,
                Node::ServiceAccountsOf(n.into()),
                format!("{verb} any ServiceAccount of {n}"),
                bs.to_vec(),
            );
        }
        (Names::All, None) => b.edge(
            from,
            Node::EveryServiceAccount,
            format!("{verb} any ServiceAccount"),
            bs.to_vec(),
        ),
        (Names::Only(set), Some(n)) => {
            for name in set {
                if let Some(to) = b.service_account(n, name) {
                    b.edge_to(from, to, format!("{verb} it"), bs.to_vec());
                }
            }
        }
        (Names::Only(set), None) => {
            for name in set {
                let targets = b.sa_by_name.get(name).cloned().unwrap_or_default();
                for to in targets {
                    b.edge_to(from, to, format!("{verb} it"), bs.to_vec());
                }
            }
        }
    }
}

fn users(b: &mut Builder<'_>, from: usize, names: &Names, bs: &[usize]) {
    match names {
        Names::None => {}
        Names::All => b.edge(from, Node::AnyUser, "impersonate any user", bs.to_vec()),
        Names::Only(set) => {
            for u in set {
                let to = match split_service_account(u) {
                    Some((ns, name)) => b.service_account(ns, name),
                    None => b.node_id(&Node::Identity(Subject::User(u.clone()))),
                };
                if let Some(to) = to {
                    b.edge_to(from, to, format!("impersonate user {u}"), bs.to_vec());
                }
            }
        }
    }
}

/// What a `bind` grant can hand out: `(any role with pods or more, a cluster-admin-like role)`.
fn bind_power(b: &mut Builder<'_>, c: &Caps) -> (bool, bool) {
    let (mut power, mut strong) = (
        c.escalate_roles || matches!(c.bind_roles, Names::All),
        false,
    );
    match &c.bind_clusterroles {
        Names::None => {}
        Names::All => return (true, true),
        Names::Only(set) => {
            for name in set {
                if let Some(rc) = b.clusterrole_caps(name) {
                    power |= rc.wildcard || rc.create_pods;
                    strong |= rc.wildcard;
                }
            }
        }
    }
    (
        power || c.escalate_clusterroles,
        strong || c.escalate_clusterroles,
    )
}

/// Edges that need two permissions together (possibly from different bindings).
pub(super) fn combos(b: &mut Builder<'_>, held: &[Held<'_>]) -> Vec<(Node, String, Vec<usize>)> {
    let mut out = Vec::new();
    let flags: Vec<(bool, bool)> = held.iter().map(|h| bind_power(b, &h.caps)).collect();
    let pick = |ok: &dyn Fn(usize) -> bool| {
        held.iter()
            .enumerate()
            .find(|(i, _)| ok(*i))
            .map(|(_, h)| h.binding)
    };
    let cluster = |i: usize| held[i].scope == Scope::Cluster;
    let strong = pick(&|i| cluster(i) && flags[i].1);
    let crb = pick(&|i| cluster(i) && held[i].caps.create_clusterrolebindings);
    if let (Some(x), Some(y)) = (strong, crb) {
        out.push((Node::ClusterAdmin, "bind (or escalate) ClusterRoles and create ClusterRoleBindings: bind cluster-admin to itself".into(), pair(x, y)));
    }
    // escalate + update a ClusterRole that is already bound to the subject cluster-wide
    let policy = b.policy;
    if let Some(x) = pick(&|i| cluster(i) && held[i].caps.escalate_clusterroles) {
        for h in held.iter().filter(|h| h.scope == Scope::Cluster) {
            let Some(role) = policy.bindings[h.binding].role else {
                continue;
            };
            let def = &policy.roles[role].def;
            if def.kind != RoleKind::ClusterRole {
                continue;
            }
            if let Some(y) =
                pick(&|j| cluster(j) && held[j].caps.update_clusterroles.covers(&def.name))
            {
                out.push((
                    Node::ClusterAdmin,
                    format!(
                        "escalate and update ClusterRole {}, bound to it: write `*` on `*` into it",
                        def.name
                    ),
                    {
                        let mut bs = pair(x, y);
                        if !bs.contains(&h.binding) {
                            bs.push(h.binding);
                        }
                        bs
                    },
                ));
                break;
            }
        }
    }
    let approve = pick(&|i| cluster(i) && held[i].caps.csr_approval);
    let client = pick(&|i| {
        cluster(i)
            && CLIENT_SIGNERS
                .iter()
                .any(|s| held[i].caps.approve_signers.covers(s))
    });
    if let (Some(x), Some(y)) = (approve, client) {
        out.push((
            Node::ClusterAdmin,
            "approve CSRs for kube-apiserver-client: issue a system:masters client certificate"
                .into(),
            pair(x, y),
        ));
    }
    let kubelet = pick(&|i| cluster(i) && held[i].caps.approve_signers.covers(KUBELET_SIGNER));
    if let (Some(x), Some(y)) = (approve, kubelet) {
        out.push((
            Node::NodeRoot,
            "approve kubelet client CSRs: become any node (system:node:*)".into(),
            pair(x, y),
        ));
    }
    // namespace admin by binding a powerful role
    let bind_at = |ns: Option<&str>| {
        pick(&|i| flags[i].0 && (cluster(i) || Some(held[i].scope) == ns.map(Scope::Namespace)))
    };
    let rb_at = |ns: Option<&str>| {
        pick(&|i| {
            held[i].caps.create_rolebindings
                && (cluster(i) || Some(held[i].scope) == ns.map(Scope::Namespace))
        })
    };
    if let (Some(x), Some(y)) = (bind_at(None), rb_at(None)) {
        out.push((
            Node::EveryNamespaceAdmin,
            "bind powerful roles and create RoleBindings in every namespace".into(),
            pair(x, y),
        ));
    }
    let namespaces: BTreeMap<&str, ()> = held
        .iter()
        .filter_map(|h| match h.scope {
            Scope::Namespace(n) => Some((n, ())),
            Scope::Cluster => None,
        })
        .collect();
    for ns in namespaces.keys() {
        if let (Some(x), Some(y)) = (bind_at(Some(ns)), rb_at(Some(ns))) {
            if !(cluster_of(held, x) && cluster_of(held, y)) {
                out.push((
                    Node::NamespaceAdmin((*ns).to_string()),
                    format!("bind powerful roles and create RoleBindings in {ns}"),
                    pair(x, y),
                ));
            }
        }
    }
    out
}

fn cluster_of(held: &[Held<'_>], binding: usize) -> bool {
    held.iter()
        .any(|h| h.binding == binding && h.scope == Scope::Cluster)
}

fn pair(x: usize, y: usize) -> Vec<usize> {
    if x == y {
        vec![x]
    } else {
        vec![x, y]
    }
}

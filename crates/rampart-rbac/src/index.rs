//! The indexes behind who-can: rules by scope and `(apiGroup, resource)` entry, and bindings
//! by role (cluster-wide, and per namespace). A who-can looks up the few rules that can match
//! the request — ClusterRoles' and those of Roles in the request's namespace only — then only
//! the bindings of their roles in the request's scope. It never walks bindings whose roles
//! cannot grant the request, nor Roles of other namespaces.

use std::collections::HashMap;

use crate::matcher;
use crate::model::BindingKind;
use crate::policy::Role;
use crate::request::Request;

/// `(role, rule)` pairs.
type Rules = Vec<(u32, u32)>;
/// resources entry → rules, by apiGroups entry (both as written, `*` included).
type ByResource = HashMap<String, HashMap<String, Rules>>;

/// Namespace id of "no namespace" (ClusterRoles, ClusterRoleBindings).
const CLUSTER: u32 = 0;

#[derive(Debug, Default)]
pub(crate) struct Index {
    namespaces: HashMap<String, u32>,
    /// Rules by the namespace of their role (`CLUSTER` for ClusterRoles).
    by_resource: HashMap<u32, ByResource>,
    /// Every rule with nonResourceURLs (only ClusterRoleBindings can use them, but the
    /// authorizer does not know that; neither does this list).
    non_resource: Rules,
    /// ClusterRoleBindings of each role.
    cluster_by_role: Vec<Vec<u32>>,
    /// RoleBindings of each role, by (role, namespace id).
    local_by_role: HashMap<(u32, u32), Vec<u32>>,
}

fn id(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl Index {
    pub(crate) fn new(roles: &[Role]) -> Index {
        let mut ix = Index {
            cluster_by_role: vec![Vec::new(); roles.len()],
            ..Index::default()
        };
        ix.namespaces.insert(String::new(), CLUSTER);
        for (r, role) in roles.iter().enumerate() {
            let ns = ix.namespace_id(&role.def.namespace);
            for (i, rule) in role.rules.iter().enumerate() {
                let at = (id(r), id(i));
                if !rule.non_resource_urls.is_empty() {
                    ix.non_resource.push(at);
                }
                let scope = ix.by_resource.entry(ns).or_default();
                for g in &rule.api_groups {
                    let by_res = scope.entry(g.clone()).or_default();
                    for res in &rule.resources {
                        let list = by_res.entry(res.clone()).or_default();
                        if list.last() != Some(&at) {
                            list.push(at);
                        }
                    }
                }
            }
        }
        ix
    }

    fn namespace_id(&mut self, ns: &str) -> u32 {
        if let Some(&i) = self.namespaces.get(ns) {
            return i;
        }
        let i = id(self.namespaces.len());
        self.namespaces.insert(ns.to_string(), i);
        i
    }

    pub(crate) fn add_binding(&mut self, binding: u32, kind: BindingKind, ns: &str, role: usize) {
        match kind {
            BindingKind::ClusterRoleBinding => self.cluster_by_role[role].push(binding),
            BindingKind::RoleBinding => {
                let ns = self.namespace_id(ns);
                self.local_by_role
                    .entry((id(role), ns))
                    .or_default()
                    .push(binding);
            }
        }
    }

    /// The `(role, rule)` pairs that allow `req` and belong to a role that a binding in the
    /// request's scope could use (ClusterRoles, and Roles of the request's namespace), sorted.
    pub(crate) fn matching_rules(&self, roles: &[Role], req: &Request) -> Rules {
        let mut out: Rules = match req {
            Request::NonResource { .. } => self.non_resource.clone(),
            Request::Resource(r) => {
                let combined;
                let mut resources: Vec<&str> = Vec::with_capacity(3);
                if r.subresource.is_empty() {
                    resources.push(&r.resource);
                } else {
                    combined = format!("{}/{}", r.resource, r.subresource);
                    resources.push(&combined);
                }
                if resources[0] != "*" {
                    resources.push("*");
                }
                let star_sub;
                if !r.subresource.is_empty() {
                    star_sub = format!("*/{}", r.subresource);
                    if star_sub != resources[0] {
                        resources.push(&star_sub);
                    }
                }
                let groups: &[&str] = if r.api_group == "*" {
                    &["*"]
                } else {
                    &[r.api_group.as_str(), "*"]
                };
                let mut scopes = vec![CLUSTER];
                if let Some(&ns) = self.namespaces.get(r.namespace.as_str()) {
                    if ns != CLUSTER {
                        scopes.push(ns);
                    }
                }
                let mut out = Vec::new();
                for scope in scopes {
                    let Some(by_group) = self.by_resource.get(&scope) else {
                        continue;
                    };
                    for g in groups {
                        let Some(by_res) = by_group.get(*g) else {
                            continue;
                        };
                        for res in &resources {
                            if let Some(list) = by_res.get(*res) {
                                out.extend_from_slice(list);
                            }
                        }
                    }
                }
                out
            }
        };
        out.retain(|&(r, i)| matcher::allows(&roles[r as usize].rules[i as usize], req));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The namespace id to pass to [`Index::bindings_of`] (`None`: no RoleBinding there).
    pub(crate) fn scope(&self, ns: &str) -> Option<u32> {
        if ns.is_empty() {
            return None;
        }
        self.namespaces.get(ns).copied()
    }

    /// The bindings of `role` consulted for a request in namespace `scope`.
    pub(crate) fn bindings_of(
        &self,
        role: u32,
        scope: Option<u32>,
    ) -> impl Iterator<Item = u32> + '_ {
        let cluster = self
            .cluster_by_role
            .get(role as usize)
            .map_or(&[][..], Vec::as_slice);
        let local = scope
            .and_then(|ns| self.local_by_role.get(&(role, ns)))
            .map_or(&[][..], Vec::as_slice);
        cluster.iter().chain(local).copied()
    }
}

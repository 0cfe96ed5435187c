//! The indexes behind who-can: rules by `(apiGroup, resource)` entry, and bindings by role
//! (cluster-wide, and per namespace). A who-can looks up the few rules that can match the
//! request, then only the bindings of their roles in the request's scope — it never walks
//! bindings whose roles cannot grant the request.

use std::collections::HashMap;

use crate::matcher;
use crate::model::BindingKind;
use crate::policy::Role;
use crate::request::Request;

/// `(role, rule)` pairs.
type Rules = Vec<(u32, u32)>;

#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Rules by (apiGroups entry, resources entry), both as written (`*` included).
    by_resource: HashMap<(String, String), Rules>,
    /// Every rule with nonResourceURLs.
    non_resource: Rules,
    /// ClusterRoleBindings of each role.
    cluster_by_role: Vec<Vec<u32>>,
    /// RoleBindings of each role, by (role, namespace).
    local_by_role: HashMap<(u32, String), Vec<u32>>,
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
        for (r, role) in roles.iter().enumerate() {
            for (i, rule) in role.rules.iter().enumerate() {
                let at = (id(r), id(i));
                if !rule.non_resource_urls.is_empty() {
                    ix.non_resource.push(at);
                }
                for g in &rule.api_groups {
                    for res in &rule.resources {
                        let list = ix.by_resource.entry((g.clone(), res.clone())).or_default();
                        if list.last() != Some(&at) {
                            list.push(at);
                        }
                    }
                }
            }
        }
        ix
    }

    pub(crate) fn add_binding(&mut self, binding: u32, kind: BindingKind, ns: &str, role: usize) {
        match kind {
            BindingKind::ClusterRoleBinding => self.cluster_by_role[role].push(binding),
            BindingKind::RoleBinding => self
                .local_by_role
                .entry((id(role), ns.to_string()))
                .or_default()
                .push(binding),
        }
    }

    /// The `(role, rule)` pairs that allow `req`, sorted.
    pub(crate) fn matching_rules(&self, roles: &[Role], req: &Request) -> Rules {
        let mut out: Rules = match req {
            Request::NonResource { .. } => self.non_resource.clone(),
            Request::Resource(r) => {
                let combined = if r.subresource.is_empty() {
                    r.resource.clone()
                } else {
                    format!("{}/{}", r.resource, r.subresource)
                };
                let mut resources = vec![combined, "*".to_string()];
                if !r.subresource.is_empty() {
                    resources.push(format!("*/{}", r.subresource));
                }
                let mut groups = vec![r.api_group.clone()];
                if r.api_group != "*" {
                    groups.push("*".to_string());
                }
                if r.resource == "*" && r.subresource.is_empty() {
                    resources.truncate(1);
                }
                let mut out = Vec::new();
                for g in &groups {
                    for res in &resources {
                        if let Some(list) = self.by_resource.get(&(g.clone(), res.clone())) {
                            out.extend_from_slice(list);
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

    /// The bindings of `role` consulted for a request in namespace `ns`.
    pub(crate) fn bindings_of(&self, role: u32, ns: &str) -> impl Iterator<Item = u32> + '_ {
        let cluster = self
            .cluster_by_role
            .get(role as usize)
            .map_or(&[][..], Vec::as_slice);
        let local = if ns.is_empty() {
            &[][..]
        } else {
            self.local_by_role
                .get(&(role, ns.to_string()))
                .map_or(&[][..], Vec::as_slice)
        };
        cluster.iter().chain(local).copied()
    }
}

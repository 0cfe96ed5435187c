//! `can-i` and `who-can` over a [`Policy`], using its indexes.

use std::collections::BTreeMap;

use crate::identity::Identity;
use crate::matcher;
use crate::model::Subject;
use crate::policy::Policy;
use crate::request::Request;

/// One (binding, role, rule) that allows a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grant {
    pub binding: usize,
    pub role: usize,
    /// Index into the role's effective rules.
    pub rule: usize,
}

/// A can-i answer: allowed iff some grant exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// Every grant, bindings in policy order (ClusterRoleBindings first).
    pub by: Vec<Grant>,
}

/// One who-can subject and the grants that reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder<'p> {
    pub subject: &'p Subject,
    pub via: Vec<Grant>,
}

/// Per-query memo of which rules of a role allow the request (roles are shared by many
/// bindings; each is evaluated once per query).
pub(crate) struct RoleMemo<'p> {
    policy: &'p Policy,
    req: &'p Request,
    seen: BTreeMap<usize, Vec<usize>>,
}

impl<'p> RoleMemo<'p> {
    pub(crate) fn new(policy: &'p Policy, req: &'p Request) -> Self {
        Self {
            policy,
            req,
            seen: BTreeMap::new(),
        }
    }

    /// Indexes of the rules of `role` that allow the request.
    pub(crate) fn rules(&mut self, role: usize) -> &[usize] {
        let (policy, req) = (self.policy, self.req);
        self.seen.entry(role).or_insert_with(|| {
            policy.roles[role]
                .rules
                .iter()
                .enumerate()
                .filter(|(_, r)| matcher::allows(r, req))
                .map(|(i, _)| i)
                .collect()
        })
    }
}

impl Policy {
    /// Decides `req` for `id` exactly as the RBAC authorizer would.
    pub fn can_i(&self, id: &Identity, req: &Request) -> Decision {
        let ns = req.namespace();
        let mut candidates: Vec<u32> = Vec::new();
        let refs = self
            .by_user
            .get(&id.user)
            .into_iter()
            .chain(id.groups.iter().filter_map(|g| self.by_group.get(g)));
        for list in refs {
            candidates.extend(list.iter().map(|r| r.binding));
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut memo = RoleMemo::new(self, req);
        let mut by = Vec::new();
        for b in candidates.into_iter().map(|b| b as usize) {
            if !self.applies(b, ns) {
                continue;
            }
            let Some(role) = self.bindings[b].role else {
                continue;
            };
            for &rule in memo.rules(role) {
                by.push(Grant {
                    binding: b,
                    role,
                    rule,
                });
            }
        }
        Decision {
            allowed: !by.is_empty(),
            by,
        }
    }

    /// Every subject of every binding that grants `req`, sorted bytewise by their
    /// `Kind:name` form, each with the grants that reach it (bindings in policy order).
    pub fn who_can(&self, req: &Request) -> Vec<Holder<'_>> {
        let scope = self.index.scope(req.namespace());
        let rules = self.index.matching_rules(&self.roles, req);
        let mut grants: Vec<Grant> = Vec::new();
        for chunk in rules.chunk_by(|a, b| a.0 == b.0) {
            let role = chunk[0].0;
            for b in self.index.bindings_of(role, scope) {
                grants.extend(chunk.iter().map(|&(r, rule)| Grant {
                    binding: b as usize,
                    role: r as usize,
                    rule: rule as usize,
                }));
            }
        }
        grants.sort_unstable();
        let mut out: BTreeMap<&str, Holder<'_>> = BTreeMap::new();
        for same in grants.chunk_by(|a, b| a.binding == b.binding) {
            let binding = &self.bindings[same[0].binding];
            for (subject, label) in binding.subjects.iter().zip(&binding.labels) {
                let (Some(subject), Some(label)) = (subject, label) else {
                    continue;
                };
                let holder = out.entry(label).or_insert_with(|| Holder {
                    subject,
                    via: Vec::new(),
                });
                if holder
                    .via
                    .last()
                    .is_some_and(|g| g.binding == same[0].binding)
                {
                    continue;
                }
                holder.via.extend_from_slice(same);
            }
        }
        out.into_values().collect()
    }
}

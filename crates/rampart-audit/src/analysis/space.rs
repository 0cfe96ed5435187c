//! The request space of one policy, cut into finitely many classes.
//!
//! Every rule compares request attributes with literals (equality, or a string prefix for
//! `nonResourceURLs`). So two values of an attribute that compare the same way with every
//! literal of the policy are interchangeable, and a finite set of *witness* values per
//! attribute — the literals themselves plus one fresh value (and, for paths, one value just
//! past each prefix) — represents every value exactly. A set of requests that a rule matches
//! is then a union of boxes: one finite set of witnesses per attribute.

use crate::policy::{eval::path_matches, eval::pattern_matches, Policy, PolicyRule};

use super::bits::Bits;

pub(crate) const KIND: usize = 0;
pub(crate) const USER: usize = 1;
pub(crate) const VERB: usize = 2;
pub(crate) const NS: usize = 3;
pub(crate) const API_GROUP: usize = 4;
pub(crate) const RESOURCE: usize = 5;
pub(crate) const SUB: usize = 6;
pub(crate) const NAME: usize = 7;
pub(crate) const PATH: usize = 8;
/// First of the per-group dimensions: one per group literal, values `F`/`T` (is the request
/// in that group?).
pub(crate) const GROUPS: usize = 9;

pub(crate) const RESOURCE_REQUEST: &str = "R";
pub(crate) const NON_RESOURCE_REQUEST: &str = "N";

/// A value no literal equals (literals never hold NUL).
const FRESH: &str = "\u{0}";

/// Literals the lints ask about even when the policy never mentions them.
const PROBE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];
const PROBE_RESOURCES: &[&str] = &[
    "secrets",
    "configmaps",
    "tokenreviews",
    "serviceaccounts",
    "events",
    "pods",
    "nodes",
    "services",
    "deployments",
    "daemonsets",
    "statefulsets",
    "replicasets",
    "replicationcontrollers",
    "jobs",
    "cronjobs",
    "roles",
    "clusterroles",
    "rolebindings",
    "clusterrolebindings",
    "mutatingwebhookconfigurations",
    "validatingwebhookconfigurations",
    "certificatesigningrequests",
];
const PROBE_SUBS: &[&str] = &[
    "token",
    "exec",
    "attach",
    "portforward",
    "proxy",
    "log",
    "ephemeralcontainers",
    "approval",
];
const PROBE_GROUPS: &[&str] = &[
    "",
    "authentication.k8s.io",
    "events.k8s.io",
    "apps",
    "batch",
    "rbac.authorization.k8s.io",
    "admissionregistration.k8s.io",
    "certificates.k8s.io",
];

/// A product of witness sets, one per dimension.
pub(crate) type Cube = Vec<Bits>;

/// The witness values of every dimension for one policy.
#[derive(Debug, Clone)]
pub(crate) struct Space {
    pub(crate) values: Vec<Vec<String>>,
    pub(crate) group_literals: Vec<String>,
}

fn push_unique(list: &mut Vec<String>, v: &str) {
    if !list.iter().any(|x| x == v) {
        list.push(v.to_string());
    }
}

impl Space {
    pub(crate) fn new(policy: &Policy) -> Self {
        let mut values: Vec<Vec<String>> = vec![Vec::new(); GROUPS];
        values[KIND] = vec![RESOURCE_REQUEST.into(), NON_RESOURCE_REQUEST.into()];
        for v in PROBE_VERBS {
            push_unique(&mut values[VERB], v);
        }
        for r in PROBE_RESOURCES {
            push_unique(&mut values[RESOURCE], r);
        }
        for s in PROBE_SUBS {
            push_unique(&mut values[SUB], s);
        }
        for g in PROBE_GROUPS {
            push_unique(&mut values[API_GROUP], g);
        }
        push_unique(&mut values[SUB], "");
        push_unique(&mut values[NS], "");
        push_unique(&mut values[NAME], "");
        let mut group_literals = Vec::new();
        let mut prefixes = Vec::new();
        for rule in &policy.rules {
            collect_rule(rule, &mut values, &mut group_literals, &mut prefixes);
        }
        for p in prefixes {
            push_unique(&mut values[PATH], &format!("{p}{FRESH}"));
        }
        for dim in [USER, VERB, NS, API_GROUP, RESOURCE, SUB, NAME, PATH] {
            push_unique(&mut values[dim], FRESH);
        }
        for _ in &group_literals {
            values.push(vec!["F".into(), "T".into()]);
        }
        Self {
            values,
            group_literals,
        }
    }

    #[cfg(test)]
    pub(crate) fn dims(&self) -> usize {
        self.values.len()
    }

    /// The set of witnesses of `dim` satisfying `pred`.
    pub(crate) fn set_where(&self, dim: usize, pred: impl Fn(&str) -> bool) -> Bits {
        let mut b = Bits::empty(self.values[dim].len());
        for (i, v) in self.values[dim].iter().enumerate() {
            if pred(v) {
                b.set(i);
            }
        }
        b
    }

    pub(crate) fn full(&self) -> Cube {
        self.values.iter().map(|v| Bits::full(v.len())).collect()
    }

    /// `cube` restricted so that `dim` takes one of `wanted`.
    pub(crate) fn restrict(&self, mut cube: Cube, dim: usize, wanted: &[&str]) -> Cube {
        let set = self.set_where(dim, |v| wanted.contains(&v));
        cube[dim] = cube[dim].and(&set);
        cube
    }

    /// The requests `rule` matches, as a union of cubes.
    pub(crate) fn rule_cubes(&self, rule: &PolicyRule) -> Vec<Cube> {
        let mut base = self.full();
        if !rule.users.is_empty() {
            base[USER] = self.set_where(USER, |u| rule.users.iter().any(|x| x == u));
        }
        if !rule.verbs.is_empty() {
            base[VERB] = self.set_where(VERB, |v| rule.verbs.iter().any(|x| x == v));
        }
        let mut cubes = if rule.user_groups.is_empty() {
            vec![base]
        } else {
            // Any one listed group will do: one cube per group.
            rule.user_groups
                .iter()
                .filter_map(|g| self.group_literals.iter().position(|x| x == g))
                .map(|i| {
                    let mut c = base.clone();
                    c[GROUPS + i] = self.set_where(GROUPS + i, |v| v == "T");
                    c
                })
                .collect()
        };
        if !rule.namespaces.is_empty() || !rule.resources.is_empty() {
            cubes = cubes
                .into_iter()
                .flat_map(|c| self.resource_cubes(rule, c))
                .collect();
        } else if !rule.non_resource_urls.is_empty() {
            for c in &mut cubes {
                c[KIND] = self.set_where(KIND, |k| k == NON_RESOURCE_REQUEST);
                c[PATH] = self.set_where(PATH, |p| {
                    rule.non_resource_urls.iter().any(|s| path_matches(p, s))
                });
            }
        }
        cubes.retain(|c| c.iter().all(|b| !b.is_empty()));
        cubes
    }

    fn resource_cubes(&self, rule: &PolicyRule, mut base: Cube) -> Vec<Cube> {
        base[KIND] = self.set_where(KIND, |k| k == RESOURCE_REQUEST);
        if !rule.namespaces.is_empty() {
            base[NS] = self.set_where(NS, |n| rule.namespaces.iter().any(|x| x == n));
        }
        if rule.resources.is_empty() {
            return vec![base];
        }
        let mut out = Vec::new();
        for gr in &rule.resources {
            let mut entry = base.clone();
            entry[API_GROUP] = self.set_where(API_GROUP, |g| gr.group == "*" || gr.group == g);
            if gr.resources.is_empty() {
                out.push(entry);
                continue;
            }
            if !gr.resource_names.is_empty() {
                entry[NAME] = self.set_where(NAME, |n| gr.resource_names.iter().any(|x| x == n));
            }
            // (resource, subresource) is matched jointly: group resources by the set of
            // subresources that make some pattern match, one cube per distinct set.
            let mut by_subs: Vec<(Bits, Bits)> = Vec::new();
            for (ri, r) in self.values[RESOURCE].iter().enumerate() {
                let subs = self.set_where(SUB, |s| {
                    gr.resources.iter().any(|p| pattern_matches(p, r, s))
                });
                if subs.is_empty() {
                    continue;
                }
                match by_subs.iter_mut().find(|(s, _)| *s == subs) {
                    Some((_, rs)) => rs.set(ri),
                    None => {
                        let mut rs = Bits::empty(self.values[RESOURCE].len());
                        rs.set(ri);
                        by_subs.push((subs, rs));
                    }
                }
            }
            for (subs, rs) in by_subs {
                let mut c = entry.clone();
                c[RESOURCE] = rs;
                c[SUB] = subs;
                out.push(c);
            }
        }
        out
    }

    /// One concrete value per dimension of a non-empty cube, for messages and tests: `""`
    /// (no subresource, no name) when allowed, else a literal, else the fresh value.
    pub(crate) fn pick<'a>(&'a self, cube: &Cube, dim: usize) -> &'a str {
        let members: Vec<&str> = self.values[dim]
            .iter()
            .enumerate()
            .filter(|(i, _)| cube[dim].has(*i))
            .map(|(_, v)| v.as_str())
            .collect();
        if matches!(dim, SUB | NAME) && members.contains(&"") {
            return "";
        }
        members
            .iter()
            .find(|v| !v.contains(FRESH))
            .or_else(|| members.first())
            .copied()
            .unwrap_or("")
    }
}

fn collect_rule(
    rule: &PolicyRule,
    values: &mut [Vec<String>],
    groups: &mut Vec<String>,
    prefixes: &mut Vec<String>,
) {
    for u in &rule.users {
        push_unique(&mut values[USER], u);
    }
    for v in &rule.verbs {
        push_unique(&mut values[VERB], v);
    }
    for n in &rule.namespaces {
        push_unique(&mut values[NS], n);
    }
    for g in &rule.user_groups {
        push_unique(groups, g);
    }
    for url in &rule.non_resource_urls {
        if url.ends_with('*') {
            let p = url.trim_end_matches('*').to_string();
            push_unique(&mut values[PATH], &p);
            push_unique(prefixes, &p);
        } else {
            push_unique(&mut values[PATH], url);
        }
    }
    for gr in &rule.resources {
        if gr.group != "*" {
            push_unique(&mut values[API_GROUP], &gr.group);
        }
        for n in &gr.resource_names {
            push_unique(&mut values[NAME], n);
        }
        // Real resource names never hold `/`: only the parts a pattern compares with
        // resource and subresource are witnesses.
        for p in &gr.resources {
            let (r, s) = p.split_once('/').unwrap_or((p.as_str(), ""));
            push_unique(&mut values[RESOURCE], r);
            push_unique(&mut values[SUB], s);
            if p.ends_with("/*") {
                push_unique(&mut values[RESOURCE], p.trim_end_matches(['/', '*']));
            }
            if p.starts_with("*/") {
                push_unique(&mut values[SUB], p.trim_start_matches(['*', '/']));
            }
        }
    }
}

//! Set reasoning over audit policies: which requests a rule can decide, given the rules
//! before it. Used by the lints for shadowed rules, missing catch-alls and leaks.

mod bits;
mod cover;
mod space;

pub(crate) use cover::{covered, Cover};
pub(crate) use space::{
    Cube, Space, API_GROUP, GROUPS, KIND, NAME, NS, PATH, RESOURCE, RESOURCE_REQUEST, SUB, USER,
    VERB,
};

use crate::policy::{Policy, Request, Target};

/// A policy together with its request space and every rule's cubes.
#[derive(Debug, Clone)]
pub(crate) struct Analysis {
    pub(crate) space: Space,
    pub(crate) rules: Vec<Vec<Cube>>,
}

impl Analysis {
    pub(crate) fn new(policy: &Policy) -> Self {
        let space = Space::new(policy);
        let rules = policy.rules.iter().map(|r| space.rule_cubes(r)).collect();
        Self { space, rules }
    }

    /// A request in `class` that rule `i` decides (it matches and no earlier rule does).
    /// `None` when there is none, or when the question was too large to settle.
    pub(crate) fn decides(&self, i: usize, class: &Cube) -> Option<Request> {
        let earlier: Vec<Cube> = self.rules[..i].iter().flatten().cloned().collect();
        self.rules.get(i)?.iter().find_map(|cube| {
            let part: Cube = cube.iter().zip(class).map(|(a, b)| a.and(b)).collect();
            match covered(&part, &earlier) {
                Cover::Uncovered(w) => Some(self.example(&w)),
                Cover::Covered | Cover::Unknown => None,
            }
        })
    }

    /// True when no request reaches rule `i` (every one it matches is taken earlier).
    pub(crate) fn shadowed(&self, i: usize) -> bool {
        let earlier: Vec<Cube> = self.rules[..i].iter().flatten().cloned().collect();
        self.rules
            .get(i)
            .is_some_and(|cubes| cubes.iter().all(|c| covered(c, &earlier) == Cover::Covered))
    }

    /// A request in `class` that no rule matches.
    pub(crate) fn unmatched(&self, class: &Cube) -> Option<Request> {
        let all: Vec<Cube> = self.rules.iter().flatten().cloned().collect();
        match covered(class, &all) {
            Cover::Uncovered(w) => Some(self.example(&w)),
            Cover::Covered | Cover::Unknown => None,
        }
    }

    /// A concrete request from a cube (fresh values print as `<other>`).
    pub(crate) fn example(&self, cube: &Cube) -> Request {
        let s = |d: usize| {
            let v = self.space.pick(cube, d);
            if v.contains('\u{0}') {
                v.replace('\u{0}', "<other>")
            } else {
                v.to_string()
            }
        };
        let groups = (0..self.space.group_literals.len())
            .filter(|&i| self.space.pick(cube, GROUPS + i) == "T")
            .map(|i| self.space.group_literals[i].clone())
            .collect();
        let target = if self.space.pick(cube, KIND) == RESOURCE_REQUEST {
            Target::Resource {
                api_group: s(API_GROUP),
                resource: s(RESOURCE),
                subresource: s(SUB),
                namespace: s(NS),
                name: s(NAME),
            }
        } else {
            Target::NonResource { path: s(PATH) }
        };
        Request {
            user: s(USER),
            groups,
            verb: s(VERB),
            target,
        }
    }
}

/// `get secrets in prod`, `list pods (all namespaces)`, `get /healthz`: a request in words.
pub(crate) fn describe(req: &Request) -> String {
    match &req.target {
        Target::Resource {
            api_group,
            resource,
            subresource,
            namespace,
            ..
        } => {
            let mut what = resource.clone();
            if !subresource.is_empty() {
                what = format!("{what}/{subresource}");
            }
            if !api_group.is_empty() {
                what = format!("{what}.{api_group}");
            }
            if namespace.is_empty() {
                format!("{} {what}", req.verb)
            } else {
                format!("{} {what} in namespace {namespace}", req.verb)
            }
        }
        Target::NonResource { path } => format!("{} {path}", req.verb),
    }
}

#[cfg(test)]
mod tests;

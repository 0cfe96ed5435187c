//! Turning recorded requests into minimal rules.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::log::Event;
use super::yaml;
use crate::identity::{split_service_account, Identity, AUTHENTICATED, UNAUTHENTICATED};
use crate::model::Subject;
use crate::policy::Policy;
use crate::request::{Request, ResourceRequest};

/// The generated objects.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Roles, ClusterRole, then their bindings.
    pub objects: Vec<Value>,
    /// Distinct requests the identity made.
    pub requests: usize,
    /// Of those, already allowed by the existing policy (left out).
    pub already_allowed: usize,
    /// Events of the identity read.
    pub events: usize,
}

impl Generated {
    /// The objects as a multi-document YAML stream.
    pub fn to_yaml(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            out.push_str(&format!("# {line}\n"));
        }
        for (i, o) in self.objects.iter().enumerate() {
            if i > 0 {
                out.push_str("---\n");
            }
            yaml::write(&mut out, o, 0);
        }
        out
    }
}

/// The requests `who` made, including the impersonation checks behind requests it made as
/// someone else.
fn requests(events: &[Event], user: &str) -> (BTreeSet<RequestKey>, usize) {
    let mut out = BTreeSet::new();
    let mut count = 0;
    for e in events {
        if e.effective_user() == user {
            count += 1;
            out.insert(RequestKey::of(&e.request()));
        }
        if e.user.username == user {
            let Some(imp) = &e.impersonated_user else {
                continue;
            };
            count += 1;
            let r = |resource: &str, name: &str, ns: &str| {
                RequestKey::of(&Request::Resource(ResourceRequest {
                    verb: "impersonate".into(),
                    api_group: String::new(),
                    resource: resource.into(),
                    subresource: String::new(),
                    name: name.into(),
                    namespace: ns.into(),
                }))
            };
            match split_service_account(&imp.username) {
                Some((ns, name)) => out.insert(r("serviceaccounts", name, ns)),
                None => out.insert(r("users", &imp.username, "")),
            };
            for g in &imp.groups {
                // Added by the API server itself, not asked for.
                if g != AUTHENTICATED
                    && g != UNAUTHENTICATED
                    && !g.starts_with("system:serviceaccounts")
                {
                    out.insert(r("groups", g, ""));
                }
            }
        }
    }
    (out, count)
}

/// A request in a form that sorts (and so makes the output deterministic).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct RequestKey {
    namespace: String,
    /// `None` for non-resource requests.
    group: Option<String>,
    /// `resource[/subresource]`, or the URL path.
    resource: String,
    verb: String,
    name: String,
}

impl RequestKey {
    fn of(r: &Request) -> Self {
        match r {
            Request::NonResource { verb, path } => RequestKey {
                namespace: String::new(),
                group: None,
                resource: path.clone(),
                verb: verb.clone(),
                name: String::new(),
            },
            Request::Resource(r) => RequestKey {
                namespace: r.namespace.clone(),
                group: Some(r.api_group.clone()),
                resource: if r.subresource.is_empty() {
                    r.resource.clone()
                } else {
                    format!("{}/{}", r.resource, r.subresource)
                },
                verb: r.verb.clone(),
                name: r.name.clone(),
            },
        }
    }

    fn request(&self) -> Request {
        match &self.group {
            None => Request::NonResource {
                verb: self.verb.clone(),
                path: self.resource.clone(),
            },
            Some(g) => {
                let (res, sub) = self
                    .resource
                    .split_once('/')
                    .unwrap_or((&self.resource, ""));
                Request::Resource(ResourceRequest {
                    verb: self.verb.clone(),
                    api_group: g.clone(),
                    resource: res.into(),
                    subresource: sub.into(),
                    name: self.name.clone(),
                    namespace: self.namespace.clone(),
                })
            }
        }
    }
}

/// `None` for a non-resource request.
type Group<'a> = Option<&'a str>;
/// `None`: every name.
type NameSet<'a> = Option<BTreeSet<&'a str>>;
type Verbs<'a> = BTreeSet<&'a str>;

/// Minimal rules for the requests of one scope.
fn rules(reqs: &[&RequestKey]) -> Vec<Value> {
    // (group, resource, verb) -> names, or None once an unnamed request needs every name.
    let mut names: BTreeMap<(Group, &str, &str), NameSet> = BTreeMap::new();
    for r in reqs {
        let slot = names
            .entry((r.group.as_deref(), r.resource.as_str(), r.verb.as_str()))
            .or_insert_with(|| Some(BTreeSet::new()));
        match slot {
            Some(set) if !r.name.is_empty() => {
                set.insert(r.name.as_str());
            }
            _ => *slot = None,
        }
    }
    // Merge verbs of the same (group, resource, names), then resources of the same
    // (group, verbs, names): each merge grants exactly the product it came from.
    let mut verbs: BTreeMap<(Group, &str, NameSet), Verbs> = BTreeMap::new();
    for ((g, res, verb), n) in names {
        verbs.entry((g, res, n)).or_default().insert(verb);
    }
    let mut resources: BTreeMap<(Group, Verbs, NameSet), BTreeSet<&str>> = BTreeMap::new();
    for ((g, res, n), v) in verbs {
        resources.entry((g, v, n)).or_default().insert(res);
    }
    resources
        .into_iter()
        .map(|((g, verbs, n), res)| match g {
            None => json!({"nonResourceURLs": res, "verbs": verbs}),
            Some(g) => {
                let mut rule = json!({"apiGroups": [g], "resources": res});
                if let Some(n) = n {
                    rule["resourceNames"] = json!(n);
                }
                rule["verbs"] = json!(verbs);
                rule
            }
        })
        .collect()
}

fn subject_json(s: &Subject) -> Value {
    match s {
        Subject::ServiceAccount { namespace, name } => {
            json!({"kind": "ServiceAccount", "name": name, "namespace": namespace})
        }
        other => {
            json!({"apiGroup": "rbac.authorization.k8s.io", "kind": other.kind(), "name": other.name()})
        }
    }
}

/// The least-privilege policy for `who`. Requests `existing` already allows for it are left
/// out. `name` names every generated object (default `rampart:<user>`).
pub fn least_privilege(
    events: &[Event],
    who: &Subject,
    existing: Option<&Policy>,
    name: Option<&str>,
) -> Generated {
    let user = who.user_name().unwrap_or_default();
    let (all, count) = requests(events, &user);
    let id = Identity::impersonate(&user, &[]);
    let needed: Vec<&RequestKey> = all
        .iter()
        .filter(|r| existing.is_none_or(|p| !p.can_i(&id, &r.request()).allowed))
        .collect();
    let default_name = match who {
        Subject::ServiceAccount { namespace, name } => format!("rampart:{namespace}:{name}"),
        _ => format!("rampart:{}", user.replace(['/', '%'], "-")),
    };
    let name = name.map_or(default_name, str::to_string);
    let api = "rbac.authorization.k8s.io/v1";
    let reference =
        |kind: &str| json!({"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": name});
    let mut roles = Vec::new();
    let mut bindings = Vec::new();
    let mut by_ns: BTreeMap<&str, Vec<&RequestKey>> = BTreeMap::new();
    for r in &needed {
        by_ns.entry(r.namespace.as_str()).or_default().push(r);
    }
    if let Some(cluster) = by_ns.remove("") {
        roles.push(json!({"apiVersion": api, "kind": "ClusterRole", "metadata": {"name": name}, "rules": rules(&cluster)}));
        bindings.push(
            json!({"apiVersion": api, "kind": "ClusterRoleBinding", "metadata": {"name": name},
            "roleRef": reference("ClusterRole"), "subjects": [subject_json(who)]}),
        );
    }
    for (ns, reqs) in by_ns {
        let meta = json!({"name": name, "namespace": ns});
        roles.push(
            json!({"apiVersion": api, "kind": "Role", "metadata": meta, "rules": rules(&reqs)}),
        );
        bindings.push(
            json!({"apiVersion": api, "kind": "RoleBinding", "metadata": meta,
            "roleRef": reference("Role"), "subjects": [subject_json(who)]}),
        );
    }
    roles.extend(bindings);
    Generated {
        objects: roles,
        requests: all.len(),
        already_allowed: all.len() - needed.len(),
        events: count,
    }
}

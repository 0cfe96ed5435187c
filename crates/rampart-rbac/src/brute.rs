//! A deliberately naive evaluator: every query walks every binding, resolves its role by name
//! and tests every rule. It shares no index with [`Policy`]'s queries, so the tests use it as
//! an oracle and the benchmarks as the floor that the indexed queries are measured against.

use std::collections::BTreeMap;

use crate::identity::Identity;
use crate::matcher;
use crate::model::{BindingKind, RoleKind, Subject};
use crate::policy::Policy;
use crate::request::Request;

fn role_of(policy: &Policy, b: usize) -> Option<&crate::policy::Role> {
    let def = &policy.bindings[b].def;
    match def.role_ref.kind.as_str() {
        "Role" => policy.role(RoleKind::Role, &def.namespace, &def.role_ref.name),
        "ClusterRole" => policy.role(RoleKind::ClusterRole, "", &def.role_ref.name),
        _ => None,
    }
}

fn binding_applies(policy: &Policy, b: usize, ns: &str) -> bool {
    let def = &policy.bindings[b].def;
    def.kind == BindingKind::ClusterRoleBinding || (!ns.is_empty() && def.namespace == ns)
}

fn role_allows(policy: &Policy, b: usize, req: &Request) -> bool {
    role_of(policy, b).is_some_and(|r| r.rules.iter().any(|rule| matcher::allows(rule, req)))
}

fn matches(subject: &Subject, id: &Identity) -> bool {
    match subject {
        Subject::Group(g) => id.groups.contains(g),
        other => other.user_name().as_deref() == Some(id.user.as_str()),
    }
}

/// can-i, checking every binding.
pub fn can_i(policy: &Policy, id: &Identity, req: &Request) -> bool {
    (0..policy.bindings.len()).any(|b| {
        binding_applies(policy, b, req.namespace())
            && policy.bindings[b]
                .def
                .subjects
                .iter()
                .filter_map(|s| Subject::resolve(s, &policy.bindings[b].def.namespace))
                .any(|s| matches(&s, id))
            && role_allows(policy, b, req)
    })
}

/// who-can, checking every binding: the subjects' `Kind:name` forms, sorted.
pub fn who_can(policy: &Policy, req: &Request) -> Vec<String> {
    let mut out = BTreeMap::new();
    for b in 0..policy.bindings.len() {
        if binding_applies(policy, b, req.namespace()) && role_allows(policy, b, req) {
            let def = &policy.bindings[b].def;
            for s in def
                .subjects
                .iter()
                .filter_map(|s| Subject::resolve(s, &def.namespace))
            {
                out.insert(s.to_string(), ());
            }
        }
    }
    out.into_keys().collect()
}

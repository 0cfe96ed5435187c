//! The cluster's resolved RBAC state: roles with their effective (aggregated) rules, bindings
//! with their resolved roles, and the indexes the queries use.
//!
//! Indexes: bindings by namespace (a request only ever consults the ClusterRoleBindings and
//! the RoleBindings of its own namespace) and by subject (a can-i only looks at bindings that
//! name its user, its service account or one of its groups).

use std::collections::HashMap;

use rampart_model::InputError;

use crate::aggregate::effective_rules;
use crate::index::Index;
use crate::model::{BindingDef, BindingKind, PolicyRule, RoleDef, RoleKind, Subject};
use crate::parse::Inventory;

/// Error code for an aggregation cycle.
pub const E_CYCLE: &str = "E3002";

/// A role with the rules the authorizer uses.
#[derive(Debug, Clone)]
pub struct Role {
    pub def: RoleDef,
    /// Declared rules, or the aggregated ones for a ClusterRole with an `aggregationRule`.
    pub rules: Vec<PolicyRule>,
}

/// A binding with its role resolved.
#[derive(Debug, Clone)]
pub struct Binding {
    pub def: BindingDef,
    /// `None` when the roleRef does not resolve (it then grants nothing).
    pub role: Option<usize>,
    /// Each subject entry as a [`Subject`], `None` for entries that match nobody.
    pub subjects: Vec<Option<Subject>>,
    /// The `Kind:name` form of each subject (who-can sorts and deduplicates by it).
    pub(crate) labels: Vec<Option<String>>,
}

/// Which binding entry names a subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SubjectRef {
    pub binding: u32,
}

/// The resolved RBAC state of a cluster.
#[derive(Debug, Default)]
pub struct Policy {
    pub roles: Vec<Role>,
    /// ClusterRoleBindings first, then RoleBindings, each in input order.
    pub bindings: Vec<Binding>,
    /// `bindings[..cluster_bindings]` are the ClusterRoleBindings.
    pub cluster_bindings: usize,
    role_index: HashMap<(RoleKind, String, String), usize>,
    by_namespace: HashMap<String, Vec<u32>>,
    pub(crate) by_user: HashMap<String, Vec<SubjectRef>>,
    pub(crate) by_group: HashMap<String, Vec<SubjectRef>>,
    pub(crate) index: Index,
}

impl Policy {
    /// Resolves `inputs` on top of `builtin` (the bootstrap set, if any): an input object
    /// replaces a built-in one of the same kind, namespace and name, and a later input object
    /// replaces an earlier one (as a second `kubectl apply` would).
    pub fn build(builtin: Option<&Inventory>, inputs: &Inventory) -> (Policy, Vec<InputError>) {
        let layers: Vec<&Inventory> = builtin.into_iter().chain(Some(inputs)).collect();
        let mut roles: Vec<RoleDef> = Vec::new();
        let mut role_index = HashMap::new();
        for role in layers.iter().flat_map(|l| &l.roles) {
            let key = (role.kind, role.namespace.clone(), role.name.clone());
            match role_index.get(&key) {
                Some(&i) => roles[i] = role.clone(),
                None => {
                    role_index.insert(key, roles.len());
                    roles.push(role.clone());
                }
            }
        }
        let (rules, cycles) = effective_rules(&roles);
        let errors = cycles
            .iter()
            .map(|c| cycle_error(&roles, c))
            .collect::<Vec<_>>();
        let roles: Vec<Role> = roles
            .into_iter()
            .zip(rules)
            .map(|(def, rules)| Role { def, rules })
            .collect();

        let mut defs: Vec<&BindingDef> = Vec::new();
        let mut seen: HashMap<(BindingKind, &str, &str), usize> = HashMap::new();
        for b in layers.iter().flat_map(|l| &l.bindings) {
            match seen.get(&(b.kind, b.namespace.as_str(), b.name.as_str())) {
                Some(&i) => defs[i] = b,
                None => {
                    seen.insert((b.kind, &b.namespace, &b.name), defs.len());
                    defs.push(b);
                }
            }
        }
        // Stable: ClusterRoleBindings first, input order kept within each kind.
        defs.sort_by_key(|b| b.kind != BindingKind::ClusterRoleBinding);
        let index = Index::new(&roles);
        let mut policy = Policy {
            roles,
            role_index,
            index,
            ..Policy::default()
        };
        for def in defs {
            policy.add_binding(def.clone());
        }
        (policy, errors)
    }

    fn add_binding(&mut self, def: BindingDef) {
        let id = u32::try_from(self.bindings.len()).unwrap_or(u32::MAX);
        let role = self.resolve_role(&def);
        let subjects: Vec<Option<Subject>> = def
            .subjects
            .iter()
            .map(|s| Subject::resolve(s, &def.namespace))
            .collect();
        for s in subjects.iter().flatten() {
            let r = SubjectRef { binding: id };
            let list = match s {
                Subject::Group(g) => self.by_group.entry(g.clone()).or_default(),
                _ => self
                    .by_user
                    .entry(s.user_name().unwrap_or_default())
                    .or_default(),
            };
            // Several entries of one binding may name the same user; one reference is enough.
            if list.last() != Some(&r) {
                list.push(r);
            }
        }
        if let Some(r) = role {
            self.index.add_binding(id, def.kind, &def.namespace, r);
        }
        let labels = subjects
            .iter()
            .map(|s| s.as_ref().map(ToString::to_string))
            .collect();
        match def.kind {
            BindingKind::ClusterRoleBinding => self.cluster_bindings += 1,
            BindingKind::RoleBinding => self
                .by_namespace
                .entry(def.namespace.clone())
                .or_default()
                .push(id),
        }
        self.bindings.push(Binding {
            def,
            role,
            subjects,
            labels,
        });
    }

    /// A RoleBinding's `Role` is looked up in its own namespace; `ClusterRole` refs (from
    /// either binding kind) among ClusterRoles; anything else resolves to nothing.
    fn resolve_role(&self, def: &BindingDef) -> Option<usize> {
        let key = match def.role_ref.kind.as_str() {
            "Role" => (
                RoleKind::Role,
                def.namespace.clone(),
                def.role_ref.name.clone(),
            ),
            "ClusterRole" => (
                RoleKind::ClusterRole,
                String::new(),
                def.role_ref.name.clone(),
            ),
            _ => return None,
        };
        self.role_index.get(&key).copied()
    }

    /// A role by kind, namespace (`""` for ClusterRoles) and name.
    pub fn role(&self, kind: RoleKind, namespace: &str, name: &str) -> Option<&Role> {
        self.role_id(kind, namespace, name).map(|i| &self.roles[i])
    }

    /// The index of a role in [`Policy::roles`].
    pub fn role_id(&self, kind: RoleKind, namespace: &str, name: &str) -> Option<usize> {
        self.role_index
            .get(&(kind, namespace.to_string(), name.to_string()))
            .copied()
    }

    /// The bindings a request with namespace `ns` consults, in order: every
    /// ClusterRoleBinding, then (when `ns` is not empty) the RoleBindings of `ns`.
    pub fn applicable(&self, ns: &str) -> impl Iterator<Item = usize> + '_ {
        let local = if ns.is_empty() {
            &[][..]
        } else {
            self.by_namespace.get(ns).map_or(&[][..], Vec::as_slice)
        };
        (0..self.cluster_bindings).chain(local.iter().map(|&b| b as usize))
    }

    /// Whether binding `b` is consulted for a request in namespace `ns`.
    pub fn applies(&self, b: usize, ns: &str) -> bool {
        let def = &self.bindings[b].def;
        match def.kind {
            BindingKind::ClusterRoleBinding => true,
            BindingKind::RoleBinding => !ns.is_empty() && def.namespace == ns,
        }
    }

    /// Every namespace that has a RoleBinding.
    pub fn binding_namespaces(&self) -> impl Iterator<Item = &str> {
        self.by_namespace.keys().map(String::as_str)
    }
}

fn cycle_error(roles: &[RoleDef], cycle: &[usize]) -> InputError {
    let names: Vec<&str> = cycle.iter().map(|&i| roles[i].name.as_str()).collect();
    let first = &roles[cycle[0]].origin;
    InputError {
        code: E_CYCLE,
        file: first.file.to_string(),
        line: first.pos.line,
        column: first.pos.column,
        message: format!(
            "ClusterRole aggregation cycle between {}; these roles get no rules",
            names.join(", ")
        ),
    }
}

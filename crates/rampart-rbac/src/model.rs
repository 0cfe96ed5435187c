//! The RBAC objects as the authorizer sees them: rules, roles, bindings and subjects.
//!
//! Strings are kept exactly as written: every comparison the authorizer makes is exact and
//! case-sensitive, so nothing here is normalised.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use rampart_model::Pos;
use serde::Serialize;

use crate::selector::LabelSelector;

/// One `PolicyRule`. Missing lists are empty lists (the API server treats them alike).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PolicyRule {
    pub verbs: Vec<String>,
    #[serde(rename = "apiGroups", skip_serializing_if = "Vec::is_empty")]
    pub api_groups: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    #[serde(rename = "resourceNames", skip_serializing_if = "Vec::is_empty")]
    pub resource_names: Vec<String>,
    #[serde(rename = "nonResourceURLs", skip_serializing_if = "Vec::is_empty")]
    pub non_resource_urls: Vec<String>,
}

impl fmt::Display for PolicyRule {
    /// A compact one-line form for text output: `get,list pods,pods/log in "" names=[a]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[String]| {
            v.iter()
                .map(|s| if s.is_empty() { "\"\"" } else { s.as_str() })
                .collect::<Vec<_>>()
                .join(",")
        };
        write!(f, "verbs=[{}]", list(&self.verbs))?;
        if !self.api_groups.is_empty() {
            write!(f, " apiGroups=[{}]", list(&self.api_groups))?;
        }
        if !self.resources.is_empty() {
            write!(f, " resources=[{}]", list(&self.resources))?;
        }
        if !self.resource_names.is_empty() {
            write!(f, " resourceNames=[{}]", list(&self.resource_names))?;
        }
        if !self.non_resource_urls.is_empty() {
            write!(f, " nonResourceURLs=[{}]", list(&self.non_resource_urls))?;
        }
        Ok(())
    }
}

/// `Role` (namespaced) or `ClusterRole`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum RoleKind {
    Role,
    ClusterRole,
}

impl RoleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleKind::Role => "Role",
            RoleKind::ClusterRole => "ClusterRole",
        }
    }
}

/// `RoleBinding` (namespaced) or `ClusterRoleBinding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum BindingKind {
    RoleBinding,
    ClusterRoleBinding,
}

impl BindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BindingKind::RoleBinding => "RoleBinding",
            BindingKind::ClusterRoleBinding => "ClusterRoleBinding",
        }
    }
}

/// Where an object was defined: a file position, or the built-in bootstrap set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: Arc<str>,
    pub pos: Pos,
    /// True for the bootstrap roles and bindings of `--with-bootstrap`.
    pub builtin: bool,
    /// Index of the object in the loaded inputs (for placing scan findings).
    pub object: Option<usize>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pos.line == 0 {
            f.write_str(&self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.pos.line, self.pos.column)
        }
    }
}

/// A Role or ClusterRole as written (before aggregation).
#[derive(Debug, Clone)]
pub struct RoleDef {
    pub kind: RoleKind,
    /// `""` for ClusterRoles.
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub rules: Vec<PolicyRule>,
    /// `Some` when the ClusterRole has an `aggregationRule` (its `rules` are then replaced).
    pub aggregation: Option<Vec<LabelSelector>>,
    pub origin: Origin,
}

/// A binding's `roleRef`. `kind` stays a string: an unknown kind resolves to nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoleRef {
    pub kind: String,
    pub name: String,
}

/// A binding subject as written. `kind` stays a string: unknown kinds match nobody.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubjectDef {
    pub kind: String,
    pub name: String,
    /// `""` when absent.
    pub namespace: String,
}

/// A RoleBinding or ClusterRoleBinding as written.
#[derive(Debug, Clone)]
pub struct BindingDef {
    pub kind: BindingKind,
    /// `""` for ClusterRoleBindings.
    pub namespace: String,
    pub name: String,
    pub role_ref: RoleRef,
    pub subjects: Vec<SubjectDef>,
    pub origin: Origin,
}

/// A subject the way who-can lists it: `User:NAME`, `Group:NAME`, `ServiceAccount:NS/NAME`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    User(String),
    Group(String),
    ServiceAccount { namespace: String, name: String },
}

/// Prefix of service-account user names.
pub const SA_PREFIX: &str = "system:serviceaccount:";

impl Subject {
    pub fn kind(&self) -> &'static str {
        match self {
            Subject::User(_) => "User",
            Subject::Group(_) => "Group",
            Subject::ServiceAccount { .. } => "ServiceAccount",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Subject::User(n) | Subject::Group(n) => n,
            Subject::ServiceAccount { name, .. } => name,
        }
    }

    pub fn namespace(&self) -> &str {
        match self {
            Subject::ServiceAccount { namespace, .. } => namespace,
            _ => "",
        }
    }

    /// The subject a binding's entry denotes, or `None` when it can match nobody (unknown
    /// kind, or a ServiceAccount without namespace outside a RoleBinding).
    pub fn resolve(def: &SubjectDef, binding_namespace: &str) -> Option<Subject> {
        match def.kind.as_str() {
            "User" => Some(Subject::User(def.name.clone())),
            "Group" => Some(Subject::Group(def.name.clone())),
            "ServiceAccount" => {
                let ns = if def.namespace.is_empty() {
                    binding_namespace
                } else {
                    def.namespace.as_str()
                };
                (!ns.is_empty()).then(|| Subject::ServiceAccount {
                    namespace: ns.to_string(),
                    name: def.name.clone(),
                })
            }
            _ => None,
        }
    }

    /// The user name this subject matches (`None` for groups).
    pub fn user_name(&self) -> Option<String> {
        match self {
            Subject::User(n) => Some(n.clone()),
            Subject::Group(_) => None,
            Subject::ServiceAccount { namespace, name } => {
                Some(format!("{SA_PREFIX}{namespace}:{name}"))
            }
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::User(n) => write!(f, "User:{n}"),
            Subject::Group(n) => write!(f, "Group:{n}"),
            Subject::ServiceAccount { namespace, name } => {
                write!(f, "ServiceAccount:{namespace}/{name}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(kind: &str, name: &str, ns: &str) -> SubjectDef {
        SubjectDef {
            kind: kind.into(),
            name: name.into(),
            namespace: ns.into(),
        }
    }

    #[test]
    fn service_account_without_namespace_takes_the_binding_namespace() {
        let s = Subject::resolve(&def("ServiceAccount", "web", ""), "app");
        assert_eq!(
            s.map(|s| s.to_string()).as_deref(),
            Some("ServiceAccount:app/web")
        );
        assert_eq!(
            Subject::resolve(&def("ServiceAccount", "web", ""), ""),
            None
        );
    }

    #[test]
    fn unknown_kinds_match_nobody() {
        assert_eq!(Subject::resolve(&def("user", "alice", ""), "x"), None);
        assert_eq!(
            Subject::resolve(&def("ServiceAccount", "b", "ci"), "")
                .and_then(|s| s.user_name())
                .as_deref(),
            Some("system:serviceaccount:ci:b")
        );
    }
}

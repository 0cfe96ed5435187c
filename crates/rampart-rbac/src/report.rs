//! The JSON shapes of `rampart rbac can-i` / `who-can` (see `interfaces.md`) and their text
//! forms. `by`/`via` entries name the binding, the role and the rule index; the extra fields
//! (kinds, namespace, source position) are additive.

use std::fmt::Write as _;

use serde::Serialize;

use crate::authorize::{Decision, Grant, Holder};
use crate::identity::Identity;
use crate::policy::Policy;

/// One (binding, role, rule) in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct GrantView {
    pub binding: String,
    pub role: String,
    pub rule: usize,
    pub binding_kind: &'static str,
    /// The RoleBinding's namespace; `""` for a ClusterRoleBinding.
    pub namespace: String,
    pub role_kind: &'static str,
    /// Where the binding is defined (`file:line:col`, or `<bootstrap>/…`).
    pub source: String,
}

impl GrantView {
    pub fn new(policy: &Policy, g: &Grant) -> Self {
        let b = &policy.bindings[g.binding].def;
        let r = &policy.roles[g.role].def;
        GrantView {
            binding: b.name.clone(),
            role: r.name.clone(),
            rule: g.rule,
            binding_kind: b.kind.as_str(),
            namespace: b.namespace.clone(),
            role_kind: r.kind.as_str(),
            source: b.origin.to_string(),
        }
    }
}

/// `can-i` JSON.
#[derive(Debug, Clone, Serialize)]
pub struct CanIReport {
    pub allowed: bool,
    pub by: Vec<GrantView>,
    /// The identity the request was evaluated for (user and implied groups).
    pub user: String,
    pub groups: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl CanIReport {
    pub fn new(policy: &Policy, id: &Identity, d: &Decision, warnings: Vec<String>) -> Self {
        CanIReport {
            allowed: d.allowed,
            by: d.by.iter().map(|g| GrantView::new(policy, g)).collect(),
            user: id.user.clone(),
            groups: id.groups.clone(),
            warnings,
        }
    }
}

/// One who-can subject in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectView {
    pub kind: &'static str,
    pub name: String,
    /// The service account's namespace; `""` for users and groups.
    pub namespace: String,
    pub via: Vec<GrantView>,
}

/// `who-can` JSON.
#[derive(Debug, Clone, Serialize)]
pub struct WhoCanReport {
    pub subjects: Vec<SubjectView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl WhoCanReport {
    pub fn new(policy: &Policy, holders: &[Holder<'_>], warnings: Vec<String>) -> Self {
        WhoCanReport {
            subjects: holders
                .iter()
                .map(|h| SubjectView {
                    kind: h.subject.kind(),
                    name: h.subject.name().to_string(),
                    namespace: h.subject.namespace().to_string(),
                    via: h.via.iter().map(|g| GrantView::new(policy, g)).collect(),
                })
                .collect(),
            warnings,
        }
    }
}

fn grant_line(policy: &Policy, g: &Grant) -> String {
    let b = &policy.bindings[g.binding].def;
    let r = &policy.roles[g.role];
    let ns = if b.namespace.is_empty() {
        String::new()
    } else {
        format!(" -n {}", b.namespace)
    };
    let rule = r
        .rules
        .get(g.rule)
        .map(ToString::to_string)
        .unwrap_or_default();
    format!(
        "{} {}{ns} -> {} {} rule {}: {rule}  [{}]",
        b.kind.as_str(),
        b.name,
        r.def.kind.as_str(),
        r.def.name,
        g.rule,
        b.origin
    )
}

/// `can-i` as text: `yes`/`no`, then why.
pub fn can_i_text(policy: &Policy, id: &Identity, d: &Decision) -> String {
    let mut s = String::from(if d.allowed { "yes\n" } else { "no\n" });
    if d.allowed {
        for g in &d.by {
            let _ = writeln!(s, "  {}", grant_line(policy, g));
        }
    } else {
        let _ = writeln!(
            s,
            "  no binding grants this to user {} (groups: {})",
            id.user,
            id.groups.join(", ")
        );
    }
    s
}

/// `who-can` as text: one subject per line, each followed by the grants that reach it.
pub fn who_can_text(policy: &Policy, holders: &[Holder<'_>]) -> String {
    if holders.is_empty() {
        return "no subject can do this\n".into();
    }
    let mut s = String::new();
    for h in holders {
        let _ = writeln!(s, "{}", h.subject);
        for g in &h.via {
            let _ = writeln!(s, "    {}", grant_line(policy, g));
        }
    }
    s
}

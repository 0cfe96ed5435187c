//! RMP3002 `rbac-secrets-cluster-wide`: a ClusterRole bound cluster-wide reads Secrets.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{describe, grants, on_rule, role_rules, Ctx};
use crate::model::{BindingKind, RoleKind};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3002",
    name: "rbac-secrets-cluster-wide",
    title: "Secrets readable in every namespace",
    severity: Severity::High,
    category: Category::Rbac,
    mitre: &["T1552.007"],
    what: "Reports a ClusterRole rule granting `get`, `list` or `watch` on `secrets` (without `resourceNames`) when a ClusterRoleBinding in the inputs binds that ClusterRole.",
    why: "Secrets hold service-account tokens, cloud keys, TLS keys and registry credentials. Bound by a ClusterRoleBinding, the rule reads them in every namespace, kube-system included; `list` and `watch` return every value at once, so they are as strong as `get` on every name.",
    fix: "Bind the role with RoleBindings in the namespaces that need it, or narrow the rule with `resourceNames` to the Secrets the workload reads.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: secret-reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects:
- {kind: ServiceAccount, name: backup, namespace: ops}"#,
    references: &[
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets",
    ],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let bound: Vec<&str> = ctx
        .inv
        .bindings
        .iter()
        .filter(|b| b.kind == BindingKind::ClusterRoleBinding && b.role_ref.kind == "ClusterRole")
        .map(|b| b.role_ref.name.as_str())
        .collect();
    for (role, i, rule) in role_rules(ctx.inv) {
        if role.kind == RoleKind::ClusterRole
            && bound.contains(&role.name.as_str())
            && rule.resource_names.is_empty()
            && grants(rule, &["get", "list", "watch"], "", &["secrets"])
        {
            let msg = format!(
                "{} reads Secrets and is bound by a ClusterRoleBinding: every namespace's Secrets are exposed",
                describe(role)
            );
            out.extend(on_rule(ctx, &META, role, i, msg));
        }
    }
}

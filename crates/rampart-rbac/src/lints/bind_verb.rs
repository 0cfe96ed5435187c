//! RMP3005 `rbac-bind-verb`: Role grants the bind verb on roles.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{describe, grants, on_rule, role_rules, Ctx};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3005",
    name: "rbac-bind-verb",
    title: "Role grants the bind verb on roles",
    severity: Severity::High,
    category: Category::Rbac,
    mitre: &["T1098.006"],
    what: "Reports a rule that grants `bind` on `roles` or `clusterroles`.",
    why: "RBAC refuses to let anyone create a binding to a role whose permissions they do not hold, unless they have `bind` on that role. With `bind` on every ClusterRole and the right to create bindings, a holder binds `cluster-admin` to themselves.",
    fix: "Remove `bind`, or narrow it with `resourceNames` to the few roles the holder may hand out (for example `view` and `edit`).",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: binder}
rules:
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}"#,
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/rbac/", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#bind-verb"],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (role, i, rule) in role_rules(ctx.inv) {
        if grants(
            rule,
            &["bind"],
            "rbac.authorization.k8s.io",
            &["roles", "clusterroles"],
        ) {
            let msg = format!(
                "{} grants `bind`: its subjects can bind roles with permissions they do not hold",
                describe(role)
            );
            out.extend(on_rule(ctx, &META, role, i, msg));
        }
    }
}

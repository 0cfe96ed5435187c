//! RMP3004 `rbac-escalate-verb`: Role grants the escalate verb on roles.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{describe, grants, on_rule, role_rules, Ctx};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3004",
    name: "rbac-escalate-verb",
    title: "Role grants the escalate verb on roles",
    severity: Severity::High,
    category: Category::Rbac,
    mitre: &["T1098.006"],
    what: "Reports a rule that grants `escalate` on `roles` or `clusterroles`.",
    why: "RBAC refuses to let anyone write a role with permissions they do not hold, unless they have `escalate`. With it, a holder who can also update a role bound to themselves writes `*` on `*` into it and becomes cluster-admin (or namespace admin).",
    fix: "Remove `escalate`; only the clusterrole-aggregation controller needs it. Let people write roles only with permissions they already hold.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: role-manager}
rules:
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [create, update, escalate]}"#,
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/rbac/", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb"],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (role, i, rule) in role_rules(ctx.inv) {
        if grants(
            rule,
            &["escalate"],
            "rbac.authorization.k8s.io",
            &["roles", "clusterroles"],
        ) {
            let msg = format!("{} grants `escalate`: its subjects can write roles with permissions they do not hold", describe(role));
            out.extend(on_rule(ctx, &META, role, i, msg));
        }
    }
}

//! RMP3003 `rbac-pod-exec`: Role allows exec or attach into running pods.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{describe, grants, on_rule, role_rules, Ctx};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3003",
    name: "rbac-pod-exec",
    title: "Role allows exec or attach into running pods",
    severity: Severity::Medium,
    category: Category::Rbac,
    mitre: &["T1609"],
    what: "Reports a Role or ClusterRole rule that grants `create` (or `get`, which websocket clients use) on `pods/exec` or `pods/attach`, or `update`/`patch` on `pods/ephemeralcontainers`.",
    why: "Commands run inside existing containers with their service-account tokens, mounted Secrets and network position, bypassing admission control of the pod itself. Exec sessions are rarely audited at request-body level.",
    fix: "Grant exec only to break-glass roles, narrowed with `resourceNames` to the debug pods that need it, and bind them for a limited time.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: debugger, namespace: web}
rules:
- {apiGroups: [""], resources: [pods/exec], verbs: [create]}"#,
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/rbac/", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (role, i, rule) in role_rules(ctx.inv) {
        if grants(
            rule,
            &["create", "get"],
            "",
            &["pods/exec", "pods/attach", "*/exec", "*/attach"],
        ) || grants(
            rule,
            &["update", "patch"],
            "",
            &["pods/ephemeralcontainers"],
        ) {
            let msg = format!(
                "{} lets its subjects run commands inside running containers",
                describe(role)
            );
            out.extend(on_rule(ctx, &META, role, i, msg));
        }
    }
}

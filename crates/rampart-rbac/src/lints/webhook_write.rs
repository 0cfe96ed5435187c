//! RMP3013 `rbac-webhook-config-write`: Role can change admission webhook configurations.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{describe, grants, on_rule, role_rules, Ctx};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3013",
    name: "rbac-webhook-config-write",
    title: "Role can change admission webhook configurations",
    severity: Severity::High,
    category: Category::Rbac,
    mitre: &["T1562.001", "T1557"],
    what: "Reports a rule that grants `create`, `update`, `patch` or `delete` on `mutatingwebhookconfigurations` or `validatingwebhookconfigurations`.",
    why: "A webhook configuration routes API writes to an endpoint its author controls: it sees every Secret written, can rewrite pods to add privileged containers, or switch policy enforcement off by deleting the configuration.",
    fix: "Keep webhook configurations with the operators that own them, each narrowed with `resourceNames` to its own configuration.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: hook-manager}
rules:
- {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [create, update]}"#,
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/rbac/", "https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/"],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (role, i, rule) in role_rules(ctx.inv) {
        if grants(
            rule,
            &["create", "update", "patch", "delete"],
            "admissionregistration.k8s.io",
            &[
                "mutatingwebhookconfigurations",
                "validatingwebhookconfigurations",
            ],
        ) && rule.resource_names.is_empty()
        {
            let msg = format!("{} can change admission webhook configurations: its subjects can intercept or disable API admission", describe(role));
            out.extend(on_rule(ctx, &META, role, i, msg));
        }
    }
}

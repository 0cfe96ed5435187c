//! RMP3011 `rbac-serviceaccount-token-create`: Role can mint service-account tokens.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{describe, grants, on_rule, role_rules, Ctx};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3011",
    name: "rbac-serviceaccount-token-create",
    title: "Role can mint service-account tokens",
    severity: Severity::High,
    category: Category::Rbac,
    mitre: &["T1528"],
    what: "Reports a rule that grants `create` on `serviceaccounts/token`.",
    why: "A TokenRequest returns a fresh token for a service account: the holder becomes any service account of the namespace (of every namespace through a ClusterRoleBinding), including the most privileged one.",
    fix: "Narrow the rule with `resourceNames` to the one service account a workload must request tokens for, or use projected service-account token volumes instead.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: token-minter, namespace: ci}
rules:
- {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}"#,
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/rbac/", "https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/"],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (role, i, rule) in role_rules(ctx.inv) {
        if grants(rule, &["create"], "", &["serviceaccounts/token", "*/token"])
            && rule.resource_names.is_empty()
        {
            let msg = format!("{} grants `create serviceaccounts/token` for every service account: its subjects can become any of them", describe(role));
            out.extend(on_rule(ctx, &META, role, i, msg));
        }
    }
}

//! RMP3006 `rbac-impersonate`: Role grants impersonation.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{describe, grants, on_rule, role_rules, Ctx};
use crate::model::PolicyRule;

pub static META: RuleMeta = RuleMeta {
    id: "RMP3006",
    name: "rbac-impersonate",
    title: "Role grants impersonation",
    severity: Severity::High,
    category: Category::Rbac,
    mitre: &["T1134", "T1078"],
    what: "Reports a rule that grants `impersonate` on `users`, `groups`, `serviceaccounts`, `uids` or `userextras`.",
    why: "Impersonation lets the holder act as any user, any group (including `system:masters`, which bypasses RBAC entirely) or any service account; the audit log then shows the impersonated identity doing the work.",
    fix: "Remove the rule, or narrow it with `resourceNames` to the exact users or service accounts a support tool must act as. Never allow impersonating groups without names.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: helpdesk}
rules:
- {apiGroups: [""], resources: [users, groups], verbs: [impersonate]}"#,
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/rbac/", "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation"],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (role, i, rule) in role_rules(ctx.inv) {
        let extras = rule.resources.iter().any(|r| r.starts_with("userextras/"));
        if grants(
            rule,
            &["impersonate"],
            "",
            &["users", "groups", "serviceaccounts"],
        ) || grants(
            rule,
            &["impersonate"],
            "authentication.k8s.io",
            &["uids", "userextras"],
        ) || (extras && grants_any(rule, "impersonate", "authentication.k8s.io"))
        {
            let msg = format!("{} grants `impersonate`: its subjects can act as other users, groups or service accounts", describe(role));
            out.extend(on_rule(ctx, &META, role, i, msg));
        }
    }
}

/// The verb and group parts of [`grants`], for resources matched by prefix.
fn grants_any(rule: &PolicyRule, verb: &str, group: &str) -> bool {
    rule.verbs.iter().any(|v| v == "*" || v == verb)
        && rule.api_groups.iter().any(|g| g == "*" || g == group)
}

//! RMP3001 `rbac-wildcard-grant`: Role grants wildcard verbs or resources.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{describe, on_rule, role_rules, Ctx};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3001",
    name: "rbac-wildcard-grant",
    title: "Role grants wildcard verbs or resources",
    severity: Severity::High,
    category: Category::Rbac,
    mitre: &["T1078"],
    what: "Reports a rule with `*` in `verbs` or in `resources` (or `*` in `nonResourceURLs` with `*` verbs).",
    why: "`*` covers every current and future verb and resource, subresources included: `escalate`, `bind`, `impersonate`, `pods/exec`, Secrets. A rule with `*` verbs on `*` resources bound cluster-wide is cluster-admin. Wildcards also silently grow as CRDs and API versions are added.",
    fix: "List the verbs and resources the subject needs; for operators, list their own API group's resources explicitly.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}"#,
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/rbac/", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege"],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (role, i, rule) in role_rules(ctx.inv) {
        if rule.resources.iter().any(|r| r == "*")
            || (rule.verbs.iter().any(|v| v == "*")
                && !(rule.resources.is_empty() && rule.non_resource_urls.iter().all(|u| u != "*")))
        {
            let msg = format!("{} grants wildcard permissions", describe(role));
            out.extend(on_rule(ctx, &META, role, i, msg));
        }
    }
}

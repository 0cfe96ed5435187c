//! RMP3012 `rbac-csr-approval`: Role can approve certificate signing requests.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{describe, grants, on_rule, role_rules, Ctx};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3012",
    name: "rbac-csr-approval",
    title: "Role can approve certificate signing requests",
    severity: Severity::High,
    category: Category::Rbac,
    mitre: &["T1649"],
    what: "Reports a rule that grants `update` on `certificatesigningrequests/approval` or `approve` on `signers`.",
    why: "Approving a CSR for the `kubernetes.io/kube-apiserver-client` signer issues a client certificate for any user and group, `system:masters` included; certificates cannot be revoked through RBAC and stay valid until they expire.",
    fix: "Leave approval to the controller manager's approvers; if a tool must approve, narrow `approve` on `signers` with `resourceNames` to its own signer.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: csr-approver}
rules:
- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}
- {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve]}"#,
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/rbac/", "https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization"],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (role, i, rule) in role_rules(ctx.inv) {
        if grants(
            rule,
            &["update", "patch"],
            "certificates.k8s.io",
            &["certificatesigningrequests/approval"],
        ) || grants(rule, &["approve"], "certificates.k8s.io", &["signers"])
        {
            let msg = format!("{} can approve certificate signing requests: its subjects can obtain client certificates for other identities", describe(role));
            out.extend(on_rule(ctx, &META, role, i, msg));
        }
    }
}

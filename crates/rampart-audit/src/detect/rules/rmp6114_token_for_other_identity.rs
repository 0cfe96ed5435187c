//! RMP6114: a service account token was minted by someone other than the account itself.

use rampart_model::{Category, RuleMeta, Severity};

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6114",
    name: "token-requested-for-other-identity",
    title: "TokenRequest for another identity's service account",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1528"],
    what: "Reports `create` of `serviceaccounts/token` unless the caller is the service \
           account itself, a node (kubelets mint tokens for their pods) or \
           `system:kube-controller-manager` in `kube-system`.",
    why: "A TokenRequest mints a working bearer token for the service account: whoever \
          requests one for another account can act as it for the token's lifetime.",
    fix: "Confirm the token was needed; restrict `create` on `serviceaccounts/token` with \
          `resourceNames`.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"serviceaccounts\",\"subresource\":\"token\",\"namespace\":\"ci\",\"name\":\"deployer\"}}",
    references: &[
        "https://attack.mitre.org/techniques/T1528/",
        "https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/",
        AUDIT_DOC,
    ],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.on("", "serviceaccounts", "token") || ctx.verb() != "create" {
        return;
    }
    let ns: &str = &ctx.obj.namespace;
    let name: &str = &ctx.obj.name;
    let user: &str = &ctx.identity.username;
    if ctx.identity.service_account() == Some((ns, name))
        || user.starts_with("system:node:")
        || (user == "system:kube-controller-manager" && ns == "kube-system")
    {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} requested a token for service account {ns}/{name}",
            ctx.who()
        ),
    );
}

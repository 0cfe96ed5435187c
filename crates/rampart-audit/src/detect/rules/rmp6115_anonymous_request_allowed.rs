//! RMP6115: an unauthenticated request succeeded beyond the public health and discovery paths.

use rampart_model::{Category, RuleMeta, Severity};

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6115",
    name: "anonymous-request-allowed",
    title: "Unauthenticated request allowed",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1078.001"],
    what: "Reports a successful request by `system:anonymous` or a member of \
           `system:unauthenticated` on a resource, or on a non-resource path other than \
           `/healthz`, `/livez`, `/readyz`, `/version`, `/version/`, \
           `/.well-known/openid-configuration` and `/openid/v1/jwks`.",
    why: "Clusters grant unauthenticated users only health checks, the version and OIDC \
          discovery. Anything more means a binding hands permissions to anyone who can \
          reach the API server.",
    fix: "Remove bindings to `system:anonymous` and `system:unauthenticated` beyond \
          `system:public-info-viewer`; consider `--anonymous-auth=false`.",
    example: "{\"verb\":\"list\",\"user\":{\"username\":\"system:anonymous\"},\"objectRef\":{\"resource\":\"pods\"}}",
    references: &[
        "https://attack.mitre.org/techniques/T1078/001/",
        "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
        AUDIT_DOC,
    ],
};

const PUBLIC_PATHS: [&str; 7] = [
    "/healthz",
    "/livez",
    "/readyz",
    "/version",
    "/version/",
    "/.well-known/openid-configuration",
    "/openid/v1/jwks",
];

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.identity.is_anonymous() {
        return;
    }
    let what = if ctx.is_resource_request() {
        let mut r = ctx.obj.resource.to_string();
        if !ctx.obj.subresource.is_empty() {
            r = format!("{r}/{}", ctx.obj.subresource);
        }
        format!("{} {r}", ctx.verb())
    } else {
        let path = ctx.path();
        if PUBLIC_PATHS.contains(&path) {
            return;
        }
        format!("{} {path}", ctx.verb())
    };
    out.hit(&META, format!("unauthenticated request allowed: {what}"));
}

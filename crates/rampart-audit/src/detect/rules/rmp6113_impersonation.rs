//! RMP6113: a request was made while impersonating another identity.

use rampart_model::{Category, RuleMeta, Severity};

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6113",
    name: "impersonation-used",
    title: "Request made by impersonating another identity",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &["T1078"],
    what: "Reports every successful request that carries `impersonatedUser`: the caller \
           acted as another user, group or service account. Other rules judge the same \
           event on the impersonated identity.",
    why: "Impersonation borrows another identity's permissions, and its actions are \
          attributed to that identity unless the audit log is read closely.",
    fix: "Confirm the impersonation was expected; grant `impersonate` only with \
          `resourceNames` for the identities that need it.",
    example: "{\"user\":{\"username\":\"mallory\"},\"impersonatedUser\":{\"username\":\"system:admin\"}}",
    references: &[
        "https://attack.mitre.org/techniques/T1078/",
        "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation",
        AUDIT_DOC,
    ],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    let Some(imp) = &ctx.ev.impersonated_user else {
        return;
    };
    let target = if ctx.is_resource_request() {
        format!("{} {}", ctx.verb(), ctx.obj.resource)
    } else {
        format!("{} {}", ctx.verb(), ctx.path())
    };
    out.hit(
        &META,
        format!(
            "{} impersonated {} to {target}",
            ctx.ev.user.username, imp.username
        ),
    );
}

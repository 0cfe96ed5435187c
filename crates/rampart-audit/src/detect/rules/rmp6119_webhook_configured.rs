//! RMP6119: an admission webhook configuration was created or changed.

use rampart_model::{Category, RuleMeta, Severity};

use super::rmp6118_webhook_deleted::webhook_request;
use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6119",
    name: "admission-webhook-configured",
    title: "Admission webhook configuration created or changed",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &["T1557"],
    what: "Reports `create`, `update` or `patch` of a Mutating- or \
           ValidatingWebhookConfiguration by an identity outside the control plane.",
    why: "A webhook sees every object it is registered for, Secrets included, before it is \
          stored, and a mutating one can rewrite it: an attacker's endpoint there sits in \
          the middle of every API write.",
    fix: "Confirm the change came from the tool that owns the webhook; review its \
          `clientConfig` endpoint and rules.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"mutatingwebhookconfigurations\",\"apiGroup\":\"admissionregistration.k8s.io\"}}",
    references: &["https://attack.mitre.org/techniques/T1557/", AUDIT_DOC],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !webhook_request(ctx) || !matches!(ctx.verb(), "create" | "update" | "patch") {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} ran `{}` on {} {}",
            ctx.who(),
            ctx.verb(),
            ctx.obj.resource,
            ctx.name()
        ),
    );
}

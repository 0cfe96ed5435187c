//! RMP6118: an admission webhook configuration was deleted.

use rampart_model::{Category, RuleMeta, Severity};

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6118",
    name: "admission-webhook-deleted",
    title: "Admission webhook configuration deleted",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1562.001"],
    what: "Reports `delete` or `deletecollection` of a Mutating- or \
           ValidatingWebhookConfiguration by an identity outside the control plane.",
    why: "Policy engines, image verifiers and runtime guards enforce through admission \
          webhooks. Deleting their configuration silently switches them off.",
    fix: "Restore the configuration from source control; restrict write access to \
          webhook configurations to the tools that own them.",
    example: "{\"verb\":\"delete\",\"objectRef\":{\"resource\":\"validatingwebhookconfigurations\",\"apiGroup\":\"admissionregistration.k8s.io\"}}",
    references: &["https://attack.mitre.org/techniques/T1562/001/", AUDIT_DOC],
};

/// A webhook configuration request by an identity outside the control plane.
pub(crate) fn webhook_request(ctx: &Ctx<'_, '_>) -> bool {
    ctx.obj.api_group == "admissionregistration.k8s.io"
        && matches!(
            &*ctx.obj.resource,
            "mutatingwebhookconfigurations" | "validatingwebhookconfigurations"
        )
        && !ctx.control_plane
}

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !webhook_request(ctx) || !matches!(ctx.verb(), "delete" | "deletecollection") {
        return;
    }
    let name = if ctx.obj.name.is_empty() {
        "(all)"
    } else {
        &ctx.obj.name
    };
    out.hit(
        &META,
        format!("{} deleted {} {name}", ctx.who(), ctx.obj.resource),
    );
}

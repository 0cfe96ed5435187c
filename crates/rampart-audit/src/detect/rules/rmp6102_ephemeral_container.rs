//! RMP6102: an ephemeral container was added to a running pod (`kubectl debug`).

use rampart_model::{Category, RuleMeta, Severity};

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6102",
    name: "ephemeral-container-added",
    title: "Ephemeral container added to a running pod",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &["T1610"],
    what: "Reports `update` or `patch` of `pods/ephemeralcontainers` by an identity outside \
           the control plane: what `kubectl debug` does.",
    why: "An ephemeral container runs an image of the caller's choice inside an existing \
          pod, sharing its network, volumes and (with a target) its process namespace. It \
          escapes the review a new workload would get.",
    fix: "Confirm the debug session was expected; limit `pods/ephemeralcontainers` to \
          break-glass roles.",
    example: "{\"verb\":\"patch\",\"objectRef\":{\"resource\":\"pods\",\"subresource\":\"ephemeralcontainers\"}}",
    references: &[
        "https://attack.mitre.org/techniques/T1610/",
        "https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/",
        AUDIT_DOC,
    ],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.on("", "pods", "ephemeralcontainers")
        || !matches!(ctx.verb(), "update" | "patch")
        || ctx.control_plane
    {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} added an ephemeral container to pod {}/{}",
            ctx.who(),
            ctx.obj.namespace,
            ctx.obj.name
        ),
    );
}

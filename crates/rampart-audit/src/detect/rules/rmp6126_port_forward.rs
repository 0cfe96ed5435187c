//! RMP6126: a port of a pod was forwarded to the caller.

use rampart_model::{Category, RuleMeta, Severity};

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6126",
    name: "port-forward-to-pod",
    title: "Port forwarded from a pod",
    severity: Severity::Low,
    category: Category::Audit,
    mitre: &["T1572"],
    what: "Reports successful `pods/portforward` requests (`kubectl port-forward`), by any \
           identity.",
    why: "Port forwarding tunnels traffic from the caller's machine straight into a pod, \
          past NetworkPolicies, ingress and service meshes: a way to reach databases and \
          admin ports that are not exposed.",
    fix: "Confirm the session was expected; keep `pods/portforward` to break-glass roles.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"pods\",\"subresource\":\"portforward\"}}",
    references: &["https://attack.mitre.org/techniques/T1572/", AUDIT_DOC],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.on("", "pods", "portforward") || !matches!(ctx.verb(), "create" | "get") {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} forwarded a port of pod {}/{}",
            ctx.who(),
            ctx.obj.namespace,
            ctx.obj.name
        ),
    );
}

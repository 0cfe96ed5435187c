//! RMP6107: Secrets were listed or watched across all namespaces.

use rampart_model::{Category, RuleMeta, Severity};

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6107",
    name: "secrets-listed-cluster-wide",
    title: "Secrets read across all namespaces",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1552.007"],
    what: "Reports `get`, `list` or `watch` of core `secrets` without a namespace (every \
           Secret of the cluster) by an identity outside the control plane.",
    why: "A cluster-wide Secret list returns every credential the cluster holds in one \
          response: service account tokens, registry credentials, TLS keys, database \
          passwords.",
    fix: "Confirm the caller needs every Secret (some operators do); otherwise remove the \
          ClusterRole granting it and grant Secrets per namespace, by name.",
    example: "{\"verb\":\"list\",\"objectRef\":{\"resource\":\"secrets\"}}",
    references: &["https://attack.mitre.org/techniques/T1552/007/", AUDIT_DOC],
};

/// A read of core Secrets (no subresource) by an identity outside the control plane.
pub(crate) fn secret_read(ctx: &Ctx<'_, '_>) -> bool {
    ctx.on("", "secrets", "")
        && matches!(ctx.verb(), "get" | "list" | "watch")
        && !ctx.control_plane
}

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !secret_read(ctx) || !ctx.obj.namespace.is_empty() {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} ran `{}` on secrets across all namespaces",
            ctx.who(),
            ctx.verb()
        ),
    );
}

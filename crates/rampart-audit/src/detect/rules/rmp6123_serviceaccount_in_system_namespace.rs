//! RMP6123: a service account was created in `kube-system` or `kube-public`.

use rampart_model::{Category, RuleMeta, Severity};

use super::{system_namespace, Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6123",
    name: "serviceaccount-created-in-system-namespace",
    title: "Service account created in a system namespace",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &["T1136"],
    what: "Reports `create` of a ServiceAccount in `kube-system` or `kube-public` by an \
           identity outside the control plane.",
    why: "A new identity among the system's own accounts blends in with the control plane \
          and is a persistence foothold, often bound to powerful roles next.",
    fix: "Confirm the account belongs to a known add-on; delete it otherwise and review \
          bindings that name it.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"serviceaccounts\",\"namespace\":\"kube-system\"}}",
    references: &["https://attack.mitre.org/techniques/T1136/", AUDIT_DOC],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.on("", "serviceaccounts", "")
        || ctx.verb() != "create"
        || !system_namespace(&ctx.obj.namespace)
        || ctx.control_plane
    {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} created service account {}/{}",
            ctx.who(),
            ctx.obj.namespace,
            ctx.name()
        ),
    );
}

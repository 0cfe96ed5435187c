//! RMP6122: Kubernetes Events were deleted by a person or app.

use rampart_model::{Category, RuleMeta, Severity};

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6122",
    name: "events-deleted",
    title: "Events deleted",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &["T1070"],
    what: "Reports `delete` or `deletecollection` of `events` (core or `events.k8s.io`) by \
           an identity outside the control plane.",
    why: "Events are the cluster's own record of what happened (pulls, kills, scheduling, \
          failed mounts); deleting them is covering tracks.",
    fix: "Find who deleted them and why; ship Events to external storage and keep delete \
          rights on them to the control plane.",
    example: "{\"verb\":\"deletecollection\",\"objectRef\":{\"resource\":\"events\",\"namespace\":\"prod\"}}",
    references: &["https://attack.mitre.org/techniques/T1070/", AUDIT_DOC],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if ctx.obj.resource != "events"
        || !matches!(&*ctx.obj.api_group, "" | "events.k8s.io")
        || !matches!(ctx.verb(), "delete" | "deletecollection")
        || ctx.control_plane
    {
        return;
    }
    let ns = if ctx.obj.namespace.is_empty() {
        "all namespaces"
    } else {
        &ctx.obj.namespace
    };
    let what = if ctx.obj.name.is_empty() {
        "events".to_string()
    } else {
        format!("event {}", ctx.obj.name)
    };
    out.hit(&META, format!("{} deleted {what} in {ns}", ctx.who()));
}

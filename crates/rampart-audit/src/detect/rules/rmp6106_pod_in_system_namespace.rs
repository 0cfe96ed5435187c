//! RMP6106: a pod was created directly in `kube-system` or `kube-public` by a person or app.

use rampart_model::{Category, RuleMeta, Severity};

use super::{system_namespace, Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6106",
    name: "pod-created-in-system-namespace",
    title: "Pod created in a system namespace",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &["T1610"],
    what: "Reports `create` of a Pod in `kube-system` or `kube-public` by an identity \
           outside the control plane.",
    why: "Pods in system namespaces can mount those namespaces' service account tokens and \
          secrets, which belong to the cluster's most privileged components. System pods \
          come from controllers, not from people.",
    fix: "Find who created the pod and why; deploy add-ons through their controllers and \
          keep create rights in system namespaces to the control plane.",
    example:
        "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"kube-system\"}}",
    references: &["https://attack.mitre.org/techniques/T1610/", AUDIT_DOC],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.on("", "pods", "")
        || ctx.verb() != "create"
        || !system_namespace(&ctx.obj.namespace)
        || ctx.control_plane
    {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} created pod {} in {}",
            ctx.who(),
            ctx.name(),
            ctx.obj.namespace
        ),
    );
}

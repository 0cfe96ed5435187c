//! RMP6128: the EKS `aws-auth` ConfigMap (IAM to Kubernetes identity mapping) was changed.

use rampart_model::{Category, RuleMeta, Severity};

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6128",
    name: "aws-auth-configmap-modified",
    title: "EKS aws-auth ConfigMap changed",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1098"],
    what: "Reports `create`, `update`, `patch` or `delete` of the ConfigMap \
           `kube-system/aws-auth` by an identity outside the control plane.",
    why: "On EKS, `aws-auth` maps IAM roles and users to Kubernetes users and groups: one \
          added line gives an outside AWS identity `system:masters`.",
    fix: "Review the change against source control; manage the mapping through EKS access \
          entries and restrict write access to the ConfigMap.",
    example: "{\"verb\":\"patch\",\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"kube-system\",\"name\":\"aws-auth\"}}",
    references: &[
        "https://attack.mitre.org/techniques/T1098/",
        "https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html",
        AUDIT_DOC,
    ],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.on("", "configmaps", "")
        || ctx.obj.namespace != "kube-system"
        || !matches!(ctx.verb(), "create" | "update" | "patch" | "delete")
        || ctx.control_plane
        || ctx.name() != "aws-auth"
    {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} ran `{}` on ConfigMap kube-system/aws-auth",
            ctx.who(),
            ctx.verb()
        ),
    );
}

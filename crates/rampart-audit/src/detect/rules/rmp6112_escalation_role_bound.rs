//! RMP6112: a binding to a role seen granting `escalate`, `bind` or `impersonate` was created.

use rampart_model::{Category, RuleMeta, Severity};

use super::rmp6111_cluster_admin_binding::{created_binding_role, subjects};
use super::{Key, Out, Pending};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6112",
    name: "escalation-role-bound",
    title: "Binding to a role granting escalate, bind or impersonate created",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1098.006"],
    what: "Reports `create` of a RoleBinding or ClusterRoleBinding whose `roleRef` names a \
           role that RMP6110 saw granting `escalate`, `bind` or `impersonate` earlier in the \
           same input (a Role is looked up in the binding's namespace), by an identity \
           outside the control plane.",
    why: "Creating such a role and binding it is a two-step escalation: each step looks \
          harmless alone, together they hand out the power to grant anything.",
    fix: "Remove the binding unless it was approved; bind escalation roles only to RBAC \
          administrators.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"clusterrolebindings\",\"apiGroup\":\"rbac.authorization.k8s.io\"},\"requestObject\":{\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"rbac-manager\"}}}",
    references: &["https://attack.mitre.org/techniques/T1098/006/"],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    let Some((kind, name)) = created_binding_role(ctx) else {
        return;
    };
    let key = match kind {
        "ClusterRole" => Key::ClusterRole(name.to_string()),
        "Role" => Key::Role(ctx.obj.namespace.to_string(), name.to_string()),
        _ => return,
    };
    let message = format!(
        "{} bound {kind} {name} (grants escalate/bind/impersonate) to {}",
        ctx.who(),
        subjects(ctx)
    );
    out.items.push(Pending::IfRemembered(key, &META, message));
}

//! RMP6111: a binding to the `cluster-admin` ClusterRole was created.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6111",
    name: "cluster-admin-binding-created",
    title: "Binding to cluster-admin created",
    severity: Severity::Critical,
    category: Category::Audit,
    mitre: &["T1098.006"],
    what: "Reports `create` of a RoleBinding or ClusterRoleBinding whose logged `roleRef` is \
           the ClusterRole `cluster-admin`, by an identity outside the control plane.",
    why: "cluster-admin is every permission on every resource. A new binding to it is the \
          most direct way to keep full control of a cluster.",
    fix: "Confirm the binding was approved; remove it otherwise, and grant narrower roles.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"clusterrolebindings\",\"apiGroup\":\"rbac.authorization.k8s.io\"},\"requestObject\":{\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"}}}",
    references: &["https://attack.mitre.org/techniques/T1098/006/", AUDIT_DOC],
};

/// The `roleRef` (kind, name) of a binding create by an identity outside the control plane.
pub(crate) fn created_binding_role<'c>(ctx: &'c Ctx<'_, '_>) -> Option<(&'c str, &'c str)> {
    let resource: &str = &ctx.obj.resource;
    if ctx.obj.api_group != "rbac.authorization.k8s.io"
        || !matches!(resource, "rolebindings" | "clusterrolebindings")
        || !ctx.obj.subresource.is_empty()
        || ctx.verb() != "create"
        || ctx.control_plane
    {
        return None;
    }
    let role_ref = ctx.body()?.get("roleRef")?;
    let kind = role_ref.get("kind").and_then(Value::as_str)?;
    let name = role_ref.get("name").and_then(Value::as_str)?;
    Some((kind, name))
}

/// Subjects of the binding in words.
pub(crate) fn subjects(ctx: &Ctx<'_, '_>) -> String {
    let list: Vec<String> = ctx
        .body()
        .and_then(|b| b.get("subjects"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|s| {
            let kind = s.get("kind").and_then(Value::as_str).unwrap_or("?");
            let name = s.get("name").and_then(Value::as_str).unwrap_or("?");
            match s.get("namespace").and_then(Value::as_str) {
                Some(ns) if !ns.is_empty() => format!("{kind} {ns}/{name}"),
                _ => format!("{kind} {name}"),
            }
        })
        .collect();
    if list.is_empty() {
        "no subjects".to_string()
    } else {
        list.join(", ")
    }
}

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    let Some((kind, name)) = created_binding_role(ctx) else {
        return;
    };
    if kind != "ClusterRole" || name != "cluster-admin" {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} bound cluster-admin to {} ({} {})",
            ctx.who(),
            subjects(ctx),
            ctx.obj.resource,
            ctx.name()
        ),
    );
}

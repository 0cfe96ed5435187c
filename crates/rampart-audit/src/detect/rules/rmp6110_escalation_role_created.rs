//! RMP6110: a Role or ClusterRole granting `escalate`, `bind` or `impersonate` was written.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use super::{Key, Out, Pending};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6110",
    name: "escalation-role-created",
    title: "Role granting escalate, bind or impersonate written",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1098.006"],
    what: "Reports `create` or `update` of a Role or ClusterRole whose logged rules list the \
           verb `escalate`, `bind` or `impersonate`, by an identity outside the control \
           plane. The role is remembered so that a later binding to it is reported \
           (RMP6112).",
    why: "`escalate` and `bind` let a subject grant permissions it does not have; \
          `impersonate` lets it act as anyone. A role carrying them is a path to \
          cluster-admin.",
    fix: "Confirm the role is needed; restrict these verbs with `resourceNames` and bind the \
          role only to RBAC administrators.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"clusterroles\",\"apiGroup\":\"rbac.authorization.k8s.io\"},\"requestObject\":{\"rules\":[{\"verbs\":[\"bind\"]}]}}",
    references: &[
        "https://attack.mitre.org/techniques/T1098/006/",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
};

const RBAC: &str = "rbac.authorization.k8s.io";
const DANGEROUS: [&str; 3] = ["escalate", "bind", "impersonate"];

/// The escalation verbs a role body grants.
fn escalation_verbs(body: &Value) -> Vec<&'static str> {
    let verbs: Vec<&str> = body
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("verbs").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    DANGEROUS
        .into_iter()
        .filter(|d| verbs.contains(d))
        .collect()
}

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    let resource: &str = &ctx.obj.resource;
    if ctx.obj.api_group != RBAC
        || !matches!(resource, "roles" | "clusterroles")
        || !ctx.obj.subresource.is_empty()
        || !matches!(ctx.verb(), "create" | "update")
        || ctx.control_plane
    {
        return;
    }
    let Some(body) = ctx.body() else { return };
    let verbs = escalation_verbs(body);
    if verbs.is_empty() {
        return;
    }
    let name = ctx.name();
    let (key, what) = if resource == "clusterroles" {
        (
            Key::ClusterRole(name.clone()),
            format!("ClusterRole {name}"),
        )
    } else {
        let ns = ctx.obj.namespace.to_string();
        (
            Key::Role(ns.clone(), name.clone()),
            format!("Role {ns}/{name}"),
        )
    };
    out.items.push(Pending::Remember(key));
    out.hit(
        &META,
        format!("{} wrote {what} granting {}", ctx.who(), verbs.join(", ")),
    );
}

//! Shared by the host-access workload rules: which creates they look at and where the pod
//! spec sits in each kind's body.

use serde_json::Value;

use crate::detect::event::Ctx;

/// Resources whose create starts pods, and the pointer to the pod spec in their body.
fn spec_pointer(resource: &str) -> Option<&'static str> {
    match resource {
        "pods" => Some("/spec"),
        "cronjobs" => Some("/spec/jobTemplate/spec/template/spec"),
        "deployments"
        | "daemonsets"
        | "statefulsets"
        | "replicasets"
        | "replicationcontrollers"
        | "jobs" => Some("/spec/template/spec"),
        _ => None,
    }
}

/// The pod spec of a workload create by a non-control-plane identity, when the body was
/// logged.
pub(crate) fn created_pod_spec<'c>(ctx: &'c Ctx<'_, '_>) -> Option<&'c Value> {
    if ctx.verb() != "create" || !ctx.obj.subresource.is_empty() || ctx.control_plane {
        return None;
    }
    let pointer = spec_pointer(&ctx.obj.resource)?;
    ctx.body()?.pointer(pointer).filter(|s| s.is_object())
}

/// Every container of a pod spec (regular, init, ephemeral) with its list and name.
pub(crate) fn containers(spec: &Value) -> impl Iterator<Item = (&'static str, &str, &Value)> {
    ["containers", "initContainers", "ephemeralContainers"]
        .into_iter()
        .flat_map(move |list| {
            spec.get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(move |c| {
                    (
                        list,
                        c.get("name").and_then(Value::as_str).unwrap_or("?"),
                        c,
                    )
                })
        })
}

/// `Deployment shop/web` style description of what was created.
pub(crate) fn what(ctx: &Ctx<'_, '_>) -> String {
    let kind = ctx
        .body()
        .and_then(|b| b.get("kind"))
        .and_then(Value::as_str)
        .map_or_else(|| ctx.obj.resource.to_string(), str::to_string);
    let name = ctx.name();
    if ctx.obj.namespace.is_empty() {
        format!("{kind} {name}")
    } else {
        format!("{kind} {}/{name}", ctx.obj.namespace)
    }
}

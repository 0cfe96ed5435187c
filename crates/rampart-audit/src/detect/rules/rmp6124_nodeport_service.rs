//! RMP6124: a Service was exposed on every node's port.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6124",
    name: "nodeport-service-created",
    title: "NodePort Service created",
    severity: Severity::Low,
    category: Category::Audit,
    mitre: &["T1133"],
    what: "Reports `create`, `update` or `patch` of a Service whose logged body sets \
           `spec.type: NodePort`, by an identity outside the control plane.",
    why: "A NodePort opens the service on every node's address, past ingress controllers, \
          TLS termination and load-balancer allow-lists: a common way to expose a backdoor \
          or an internal service.",
    fix: "Use a ClusterIP Service behind an Ingress or Gateway; block NodePort with an \
          admission policy where it is not needed.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"services\"},\"requestObject\":{\"spec\":{\"type\":\"NodePort\"}}}",
    references: &[
        "https://attack.mitre.org/techniques/T1133/",
        "https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport",
        AUDIT_DOC,
    ],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.on("", "services", "")
        || !matches!(ctx.verb(), "create" | "update" | "patch")
        || ctx.control_plane
    {
        return;
    }
    let Some(body) = ctx.body() else { return };
    if body.pointer("/spec/type").and_then(Value::as_str) != Some("NodePort") {
        return;
    }
    let ports: Vec<String> = body
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
        .map(|p| p.to_string())
        .collect();
    let on = if ports.is_empty() {
        String::new()
    } else {
        format!(" on node port(s) {}", ports.join(", "))
    };
    out.hit(
        &META,
        format!(
            "{} exposed Service {}/{} as NodePort{on}",
            ctx.who(),
            ctx.obj.namespace,
            ctx.name()
        ),
    );
}

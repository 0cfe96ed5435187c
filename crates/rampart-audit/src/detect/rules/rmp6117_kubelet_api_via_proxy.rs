//! RMP6117: the kubelet API was read through `nodes/proxy`.

use rampart_model::{Category, RuleMeta, Severity};

use super::rmp6116_kubelet_exec_via_proxy::{kubelet_path, runs_commands};
use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6117",
    name: "kubelet-api-via-nodes-proxy",
    title: "Kubelet API reached through nodes/proxy",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &["T1613"],
    what: "Reports `nodes/proxy` requests to any kubelet path that does not run commands \
           (`/pods`, `/configz`, `/metrics`, `/logs/`, …), by an identity outside the \
           control plane.",
    why: "The kubelet's read endpoints list every pod of the node with its spec, and its \
          configuration and logs: reconnaissance that `nodes/proxy` allows without any pod \
          permission.",
    fix: "Remove `nodes/proxy` from roles that do not strictly need it; grant \
          `nodes/metrics` or `nodes/stats` for monitoring instead.",
    example: "{\"verb\":\"get\",\"requestURI\":\"/api/v1/nodes/n1/proxy/pods\",\"objectRef\":{\"resource\":\"nodes\",\"subresource\":\"proxy\"}}",
    references: &["https://attack.mitre.org/techniques/T1613/", AUDIT_DOC],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    let Some(path) = kubelet_path(ctx) else {
        return;
    };
    if runs_commands(path) {
        return;
    }
    let shown = if path.is_empty() { "/" } else { path };
    out.hit(
        &META,
        format!(
            "{} read kubelet {shown} on node {} through nodes/proxy",
            ctx.who(),
            ctx.obj.name
        ),
    );
}

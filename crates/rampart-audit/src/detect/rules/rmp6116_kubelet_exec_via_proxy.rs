//! RMP6116: a command was run in a container through the kubelet API (`nodes/proxy`).

use rampart_model::{Category, RuleMeta, Severity};

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6116",
    name: "kubelet-exec-via-nodes-proxy",
    title: "Command run in a container through the kubelet API",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1609"],
    what: "Reports `nodes/proxy` requests whose kubelet path (what follows `/proxy` in the \
           request URI) starts with `/run/`, `/exec/`, `/attach/` or `/portForward/`, by an \
           identity outside the control plane.",
    why: "The kubelet runs commands in any container of its node. Going through \
          `nodes/proxy` bypasses the `pods/exec` permission and its audit trail: the API \
          server logs only a proxied node request.",
    fix: "Remove `nodes/proxy` from every role that does not strictly need it (monitoring \
          needs only `nodes/metrics` and `nodes/stats`).",
    example: "{\"verb\":\"create\",\"requestURI\":\"/api/v1/nodes/n1/proxy/run/ns/pod/c?cmd=id\",\"objectRef\":{\"resource\":\"nodes\",\"subresource\":\"proxy\"}}",
    references: &["https://attack.mitre.org/techniques/T1609/", AUDIT_DOC],
};

const EXEC_PREFIXES: [&str; 4] = ["/run/", "/exec/", "/attach/", "/portForward/"];

/// The kubelet path of a `nodes/proxy` request by an identity outside the control plane.
pub(crate) fn kubelet_path<'c>(ctx: &'c Ctx<'_, '_>) -> Option<&'c str> {
    if !ctx.on("", "nodes", "proxy") || ctx.control_plane {
        return None;
    }
    let path = ctx.path();
    Some(
        path.find("/proxy")
            .map_or("", |i| &path[i + "/proxy".len()..]),
    )
}

pub(crate) fn runs_commands(path: &str) -> bool {
    EXEC_PREFIXES.iter().any(|p| path.starts_with(p))
}

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    let Some(path) = kubelet_path(ctx) else {
        return;
    };
    if !runs_commands(path) {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} called kubelet {path} on node {} through nodes/proxy",
            ctx.who(),
            ctx.obj.name
        ),
    );
}

//! RMP6101: a command was run in a container through `pods/exec` or `pods/attach`.

use rampart_model::{Category, RuleMeta, Severity};

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6101",
    name: "exec-into-container",
    title: "Command run in a container through exec or attach",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1609"],
    what: "Reports every successful `pods/exec` or `pods/attach` request, whether sent as a \
           POST (`kubectl exec`) or as a websocket GET, by any identity.",
    why: "Exec and attach give an interactive shell inside a running container: its files, \
          its service account token and its network position. Attackers use them to move \
          from the API into workloads; legitimate use is rare and worth a look.",
    fix: "Confirm the exec was expected. Restrict `pods/exec` and `pods/attach` in RBAC to \
          break-glass roles, and prefer ephemeral debug containers with an audit trail.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"pods\",\"subresource\":\"exec\"},\"responseStatus\":{\"code\":101}}",
    references: &["https://attack.mitre.org/techniques/T1609/", AUDIT_DOC],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    let sub: &str = &ctx.obj.subresource;
    if ctx.obj.resource != "pods"
        || !ctx.obj.api_group.is_empty()
        || !matches!(sub, "exec" | "attach")
    {
        return;
    }
    if !matches!(ctx.verb(), "create" | "get") {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} ran `{sub}` in pod {}/{}",
            ctx.who(),
            ctx.obj.namespace,
            ctx.obj.name
        ),
    );
}

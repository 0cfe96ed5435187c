//! RMP6109: Secrets were read by an unauthenticated request.

use rampart_model::{Category, RuleMeta, Severity};

use super::rmp6107_secrets_listed_cluster_wide::secret_read;
use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6109",
    name: "secret-read-anonymously",
    title: "Secrets read without authentication",
    severity: Severity::Critical,
    category: Category::Audit,
    mitre: &["T1552.007"],
    what: "Reports a successful `get`, `list` or `watch` of Secrets by `system:anonymous` \
           or a member of `system:unauthenticated`.",
    why: "Anyone who can reach the API server can read these Secrets: a binding grants \
          them to unauthenticated users.",
    fix: "Remove every binding to `system:anonymous` and `system:unauthenticated` that \
          grants Secrets, and consider `--anonymous-auth=false`.",
    example: "{\"verb\":\"list\",\"user\":{\"username\":\"system:anonymous\"},\"objectRef\":{\"resource\":\"secrets\"}}",
    references: &["https://attack.mitre.org/techniques/T1552/007/", AUDIT_DOC],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !secret_read(ctx) || !ctx.identity.is_anonymous() {
        return;
    }
    let scope = if ctx.obj.namespace.is_empty() {
        "across all namespaces".to_string()
    } else {
        format!("in namespace {}", ctx.obj.namespace)
    };
    out.hit(
        &META,
        format!(
            "unauthenticated request ran `{}` on secrets {scope}",
            ctx.verb()
        ),
    );
}

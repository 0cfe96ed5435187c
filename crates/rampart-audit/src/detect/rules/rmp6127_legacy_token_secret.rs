//! RMP6127: a long-lived service account token Secret was created.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6127",
    name: "legacy-token-secret-created",
    title: "Long-lived service account token Secret created",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1528"],
    what: "Reports `create` of a Secret of type `kubernetes.io/service-account-token` by an \
           identity outside the control plane. The token controller fills it with a token \
           that never expires for the service account it names.",
    why: "A legacy token Secret is a non-expiring credential for the named service account, \
          readable by anyone who can read Secrets in the namespace: a durable way to keep \
          that account's access.",
    fix: "Use TokenRequest (projected, expiring tokens) instead; delete the Secret unless a \
          documented integration needs it.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"secrets\"},\"requestObject\":{\"type\":\"kubernetes.io/service-account-token\"}}",
    references: &[
        "https://attack.mitre.org/techniques/T1528/",
        "https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets",
        AUDIT_DOC,
    ],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.on("", "secrets", "") || ctx.verb() != "create" || ctx.control_plane {
        return;
    }
    let Some(body) = ctx.body() else { return };
    if body.get("type").and_then(Value::as_str) != Some("kubernetes.io/service-account-token") {
        return;
    }
    let sa = body
        .pointer("/metadata/annotations/kubernetes.io~1service-account.name")
        .and_then(Value::as_str)
        .unwrap_or("?");
    out.hit(
        &META,
        format!(
            "{} created token Secret {}/{} for service account {sa}",
            ctx.who(),
            ctx.obj.namespace,
            ctx.name()
        ),
    );
}

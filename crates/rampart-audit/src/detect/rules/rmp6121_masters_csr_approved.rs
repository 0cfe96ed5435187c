//! RMP6121: a certificate signing request for `system:masters` was approved.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use super::rmp6120_masters_csr_created::CERTIFICATES;
use super::{Key, Out, Pending, AUDIT_DOC};
use crate::detect::csr;
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6121",
    name: "system-masters-csr-approved",
    title: "Certificate for system:masters approved",
    severity: Severity::Critical,
    category: Category::Audit,
    mitre: &["T1649"],
    what: "Reports `update` or `patch` of `certificatesigningrequests/approval` that sets \
           the condition `Approved: True` on a CSR whose subject has `O=system:masters` \
           (read from the approval's own body, or remembered from its creation, RMP6120).",
    why: "Once approved, the signer issues a cluster-admin certificate that RBAC cannot \
          revoke: the cluster stays open to its holder until the CA is rotated or the \
          certificate expires.",
    fix: "Treat as a compromise of cluster-admin: find the certificate's holder, rotate the \
          cluster CA if it was issued, and restrict who may approve CSRs.",
    example: "{\"verb\":\"update\",\"objectRef\":{\"resource\":\"certificatesigningrequests\",\"subresource\":\"approval\"},\"requestObject\":{\"status\":{\"conditions\":[{\"type\":\"Approved\",\"status\":\"True\"}]}}}",
    references: &[
        "https://attack.mitre.org/techniques/T1649/",
        "https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/",
        AUDIT_DOC,
    ],
};

fn approves(body: &Value) -> bool {
    body.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| {
            c.get("type").and_then(Value::as_str) == Some("Approved")
                && c.get("status").and_then(Value::as_str) == Some("True")
        })
}

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.on(CERTIFICATES, "certificatesigningrequests", "approval")
        || !matches!(ctx.verb(), "update" | "patch")
    {
        return;
    }
    let Some(body) = ctx.body() else { return };
    if !approves(body) {
        return;
    }
    let name = ctx.name();
    let message = format!("{} approved system:masters CSR {name}", ctx.who());
    if csr::requests_masters(body) {
        out.hit(&META, message);
    } else {
        out.items
            .push(Pending::IfRemembered(Key::MastersCsr(name), &META, message));
    }
}

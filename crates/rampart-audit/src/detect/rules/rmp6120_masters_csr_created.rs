//! RMP6120: a certificate signing request for the `system:masters` group was created.

use rampart_model::{Category, RuleMeta, Severity};

use super::{Key, Out, Pending, AUDIT_DOC};
use crate::detect::csr;
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6120",
    name: "system-masters-csr-created",
    title: "Certificate requested for system:masters",
    severity: Severity::Critical,
    category: Category::Audit,
    mitre: &["T1649"],
    what: "Reports `create` of a CertificateSigningRequest whose PKCS#10 request has \
           `system:masters` among the subject's organisations (`O=`). The CSR is \
           remembered so its approval is reported too (RMP6121).",
    why: "A client certificate with `O=system:masters` is a cluster-admin credential that \
          bypasses RBAC entirely and cannot be revoked before it expires.",
    fix: "Deny the CSR (`kubectl certificate deny`), find who asked for it, and restrict \
          `create` on certificatesigningrequests and the signers' `approve` verb.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"certificatesigningrequests\",\"apiGroup\":\"certificates.k8s.io\"},\"requestObject\":{\"spec\":{\"request\":\"<base64 PEM>\"}}}",
    references: &[
        "https://attack.mitre.org/techniques/T1649/",
        "https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/",
        AUDIT_DOC,
    ],
};

pub(crate) const CERTIFICATES: &str = "certificates.k8s.io";

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.on(CERTIFICATES, "certificatesigningrequests", "") || ctx.verb() != "create" {
        return;
    }
    if !ctx.body().is_some_and(csr::requests_masters) {
        return;
    }
    let name = ctx.name();
    out.items
        .push(Pending::Remember(Key::MastersCsr(name.clone())));
    out.hit(
        &META,
        format!(
            "{} requested a system:masters client certificate (CSR {name})",
            ctx.who()
        ),
    );
}

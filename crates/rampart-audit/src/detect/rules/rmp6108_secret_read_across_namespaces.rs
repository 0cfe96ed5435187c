//! RMP6108: a service account read Secrets of another namespace.

use rampart_model::{Category, RuleMeta, Severity};

use super::rmp6107_secrets_listed_cluster_wide::secret_read;
use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6108",
    name: "secret-read-across-namespaces",
    title: "Service account read Secrets of another namespace",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1552.007"],
    what: "Reports `get`, `list` or `watch` of Secrets in a namespace by a service account \
           of a different namespace (outside `kube-system`).",
    why: "Applications read their own namespace's Secrets. A workload reaching into another \
          namespace's credentials is how a compromised pod turns into a compromised \
          neighbour.",
    fix: "Check which binding allows it (`rampart rbac who-can get secrets -n NS`) and \
          narrow it to the namespaces and Secret names the workload needs.",
    example: "{\"verb\":\"get\",\"user\":{\"username\":\"system:serviceaccount:web:app\"},\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"payments\"}}",
    references: &["https://attack.mitre.org/techniques/T1552/007/", AUDIT_DOC],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    let ns: &str = &ctx.obj.namespace;
    if !secret_read(ctx) || ns.is_empty() {
        return;
    }
    let Some((sa_ns, sa)) = ctx.identity.service_account() else {
        return;
    };
    if sa_ns == ns {
        return;
    }
    out.hit(
        &META,
        format!(
            "service account {sa_ns}/{sa} ran `{}` on secrets in namespace {ns}",
            ctx.verb()
        ),
    );
}

//! RMP6104: a workload sharing the node's PID, IPC or network namespace was created.

use rampart_model::{Category, RuleMeta, Severity};

use super::workload::{created_pod_spec, what};
use super::{Out, AUDIT_DOC};
use crate::detect::event::{is_true, Ctx};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6104",
    name: "host-namespace-workload-created",
    title: "Workload in the host PID, IPC or network namespace created",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1610", "T1611"],
    what: "Reports the creation of a Pod or pod-making workload whose logged pod spec sets \
           `hostPID`, `hostIPC` or `hostNetwork` to `true`, by an identity outside the \
           control plane. Fields set to `false` do not count.",
    why: "Host namespaces let a container see and signal the node's processes, read their \
          memory and environment, or sniff and bind the node's network: well-known ways \
          out of a container.",
    fix: "Find who created it and why. Enforce the baseline Pod Security Standard, which \
          forbids host namespaces.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"pods\"},\"requestObject\":{\"spec\":{\"hostPID\":true}}}",
    references: &[
        "https://attack.mitre.org/techniques/T1611/",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        AUDIT_DOC,
    ],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    let Some(spec) = created_pod_spec(ctx) else {
        return;
    };
    let shared: Vec<&str> = ["hostPID", "hostIPC", "hostNetwork"]
        .into_iter()
        .filter(|f| is_true(spec.get(*f)))
        .collect();
    if shared.is_empty() {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} created {} with {}",
            ctx.who(),
            what(ctx),
            shared.join(", ")
        ),
    );
}

//! RMP6103: a workload with a privileged container was created.

use rampart_model::{Category, RuleMeta, Severity};

use super::workload::{containers, created_pod_spec, what};
use super::{Out, AUDIT_DOC};
use crate::detect::event::{is_true, Ctx};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6103",
    name: "privileged-workload-created",
    title: "Workload with a privileged container created",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1610", "T1611"],
    what: "Reports the creation of a Pod or pod-making workload (Deployment, DaemonSet, \
           StatefulSet, ReplicaSet, ReplicationController, Job, CronJob) whose logged body \
           has a container, init container or ephemeral container with \
           `securityContext.privileged: true`, by an identity outside the control plane.",
    why: "A privileged container has every capability and every host device: it is root on \
          the node. It is the standard first step of an escape from a container.",
    fix: "Find who created it and why. Enforce the baseline Pod Security Standard in \
          namespaces that do not need privileged pods.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"pods\"},\"requestObject\":{\"spec\":{\"containers\":[{\"securityContext\":{\"privileged\":true}}]}}}",
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
    let privileged: Vec<&str> = containers(spec)
        .filter(|(_, _, c)| is_true(c.pointer("/securityContext/privileged")))
        .map(|(_, name, _)| name)
        .collect();
    if privileged.is_empty() {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} created {} with privileged container(s) {}",
            ctx.who(),
            what(ctx),
            privileged.join(", ")
        ),
    );
}

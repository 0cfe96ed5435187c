//! RMP6105: a workload mounting a host path was created.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use super::workload::{created_pod_spec, what};
use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6105",
    name: "hostpath-workload-created",
    title: "Workload mounting a host path created",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1610", "T1611"],
    what: "Reports the creation of a Pod or pod-making workload whose logged pod spec has a \
           `hostPath` volume (any path), by an identity outside the control plane.",
    why: "A host path gives the container the node's files: `/` or `/etc` for persistence, \
          the container runtime socket for full control of the node, kubelet credentials.",
    fix: "Find who created it and why. Enforce the baseline Pod Security Standard, which \
          forbids hostPath volumes, and use other volume types.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"pods\"},\"requestObject\":{\"spec\":{\"volumes\":[{\"hostPath\":{\"path\":\"/\"}}]}}}",
    references: &[
        "https://attack.mitre.org/techniques/T1611/",
        "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        AUDIT_DOC,
    ],
};

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    let Some(spec) = created_pod_spec(ctx) else {
        return;
    };
    let paths: Vec<&str> = spec
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("hostPath").filter(|h| !h.is_null()))
        .map(|h| h.get("path").and_then(Value::as_str).unwrap_or("?"))
        .collect();
    if paths.is_empty() {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} created {} mounting host path(s) {}",
            ctx.who(),
            what(ctx),
            paths.join(", ")
        ),
    );
}

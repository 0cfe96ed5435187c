//! `hostPathVolumes` (baseline, v1.0+; replaced by `restrictedVolumes` under restricted).

use rampart_model::{Category, RuleMeta, Severity};

use super::REFERENCES;
use crate::check::{CheckDef, Failure, Location};
use crate::format::{join_quote, pluralize};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2003",
    name: "pss-host-path-volumes",
    title: "hostPath volumes are forbidden (PSS baseline: hostPathVolumes)",
    severity: Severity::High,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports volumes with a `hostPath` source, as the Pod Security Standards baseline check `hostPathVolumes` does. Under the restricted level upstream reports them as `restrictedVolumes` instead.",
    why: "A hostPath volume exposes the node's filesystem to the container: mounting `/`, the container runtime socket or kubelet credentials is a direct path to node takeover.",
    fix: "Use an `emptyDir`, `configMap`, `secret`, `projected` or `persistentVolumeClaim` volume instead of `hostPath`.",
    example: "spec:\n  volumes:\n  - name: root\n    hostPath:\n      path: /",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "hostPathVolumes",
    level: Level::Baseline,
    variants: &[(0, v1_0)],
    overrides: None,
    meta: &META,
};

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    let bad: Vec<_> = pod.volumes.iter().filter(|v| v.host_path).collect();
    if bad.is_empty() {
        return None;
    }
    Some(Failure {
        reason: "hostPath volumes",
        detail: format!(
            "{} {}",
            pluralize("volume", "volumes", bad.len()),
            join_quote(bad.iter().map(|v| v.name))
        ),
        locations: bad
            .iter()
            .map(|v| Location::Volume {
                index: v.index,
                field: Some("hostPath"),
            })
            .collect(),
    })
}

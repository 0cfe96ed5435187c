//! `windowsHostProcess` (baseline, v1.0+): no Windows HostProcess containers.

use rampart_model::{Category, RuleMeta, Severity};

use super::{at, REFERENCES};
use crate::check::{CheckDef, Failure, Location};
use crate::format::setters;
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2011",
    name: "pss-windows-host-process",
    title: "Windows HostProcess containers are forbidden (PSS baseline: windowsHostProcess)",
    severity: Severity::Critical,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports pod- and container-level `windowsOptions.hostProcess: true`, as the Pod Security Standards baseline check `windowsHostProcess` does.",
    why: "A HostProcess container runs directly on the Windows node with host privileges: it is administrator on the node.",
    fix: "Remove `windowsOptions.hostProcess` (and `hostNetwork`), or run the workload in a namespace whose policy is privileged on purpose.",
    example: "spec:\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n  hostNetwork: true",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "windowsHostProcess",
    level: Level::Baseline,
    variants: &[(0, v1_0)],
    overrides: None,
    meta: &META,
};

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    let mut locations = Vec::new();
    let mut names = Vec::new();
    for c in &pod.containers {
        if c.security_context.as_ref().and_then(|s| s.host_process) == Some(true) {
            names.push(c.name);
            locations.push(at(c, &["securityContext", "windowsOptions", "hostProcess"]));
        }
    }
    let pod_bad = pod.security_context.as_ref().and_then(|s| s.host_process) == Some(true);
    if pod_bad {
        locations.insert(
            0,
            Location::Spec(&["securityContext", "windowsOptions", "hostProcess"]),
        );
    }
    if !pod_bad && names.is_empty() {
        return None;
    }
    Some(Failure {
        reason: "hostProcess",
        detail: format!(
            "{} must not set securityContext.windowsOptions.hostProcess=true",
            setters(pod_bad, &names)
        ),
        locations,
    })
}

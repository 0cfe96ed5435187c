//! `privileged` (baseline, v1.0+): no container may run privileged.

use rampart_model::{Category, RuleMeta, Severity};

use super::{at, REFERENCES};
use crate::check::{CheckDef, Failure};
use crate::format::containers;
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2001",
    name: "pss-privileged",
    title: "Privileged containers are forbidden (PSS baseline: privileged)",
    severity: Severity::Critical,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports containers (init, regular and ephemeral) that set `securityContext.privileged: true`, as the Pod Security Standards baseline check `privileged` does.",
    why: "A privileged container has every capability and access to all host devices: it is root on the node. Pod Security Admission rejects it at the baseline and restricted levels.",
    fix: "Remove `securityContext.privileged` or set it to `false`; grant only the specific capabilities or devices the workload needs.",
    example: "spec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      privileged: true",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "privileged",
    level: Level::Baseline,
    variants: &[(0, v1_0)],
    overrides: None,
    meta: &META,
};

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    let bad: Vec<_> = pod
        .containers
        .iter()
        .filter(|c| c.security_context.as_ref().and_then(|s| s.privileged) == Some(true))
        .collect();
    if bad.is_empty() {
        return None;
    }
    let names: Vec<&str> = bad.iter().map(|c| c.name).collect();
    Some(Failure {
        reason: "privileged",
        detail: format!(
            "{} must not set securityContext.privileged=true",
            containers(&names)
        ),
        locations: bad
            .iter()
            .map(|c| at(c, &["securityContext", "privileged"]))
            .collect(),
    })
}

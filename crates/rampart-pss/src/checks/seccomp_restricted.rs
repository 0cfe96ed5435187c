//! `seccompProfile_restricted` (restricted, v1.19+; Windows pods pass from v1.25; replaces
//! `seccompProfile_baseline`): every container must run under `RuntimeDefault` or `Localhost`,
//! set on the pod or on the container.

use rampart_model::{Category, RuleMeta, Severity};

use super::seccomp_baseline::valid_type;
use super::{at, REFERENCES};
use crate::check::{CheckDef, CheckId, Failure, Location};
use crate::format::{containers, join_quote, setters, sorted_set};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2018",
    name: "pss-seccomp-restricted",
    title: "A seccomp profile is required (PSS restricted: seccompProfile_restricted)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1562.001"],
    what: "Reports pods where a container neither sets `seccompProfile.type` to `RuntimeDefault`/`Localhost` nor inherits such a pod-level profile, and any pod or container that sets another type, as the Pod Security Standards restricted check `seccompProfile_restricted` (policy v1.19+) does. Windows pods pass from v1.25.",
    why: "Without a seccomp filter every system call reaches the kernel; RuntimeDefault blocks the rarely needed ones that most kernel exploits rely on.",
    fix: "Set `spec.securityContext.seccompProfile.type: RuntimeDefault` on the pod.",
    example: "spec:\n  containers:\n  - name: app\n    image: nginx",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "seccompProfile_restricted",
    level: Level::Restricted,
    variants: &[(19, v1_19), (25, v1_25)],
    overrides: Some((CheckId::SeccompProfileBaseline, 19)),
    meta: &META,
};

fn v1_25(pod: &Pod<'_>) -> Option<Failure> {
    if pod.is_windows() {
        return None;
    }
    v1_19(pod)
}

fn v1_19(pod: &Pod<'_>) -> Option<Failure> {
    let mut values = Vec::new();
    let mut explicit = Vec::new();
    let mut implicit = Vec::new();
    let mut locations = Vec::new();
    let mut implicit_locations = Vec::new();
    let (mut pod_bad, mut pod_good) = (false, false);
    if let Some(t) = pod.security_context.as_ref().and_then(|s| s.seccomp) {
        if valid_type(t) {
            pod_good = true;
        } else {
            pod_bad = true;
            values.push(t);
            locations.push(Location::Spec(&[
                "securityContext",
                "seccompProfile",
                "type",
            ]));
        }
    }
    for c in &pod.containers {
        match c.security_context.as_ref().and_then(|s| s.seccomp) {
            Some(t) if !valid_type(t) => {
                explicit.push(c.name);
                values.push(t);
                locations.push(at(c, &["securityContext", "seccompProfile", "type"]));
            }
            Some(_) => {}
            None if !pod_good => {
                implicit.push(c.name);
                implicit_locations.push(at(c, &["securityContext", "seccompProfile"]));
            }
            None => {}
        }
    }
    if pod_bad || !explicit.is_empty() {
        return Some(Failure {
            reason: "seccompProfile",
            detail: format!(
                "{} must not set securityContext.seccompProfile.type to {}",
                setters(pod_bad, &explicit),
                join_quote(sorted_set(values))
            ),
            locations,
        });
    }
    if implicit.is_empty() {
        return None;
    }
    Some(Failure {
        reason: "seccompProfile",
        detail: format!(
            "pod or {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
            containers(&implicit)
        ),
        locations: implicit_locations,
    })
}

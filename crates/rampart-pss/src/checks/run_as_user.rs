//! `runAsUser` (restricted, v1.23+; user-namespaced pods pass from v1.35): no UID 0.

use rampart_model::{Category, RuleMeta, Severity};

use super::{at, REFERENCES};
use crate::check::{CheckDef, Failure, Location};
use crate::format::setters;
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2017",
    name: "pss-run-as-user",
    title: "runAsUser 0 is forbidden (PSS restricted: runAsUser)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports pod- or container-level `runAsUser: 0`, as the Pod Security Standards restricted check `runAsUser` (policy v1.23+) does. A pod-level 0 is reported even when every container overrides it. From policy v1.35 pods with `hostUsers: false` pass.",
    why: "UID 0 in the container is root on the node's kernel unless user namespaces are in use.",
    fix: "Set `runAsUser` to a non-zero UID (or remove it and set `runAsNonRoot: true`).",
    example: "spec:\n  securityContext:\n    runAsUser: 0\n  containers:\n  - name: app\n    image: nginx",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "runAsUser",
    level: Level::Restricted,
    variants: &[(23, v1_23), (35, v1_35)],
    overrides: None,
    meta: &META,
};

fn v1_35(pod: &Pod<'_>) -> Option<Failure> {
    if pod.in_user_namespace() {
        return None;
    }
    v1_23(pod)
}

fn v1_23(pod: &Pod<'_>) -> Option<Failure> {
    let pod_bad = pod.security_context.as_ref().and_then(|s| s.run_as_user) == Some(0);
    let mut locations = Vec::new();
    if pod_bad {
        locations.push(Location::Spec(&["securityContext", "runAsUser"]));
    }
    let mut names = Vec::new();
    for c in &pod.containers {
        if c.security_context.as_ref().and_then(|s| s.run_as_user) == Some(0) {
            names.push(c.name);
            locations.push(at(c, &["securityContext", "runAsUser"]));
        }
    }
    if !pod_bad && names.is_empty() {
        return None;
    }
    Some(Failure {
        reason: "runAsUser=0",
        detail: format!("{} must not set runAsUser=0", setters(pod_bad, &names)),
        locations,
    })
}

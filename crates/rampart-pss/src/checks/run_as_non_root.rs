//! `runAsNonRoot` (restricted, v1.0+; user-namespaced pods pass from v1.35): every container
//! must run as non-root, set on the container or inherited from the pod.

use rampart_model::{Category, RuleMeta, Severity};

use super::{at, REFERENCES};
use crate::check::{CheckDef, Failure, Location};
use crate::format::{containers, setters};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2016",
    name: "pss-run-as-non-root",
    title: "Containers must run as non-root (PSS restricted: runAsNonRoot)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports pods that set `runAsNonRoot: false` at pod or container level, or containers that neither set `runAsNonRoot: true` nor inherit it from the pod, as the Pod Security Standards restricted check `runAsNonRoot` does. From policy v1.35 pods with `hostUsers: false` pass.",
    why: "Root in a container is root on the node's kernel as soon as any isolation layer fails; `runAsNonRoot` makes the kubelet refuse images that would run as UID 0.",
    fix: "Set `spec.securityContext.runAsNonRoot: true` (and a non-zero `runAsUser` if the image has no non-root user).",
    example: "spec:\n  containers:\n  - name: app\n    image: nginx",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "runAsNonRoot",
    level: Level::Restricted,
    variants: &[(0, v1_0), (35, v1_35)],
    overrides: None,
    meta: &META,
};

fn v1_35(pod: &Pod<'_>) -> Option<Failure> {
    if pod.in_user_namespace() {
        return None;
    }
    v1_0(pod)
}

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    let pod_value = pod
        .security_context
        .as_ref()
        .and_then(|s| s.run_as_non_root);
    let pod_bad = pod_value == Some(false);
    let mut locations = Vec::new();
    if pod_bad {
        locations.push(Location::Spec(&["securityContext", "runAsNonRoot"]));
    }
    let mut explicit = Vec::new();
    let mut implicit = Vec::new();
    let mut implicit_locations = Vec::new();
    for c in &pod.containers {
        let field = &["securityContext", "runAsNonRoot"];
        match c.security_context.as_ref().and_then(|s| s.run_as_non_root) {
            Some(false) => {
                explicit.push(c.name);
                locations.push(at(c, field));
            }
            Some(true) => {}
            None if pod_value != Some(true) => {
                implicit.push(c.name);
                implicit_locations.push(at(c, field));
            }
            None => {}
        }
    }
    if pod_bad || !explicit.is_empty() {
        return Some(Failure {
            reason: "runAsNonRoot != true",
            detail: format!(
                "{} must not set securityContext.runAsNonRoot=false",
                setters(pod_bad, &explicit)
            ),
            locations,
        });
    }
    if implicit.is_empty() {
        return None;
    }
    Some(Failure {
        reason: "runAsNonRoot != true",
        detail: format!(
            "pod or {} must set securityContext.runAsNonRoot=true",
            containers(&implicit)
        ),
        locations: implicit_locations,
    })
}

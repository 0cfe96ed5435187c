//! `procMount` (baseline, v1.0+; from v1.35 user-namespaced pods pass; replaced by
//! `procMount_restricted` under restricted from v1.35): the default /proc masks must stay.

use rampart_model::{Category, RuleMeta, Severity};

use super::{at, REFERENCES};
use crate::check::{CheckDef, Failure};
use crate::format::{containers, join_quote, sorted_set};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2008",
    name: "pss-proc-mount",
    title: "Unmasked /proc is forbidden (PSS baseline: procMount)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports containers with a `securityContext.procMount` other than `Default`, as the Pod Security Standards baseline check `procMount` does. From policy v1.35 pods with `hostUsers: false` pass at the baseline level.",
    why: "An unmasked /proc exposes kernel interfaces that the runtime normally hides, which helps a process break out of the container.",
    fix: "Remove `procMount` or set it to `Default`.",
    example: "spec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      procMount: Unmasked",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "procMount",
    level: Level::Baseline,
    variants: &[(0, strict), (35, v1_35)],
    overrides: None,
    meta: &META,
};

fn v1_35(pod: &Pod<'_>) -> Option<Failure> {
    if pod.in_user_namespace() {
        return None;
    }
    strict(pod)
}

/// The v1.0 rule, also what `procMount_restricted` runs.
pub(crate) fn strict(pod: &Pod<'_>) -> Option<Failure> {
    let mut names = Vec::new();
    let mut types = Vec::new();
    let mut locations = Vec::new();
    for c in &pod.containers {
        if let Some(m) = c.security_context.as_ref().and_then(|s| s.proc_mount) {
            if m != "Default" {
                names.push(c.name);
                types.push(m);
                locations.push(at(c, &["securityContext", "procMount"]));
            }
        }
    }
    if names.is_empty() {
        return None;
    }
    Some(Failure {
        reason: "procMount",
        detail: format!(
            "{} must not set securityContext.procMount to {}",
            containers(&names),
            join_quote(sorted_set(types))
        ),
        locations,
    })
}

//! `seccompProfile_baseline` (baseline; v1.0 reads only the alpha annotations, v1.19 only the
//! fields; replaced by `seccompProfile_restricted` under restricted from v1.19).

use rampart_model::{Category, RuleMeta, Severity};

use super::{at, REFERENCES};
use crate::check::{CheckDef, Failure, Location};
use crate::format::{go_quote, join_quote, pluralize, setters, sorted_set};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2009",
    name: "pss-seccomp-baseline",
    title: "Seccomp must not be disabled (PSS baseline: seccompProfile_baseline)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1562.001"],
    what: "Reports seccomp profiles other than `RuntimeDefault` or `Localhost`, as the Pod Security Standards baseline check `seccompProfile_baseline` does: before policy v1.19 the `seccomp.security.alpha.kubernetes.io/pod` and `container.seccomp.security.alpha.kubernetes.io/<name>` annotations (allowed: `runtime/default`, `docker/default`, `localhost/…`), from v1.19 the `seccompProfile.type` fields.",
    why: "`Unconfined` removes the system-call filter that blocks many kernel exploits used for container escape.",
    fix: "Remove the `Unconfined` profile, or set `seccompProfile.type: RuntimeDefault`.",
    example: "spec:\n  securityContext:\n    seccompProfile:\n      type: Unconfined",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "seccompProfile_baseline",
    level: Level::Baseline,
    variants: &[(0, v1_0), (19, v1_19)],
    overrides: None,
    meta: &META,
};

const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

pub(crate) fn valid_type(t: &str) -> bool {
    t == "RuntimeDefault" || t == "Localhost"
}

fn valid_annotation(v: &str) -> bool {
    v == "runtime/default" || v == "docker/default" || v.starts_with("localhost/")
}

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    let mut bad = Vec::new();
    let mut locations = Vec::new();
    let mut consider = |key: String| {
        if let Some(v) = pod.annotation(&key) {
            if !valid_annotation(v) {
                bad.push(format!("{key}={}", go_quote(v)));
                if !locations.contains(&Location::Annotation(key.clone())) {
                    locations.push(Location::Annotation(key));
                }
            }
        }
    };
    consider(POD_ANNOTATION.to_string());
    for c in &pod.containers {
        consider(format!("{CONTAINER_PREFIX}{}", c.name));
    }
    if bad.is_empty() {
        return None;
    }
    bad.sort_unstable();
    bad.dedup();
    Some(Failure {
        reason: "seccompProfile",
        detail: format!(
            "forbidden {} {}",
            pluralize("annotation", "annotations", bad.len()),
            bad.join(", ")
        ),
        locations,
    })
}

fn v1_19(pod: &Pod<'_>) -> Option<Failure> {
    let mut values = Vec::new();
    let mut locations = Vec::new();
    let mut pod_bad = false;
    if let Some(t) = pod.security_context.as_ref().and_then(|s| s.seccomp) {
        if !valid_type(t) {
            pod_bad = true;
            values.push(t);
            locations.push(Location::Spec(&[
                "securityContext",
                "seccompProfile",
                "type",
            ]));
        }
    }
    let mut names = Vec::new();
    for c in &pod.containers {
        if let Some(t) = c.security_context.as_ref().and_then(|s| s.seccomp) {
            if !valid_type(t) {
                names.push(c.name);
                values.push(t);
                locations.push(at(c, &["securityContext", "seccompProfile", "type"]));
            }
        }
    }
    if !pod_bad && names.is_empty() {
        return None;
    }
    Some(Failure {
        reason: "seccompProfile",
        detail: format!(
            "{} must not set securityContext.seccompProfile.type to {}",
            setters(pod_bad, &names),
            join_quote(sorted_set(values))
        ),
        locations,
    })
}

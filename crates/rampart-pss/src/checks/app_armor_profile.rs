//! `appArmorProfile` (baseline, v1.0+): AppArmor may not be disabled or overridden, by field or
//! by the beta annotations. Both are read at every policy version, as upstream does.

use rampart_model::{Category, RuleMeta, Severity};

use super::{at, REFERENCES};
use crate::check::{CheckDef, Failure, Location};
use crate::format::{containers, go_quote, join_quote, pluralize, sorted_set};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2006",
    name: "pss-apparmor-profile",
    title: "AppArmor must not be disabled (PSS baseline: appArmorProfile)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1562.001"],
    what: "Reports pod- and container-level `appArmorProfile.type` other than `RuntimeDefault` or `Localhost`, and `container.apparmor.security.beta.kubernetes.io/*` annotations other than empty, `runtime/default` or `localhost/…`, as the Pod Security Standards baseline check `appArmorProfile` does.",
    why: "Setting AppArmor to unconfined removes a mandatory-access-control layer that blocks many container escape techniques.",
    fix: "Remove the profile override, or use `type: RuntimeDefault` (or a `Localhost` profile).",
    example: "metadata:\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: unconfined",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "appArmorProfile",
    level: Level::Baseline,
    variants: &[(0, v1_0)],
    overrides: None,
    meta: &META,
};

const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

fn allowed_type(t: &str) -> bool {
    t == "RuntimeDefault" || t == "Localhost"
}

fn allowed_annotation(v: &str) -> bool {
    v.is_empty() || v == "runtime/default" || v.starts_with("localhost/")
}

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    let mut setters = Vec::new();
    let mut values = Vec::new();
    let mut locations = Vec::new();
    if let Some(t) = pod.security_context.as_ref().and_then(|s| s.app_armor) {
        if !allowed_type(t) {
            setters.push("pod".to_string());
            values.push(t);
            locations.push(Location::Spec(&[
                "securityContext",
                "appArmorProfile",
                "type",
            ]));
        }
    }
    let mut names = Vec::new();
    for c in &pod.containers {
        if let Some(t) = c.security_context.as_ref().and_then(|s| s.app_armor) {
            if !allowed_type(t) {
                names.push(c.name);
                values.push(t);
                locations.push(at(c, &["securityContext", "appArmorProfile", "type"]));
            }
        }
    }
    if !names.is_empty() {
        setters.push(containers(&names));
    }
    let mut bad_values: Vec<String> = sorted_set(values).into_iter().map(String::from).collect();
    let mut annotations = Vec::new();
    for (k, v) in pod.annotations.into_iter().flatten() {
        let v = v.as_str().unwrap_or("");
        if k.starts_with(ANNOTATION_PREFIX) && !allowed_annotation(v) {
            annotations.push(format!("{k}={}", go_quote(v)));
            locations.push(Location::Annotation(k.clone()));
        }
    }
    if !annotations.is_empty() {
        annotations.sort_unstable();
        setters.push(pluralize("annotation", "annotations", annotations.len()).to_string());
        bad_values.extend(annotations);
    }
    if setters.is_empty() {
        return None;
    }
    Some(Failure {
        reason: pluralize(
            "forbidden AppArmor profile",
            "forbidden AppArmor profiles",
            bad_values.len(),
        ),
        detail: format!(
            "{} must not set AppArmor profile type to {}",
            setters.join(" and "),
            join_quote(bad_values.iter().map(String::as_str))
        ),
        locations,
    })
}

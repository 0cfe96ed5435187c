//! `seLinuxOptions` (baseline, v1.0+; v1.31 also allows `container_engine_t`): no custom
//! SELinux user or role, and only the container types.

use rampart_model::{Category, RuleMeta, Severity};

use super::{at, REFERENCES};
use crate::check::{CheckDef, Failure, Location};
use crate::format::{join_quote, pluralize, setters, sorted_set};
use crate::level::Level;
use crate::pod::{Pod, SeLinux};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2007",
    name: "pss-selinux-options",
    title: "Custom SELinux options are forbidden (PSS baseline: seLinuxOptions)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1562.001"],
    what: "Reports pod- and container-level `seLinuxOptions` that set `user` or `role`, or a `type` other than empty, `container_t`, `container_init_t`, `container_kvm_t` (and `container_engine_t` from policy v1.31), as the Pod Security Standards baseline check `seLinuxOptions` does.",
    why: "A custom SELinux type such as `spc_t` runs the container unconfined by SELinux, removing the isolation the label would give.",
    fix: "Remove `seLinuxOptions.user` and `.role`, and use one of the container types (or none).",
    example: "spec:\n  securityContext:\n    seLinuxOptions:\n      type: spc_t",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "seLinuxOptions",
    level: Level::Baseline,
    variants: &[(0, v1_0), (31, v1_31)],
    overrides: None,
    meta: &META,
};

const TYPES_1_0: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t"];
const TYPES_1_31: &[&str] = &[
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    check(pod, TYPES_1_0)
}

fn v1_31(pod: &Pod<'_>) -> Option<Failure> {
    check(pod, TYPES_1_31)
}

fn check<'a>(pod: &Pod<'a>, allowed: &[&str]) -> Option<Failure> {
    let mut types: Vec<&'a str> = Vec::new();
    let (mut user, mut role) = (false, false);
    let mut valid = |o: &SeLinux<'a>, types: &mut Vec<&'a str>| {
        let mut ok = true;
        if !allowed.contains(&o.type_) {
            ok = false;
            types.push(o.type_);
        }
        if !o.user.is_empty() {
            ok = false;
            user = true;
        }
        if !o.role.is_empty() {
            ok = false;
            role = true;
        }
        ok
    };
    let mut locations = Vec::new();
    let mut pod_bad = false;
    if let Some(o) = pod.security_context.as_ref().and_then(|s| s.se_linux) {
        if !valid(&o, &mut types) {
            pod_bad = true;
            locations.push(Location::Spec(&["securityContext", "seLinuxOptions"]));
        }
    }
    let mut names = Vec::new();
    for c in &pod.containers {
        if let Some(o) = c.security_context.as_ref().and_then(|s| s.se_linux) {
            if !valid(&o, &mut types) {
                names.push(c.name);
                locations.push(at(c, &["securityContext", "seLinuxOptions"]));
            }
        }
    }
    if !pod_bad && names.is_empty() {
        return None;
    }
    let types = sorted_set(types);
    let mut what = Vec::new();
    if !types.is_empty() {
        what.push(format!(
            "{} {}",
            pluralize("type", "types", types.len()),
            join_quote(types)
        ));
    }
    if user {
        what.push("user may not be set".to_string());
    }
    if role {
        what.push("role may not be set".to_string());
    }
    Some(Failure {
        reason: "seLinuxOptions",
        detail: format!(
            "{} set forbidden securityContext.seLinuxOptions: {}",
            setters(pod_bad, &names),
            what.join("; ")
        ),
        locations,
    })
}

//! `allowPrivilegeEscalation` (restricted, v1.8+; Windows pods pass from v1.25): every container
//! must set `allowPrivilegeEscalation: false`.

use rampart_model::{Category, RuleMeta, Severity};

use super::{at, REFERENCES};
use crate::check::{CheckDef, Failure};
use crate::format::containers;
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2013",
    name: "pss-allow-privilege-escalation",
    title: "Privilege escalation must be disabled (PSS restricted: allowPrivilegeEscalation)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1548"],
    what: "Reports containers that do not set `securityContext.allowPrivilegeEscalation: false`, as the Pod Security Standards restricted check `allowPrivilegeEscalation` (policy v1.8+) does. There is no pod-level field. Windows pods pass from v1.25.",
    why: "Without `no_new_privs` a process can gain privileges through setuid binaries or file capabilities inside the image.",
    fix: "Set `securityContext.allowPrivilegeEscalation: false` on every container, init container and ephemeral container.",
    example: "spec:\n  containers:\n  - name: app\n    image: nginx",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "allowPrivilegeEscalation",
    level: Level::Restricted,
    variants: &[(8, v1_8), (25, v1_25)],
    overrides: None,
    meta: &META,
};

fn v1_25(pod: &Pod<'_>) -> Option<Failure> {
    if pod.is_windows() {
        return None;
    }
    v1_8(pod)
}

fn v1_8(pod: &Pod<'_>) -> Option<Failure> {
    let bad: Vec<_> = pod
        .containers
        .iter()
        .filter(|c| {
            c.security_context
                .as_ref()
                .and_then(|s| s.allow_privilege_escalation)
                != Some(false)
        })
        .collect();
    if bad.is_empty() {
        return None;
    }
    let names: Vec<&str> = bad.iter().map(|c| c.name).collect();
    Some(Failure {
        reason: "allowPrivilegeEscalation != false",
        detail: format!(
            "{} must set securityContext.allowPrivilegeEscalation=false",
            containers(&names)
        ),
        locations: bad
            .iter()
            .map(|c| at(c, &["securityContext", "allowPrivilegeEscalation"]))
            .collect(),
    })
}

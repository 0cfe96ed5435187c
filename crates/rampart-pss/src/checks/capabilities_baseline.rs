//! `capabilities_baseline` (baseline, v1.0+; replaced by `capabilities_restricted` under
//! restricted from v1.22): only the container runtime's default capabilities may be added.

use rampart_model::{Category, RuleMeta, Severity};

use super::{at, REFERENCES};
use crate::check::{CheckDef, Failure};
use crate::format::{containers, join_quote, sorted_set};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2005",
    name: "pss-capabilities-baseline",
    title: "Non-default capabilities are forbidden (PSS baseline: capabilities_baseline)",
    severity: Severity::High,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports containers whose `securityContext.capabilities.add` names a capability outside the runtime's default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT), as the Pod Security Standards baseline check `capabilities_baseline` does. Names are compared exactly: `CAP_CHOWN` and `chown` are not allowed.",
    why: "Capabilities such as SYS_ADMIN, NET_ADMIN or SYS_PTRACE give a container most of root's power over the node's kernel.",
    fix: "Remove the extra capabilities from `capabilities.add`; drop `ALL` and add back only what the process needs.",
    example: "spec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      capabilities:\n        add: [SYS_ADMIN]",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "capabilities_baseline",
    level: Level::Baseline,
    variants: &[(0, v1_0)],
    overrides: None,
    meta: &META,
};

const ALLOWED: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    let mut names = Vec::new();
    let mut caps = Vec::new();
    let mut locations = Vec::new();
    for c in &pod.containers {
        let Some(cs) = c.security_context.as_ref().and_then(|s| s.capabilities) else {
            continue;
        };
        let before = caps.len();
        caps.extend(cs.add().filter(|a| !ALLOWED.contains(a)));
        if caps.len() > before {
            names.push(c.name);
            locations.push(at(c, &["securityContext", "capabilities", "add"]));
        }
    }
    if names.is_empty() {
        return None;
    }
    Some(Failure {
        reason: "non-default capabilities",
        detail: format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers(&names),
            join_quote(sorted_set(caps))
        ),
        locations,
    })
}

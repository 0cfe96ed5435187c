//! `capabilities_restricted` (restricted, v1.22+; Windows pods pass from v1.25; replaces
//! `capabilities_baseline`): drop `ALL`, add back at most `NET_BIND_SERVICE`.

use rampart_model::{Category, RuleMeta, Severity};

use super::{at, REFERENCES};
use crate::check::{CheckDef, CheckId, Failure};
use crate::format::{containers, join_quote, sorted_set};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2014",
    name: "pss-capabilities-restricted",
    title: "Capabilities must be dropped (PSS restricted: capabilities_restricted)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports containers that do not drop `ALL` capabilities, or that add anything other than `NET_BIND_SERVICE`, as the Pod Security Standards restricted check `capabilities_restricted` (policy v1.22+) does. Windows pods pass from v1.25.",
    why: "The runtime's default capability set still includes capabilities (NET_RAW, SETUID, …) that help an attacker; dropping all is the least-privilege baseline.",
    fix: "Set `securityContext.capabilities.drop: [\"ALL\"]` on every container and add back only `NET_BIND_SERVICE` if needed.",
    example: "spec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      capabilities:\n        drop: [NET_RAW]",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "capabilities_restricted",
    level: Level::Restricted,
    variants: &[(22, v1_22), (25, v1_25)],
    overrides: Some((CheckId::CapabilitiesBaseline, 22)),
    meta: &META,
};

fn v1_25(pod: &Pod<'_>) -> Option<Failure> {
    if pod.is_windows() {
        return None;
    }
    v1_22(pod)
}

fn v1_22(pod: &Pod<'_>) -> Option<Failure> {
    let mut missing_drop = Vec::new();
    let mut adding = Vec::new();
    let mut caps = Vec::new();
    let mut locations = Vec::new();
    for c in &pod.containers {
        let Some(cs) = c.security_context.as_ref().and_then(|s| s.capabilities) else {
            missing_drop.push(c.name);
            locations.push(at(c, &["securityContext", "capabilities", "drop"]));
            continue;
        };
        if !cs.drop().any(|d| d == "ALL") {
            missing_drop.push(c.name);
            locations.push(at(c, &["securityContext", "capabilities", "drop"]));
        }
        let before = caps.len();
        caps.extend(cs.add().filter(|a| *a != "NET_BIND_SERVICE"));
        if caps.len() > before {
            adding.push(c.name);
            locations.push(at(c, &["securityContext", "capabilities", "add"]));
        }
    }
    let mut details = Vec::new();
    if !missing_drop.is_empty() {
        details.push(format!(
            "{} must set securityContext.capabilities.drop=[\"ALL\"]",
            containers(&missing_drop)
        ));
    }
    if !adding.is_empty() {
        details.push(format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers(&adding),
            join_quote(sorted_set(caps))
        ));
    }
    if details.is_empty() {
        return None;
    }
    Some(Failure {
        reason: "unrestricted capabilities",
        detail: details.join("; "),
        locations,
    })
}

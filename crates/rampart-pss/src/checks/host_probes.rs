//! `hostProbesAndHostLifecycle` (baseline, v1.34+): probes and lifecycle handlers may not
//! target another host.

use rampart_model::{Category, RuleMeta, Severity};

use super::REFERENCES;
use crate::check::{CheckDef, Failure, Location};
use crate::format::{join_quote, pluralize, sorted_set};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2012",
    name: "pss-host-probes-and-lifecycle",
    title: "Probe and lifecycle hosts are forbidden (PSS baseline: hostProbesAndHostLifecycle)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1090"],
    what: "Reports `httpGet.host` and `tcpSocket.host` in liveness, readiness and startup probes and in `lifecycle.postStart`/`preStop` handlers, whatever the value, as the Pod Security Standards baseline check `hostProbesAndHostLifecycle` (policy v1.34+) does.",
    why: "The kubelet performs probes and handlers from the node: a custom host turns them into a way to make the node send requests to arbitrary addresses.",
    fix: "Remove `host` so the probe targets the pod's own IP.",
    example: "spec:\n  containers:\n  - name: app\n    image: nginx\n    livenessProbe:\n      httpGet:\n        host: 10.0.0.1\n        port: 80",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "hostProbesAndHostLifecycle",
    level: Level::Baseline,
    variants: &[(34, v1_34)],
    overrides: None,
    meta: &META,
};

fn v1_34(pod: &Pod<'_>) -> Option<Failure> {
    let mut names = Vec::new();
    let mut hosts = Vec::new();
    let mut locations = Vec::new();
    for c in pod.containers.iter().filter(|c| !c.hosts.is_empty()) {
        names.push(c.name);
        for (field, host) in &c.hosts {
            hosts.push(*host);
            locations.push(Location::ProbeHost {
                kind: c.kind,
                index: c.index,
                field: *field,
            });
        }
    }
    if names.is_empty() {
        return None;
    }
    // Unlike every other check, upstream keeps the containers in a sorted set here.
    let names = sorted_set(names);
    let hosts = sorted_set(hosts);
    Some(Failure {
        reason: "probe or lifecycle host",
        detail: format!(
            "{} {} {} {} {}",
            pluralize("container", "containers", names.len()),
            join_quote(names.iter().copied()),
            pluralize("uses", "use", names.len()),
            pluralize(
                "probe or lifecycle host",
                "probe or lifecycle hosts",
                hosts.len()
            ),
            join_quote(hosts)
        ),
        locations,
    })
}

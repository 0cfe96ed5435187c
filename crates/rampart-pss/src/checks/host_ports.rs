//! `hostPorts` (baseline, v1.0+): no container port may bind a host port.

use rampart_model::{Category, RuleMeta, Severity};

use super::REFERENCES;
use crate::check::{CheckDef, Failure, Location};
use crate::format::{containers, pluralize};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2004",
    name: "pss-host-ports",
    title: "Host ports are forbidden (PSS baseline: hostPorts)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &[],
    what: "Reports container ports with a non-zero `hostPort`, as the Pod Security Standards baseline check `hostPorts` does. Pods on the host network get `hostPort` defaulted from `containerPort`, so they are reported too.",
    why: "A host port binds directly on the node's interfaces, bypassing Services and NetworkPolicy and colliding with node services.",
    fix: "Remove `hostPort` and expose the port through a Service (NodePort or LoadBalancer if it must be reachable from outside).",
    example: "spec:\n  containers:\n  - name: app\n    image: nginx\n    ports:\n    - containerPort: 80\n      hostPort: 80",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "hostPorts",
    level: Level::Baseline,
    variants: &[(0, v1_0)],
    overrides: None,
    meta: &META,
};

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    let mut names = Vec::new();
    let mut ports: Vec<String> = Vec::new();
    let mut locations = Vec::new();
    for c in pod.containers.iter().filter(|c| !c.host_ports.is_empty()) {
        names.push(c.name);
        for &(i, port) in &c.host_ports {
            ports.push(port.to_string());
            locations.push(Location::HostPort {
                kind: c.kind,
                index: c.index,
                port: i,
            });
        }
    }
    if names.is_empty() {
        return None;
    }
    // Upstream keeps the ports in a string set: de-duplicated and sorted as strings.
    ports.sort_unstable();
    ports.dedup();
    Some(Failure {
        reason: "hostPort",
        detail: format!(
            "{} {} {} {}",
            containers(&names),
            pluralize("uses", "use", names.len()),
            pluralize("hostPort", "hostPorts", ports.len()),
            ports.join(", ")
        ),
        locations,
    })
}

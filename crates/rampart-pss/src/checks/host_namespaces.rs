//! `hostNamespaces` (baseline, v1.0+): no sharing of the host's network, PID or IPC namespace.

use rampart_model::{Category, RuleMeta, Severity};

use super::REFERENCES;
use crate::check::{CheckDef, Failure, Location};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2002",
    name: "pss-host-namespaces",
    title: "Host namespaces are forbidden (PSS baseline: hostNamespaces)",
    severity: Severity::High,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports pods that set `hostNetwork`, `hostPID` or `hostIPC` to `true`, as the Pod Security Standards baseline check `hostNamespaces` does.",
    why: "Sharing the host's namespaces lets a container see and signal host processes, sniff host traffic and reach services bound to the node's loopback.",
    fix: "Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to `false`); expose ports through a Service instead.",
    example: "spec:\n  hostPID: true\n  containers:\n  - name: app\n    image: nginx",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "hostNamespaces",
    level: Level::Baseline,
    variants: &[(0, v1_0)],
    overrides: None,
    meta: &META,
};

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    let mut parts = Vec::new();
    let mut locations = Vec::new();
    for (set, text, field) in [
        (pod.host_network, "hostNetwork=true", &["hostNetwork"]),
        (pod.host_pid, "hostPID=true", &["hostPID"]),
        (pod.host_ipc, "hostIPC=true", &["hostIPC"]),
    ] {
        if set {
            parts.push(text);
            locations.push(Location::Spec(field));
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(Failure {
        reason: "host namespaces",
        detail: parts.join(", "),
        locations,
    })
}

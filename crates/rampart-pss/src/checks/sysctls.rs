//! `sysctls` (baseline, v1.0+; the safe list grows at v1.27, v1.29, v1.32 and v1.37).

use rampart_model::{Category, RuleMeta, Severity};

use super::REFERENCES;
use crate::check::{CheckDef, Failure, Location};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP2010",
    name: "pss-sysctls",
    title: "Unsafe sysctls are forbidden (PSS baseline: sysctls)",
    severity: Severity::Medium,
    category: Category::Pss,
    mitre: &["T1611"],
    what: "Reports pod-level `securityContext.sysctls` whose name is not on the safe list of the evaluated policy version, as the Pod Security Standards baseline check `sysctls` does.",
    why: "Sysctls outside the namespaced safe set change kernel behaviour for the whole node or let one pod starve others.",
    fix: "Remove the sysctl, or set it on the node instead of in the pod.",
    example: "spec:\n  securityContext:\n    sysctls:\n    - name: kernel.msgmax\n      value: \"65536\"",
    references: REFERENCES,
};

pub(crate) static DEF: CheckDef = CheckDef {
    id: "sysctls",
    level: Level::Baseline,
    variants: &[
        (0, v1_0),
        (27, v1_27),
        (29, v1_29),
        (32, v1_32),
        (37, v1_37),
    ],
    overrides: None,
    meta: &META,
};

/// The safe list, in the order names were added; a version allows a prefix of it.
const SAFE: [&str; 14] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    // v1.27
    "net.ipv4.ip_local_reserved_ports",
    // v1.29
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    // v1.32
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    // v1.37
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
];

fn v1_0(pod: &Pod<'_>) -> Option<Failure> {
    check(pod, 5)
}
fn v1_27(pod: &Pod<'_>) -> Option<Failure> {
    check(pod, 6)
}
fn v1_29(pod: &Pod<'_>) -> Option<Failure> {
    check(pod, 10)
}
fn v1_32(pod: &Pod<'_>) -> Option<Failure> {
    check(pod, 12)
}
fn v1_37(pod: &Pod<'_>) -> Option<Failure> {
    check(pod, 14)
}

fn check(pod: &Pod<'_>, allowed: usize) -> Option<Failure> {
    let safe = &SAFE[..allowed];
    let bad: Vec<_> = pod
        .sysctls
        .iter()
        .filter(|(_, name)| !safe.contains(name))
        .collect();
    if bad.is_empty() {
        return None;
    }
    Some(Failure {
        reason: "forbidden sysctls",
        detail: bad.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", "),
        locations: bad.iter().map(|(i, _)| Location::Sysctl(*i)).collect(),
    })
}

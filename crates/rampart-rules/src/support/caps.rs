//! Linux capabilities as written in `securityContext.capabilities`.

use rampart_model::RuleMeta;
use serde_json::Value;

use crate::rule_context::{Container, RuleContext, Sink};

/// Capabilities a container runtime grants by default and that Pod Security `baseline` allows.
pub const DEFAULT_SET: &[&str] = &[
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

/// Capabilities that have a rule of their own.
pub const OWN_RULE: &[&str] = &[
    "SYS_ADMIN",
    "ALL",
    "NET_RAW",
    "NET_ADMIN",
    "SYS_PTRACE",
    "SYS_MODULE",
];

/// Other capabilities known to break container isolation or read what they should not.
pub const DANGEROUS: &[&str] = &[
    "DAC_READ_SEARCH",
    "BPF",
    "PERFMON",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "SYS_RESOURCE",
    "SYS_PACCT",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "SYSLOG",
    "AUDIT_CONTROL",
    "LINUX_IMMUTABLE",
    "CHECKPOINT_RESTORE",
    "IPC_OWNER",
];

/// Runtimes accept `CAP_SYS_ADMIN` and lower case alike, so compare on `SYS_ADMIN`.
pub fn normalize(name: &str) -> String {
    let up = name.trim().to_ascii_uppercase();
    match up.strip_prefix("CAP_") {
        Some(rest) => rest.to_string(),
        None => up,
    }
}

/// The entries of `capabilities.<list>` (`add` or `drop`) with their index.
pub fn list<'a>(c: &Container<'a>, which: &str) -> impl Iterator<Item = (usize, &'a str)> {
    c.sc.capabilities
        .get(which)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, v)| v.as_str().map(|s| (i, s)))
}

/// Reports every added capability whose normalized name satisfies `pick`.
pub fn report_added(
    ctx: &RuleContext<'_>,
    out: &mut Sink<'_>,
    rule: &'static RuleMeta,
    pick: impl Fn(&str) -> bool,
) {
    let Some(pod) = &ctx.pod else { return };
    for c in &pod.containers {
        for (i, raw) in list(c, "add") {
            if pick(&normalize(raw)) {
                let path = c.sc.path_to(&c.sc.capabilities, &["add"]).index(i);
                let msg = format!("{} adds capability {raw}", c.label());
                out.report_in(rule, c, msg, path);
            }
        }
    }
}

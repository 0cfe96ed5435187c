//! RMP1015 `non-default-capability`: the container adds a capability outside the default set.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::caps;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1015",
    name: "non-default-capability",
    title: "Container adds a non-default capability",
    severity: Severity::Low,
    category: Category::Workload,
    mitre: &["T1068"],
    what: "Reports added capabilities that are neither in the runtime's default set (the Pod \
           Security `baseline` list: `AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, \
           `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`, \
           `SYS_CHROOT`) nor reported by a more specific rule — for example `IPC_LOCK`, \
           `SYS_NICE`, `WAKE_ALARM` or a misspelt name.",
    why: "Every extra capability widens the kernel surface a compromised process can reach, and \
          any of them makes the pod fail Pod Security `baseline`, so it will be rejected by \
          namespaces that enforce it.",
    fix: "Remove the capability, or document why the workload needs it and exempt it with \
          `# rampart:ignore RMP1015 <reason>`.",
    example: "\
spec:
  containers:
  - name: db
    image: registry.example/db:15.2
    securityContext:
      capabilities:
        add: [IPC_LOCK]
",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        "https://man7.org/linux/man-pages/man7/capabilities.7.html",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    caps::report_added(ctx, out, &META, |c| {
        !caps::DEFAULT_SET.contains(&c)
            && !caps::OWN_RULE.contains(&c)
            && !caps::DANGEROUS.contains(&c)
    });
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn default_and_specifically_ruled_capabilities_are_not_repeated() {
        let y = pod("containers:\n- name: a\n  image: x\n  securityContext:\n    capabilities:\n      add: [CHOWN, SYS_ADMIN, BPF]\n- name: b\n  image: x\n  securityContext:\n    capabilities:\n      add: [IPC_LOCK]\n");
        assert_eq!(lines(&META, &y), vec![16]);
    }
}

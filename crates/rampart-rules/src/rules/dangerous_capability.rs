//! RMP1014 `dangerous-capability`: the container adds a capability that breaks isolation.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::caps;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1014",
    name: "dangerous-capability",
    title: "Container adds a dangerous capability",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1611", "T1068"],
    what: "Reports added capabilities known to weaken isolation that have no rule of their own: \
           `DAC_READ_SEARCH`, `BPF`, `PERFMON`, `SYS_RAWIO`, `SYS_BOOT`, `SYS_TIME`, \
           `SYS_RESOURCE`, `SYS_PACCT`, `MAC_ADMIN`, `MAC_OVERRIDE`, `SYSLOG`, `AUDIT_CONTROL`, \
           `LINUX_IMMUTABLE`, `CHECKPOINT_RESTORE`, `IPC_OWNER`.",
    why: "`DAC_READ_SEARCH` enabled the \"shocker\" escape (open any host file by handle); `BPF` \
          and `PERFMON` load kernel programs and read kernel memory; `SYS_RAWIO` reaches raw \
          devices; `MAC_ADMIN`/`MAC_OVERRIDE` disable AppArmor/SELinux; `SYS_TIME` and \
          `SYS_BOOT` act on the whole node.",
    fix: "Remove the capability. If an agent truly needs it, run it in a dedicated, reviewed \
          namespace and node pool.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    securityContext:
      capabilities:
        add: [DAC_READ_SEARCH, BPF]
",
    references: &[
        "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        "https://medium.com/@fun_cuddles/docker-breakout-exploit-analysis-a274fff0e6b3",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    caps::report_added(ctx, out, &META, |c| caps::DANGEROUS.contains(&c));
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_on_each_dangerous_entry_only() {
        let y = pod("containers:\n- name: a\n  image: x\n  securityContext:\n    capabilities:\n      add:\n      - DAC_READ_SEARCH\n      - SYS_ADMIN\n      - bpf\n");
        assert_eq!(lines(&META, &y), vec![12, 14]);
    }
}

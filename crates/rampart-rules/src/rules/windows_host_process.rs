//! RMP1051 `windows-host-process`: a Windows container runs as a host process.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1051",
    name: "windows-host-process",
    title: "Windows HostProcess container",
    severity: Severity::Critical,
    category: Category::Workload,
    mitre: &["T1611"],
    what: "Reports containers whose effective `windowsOptions.hostProcess` is `true` (the \
           container field, else the pod field: Windows options merge field by field).",
    why: "A HostProcess container is a process on the Windows node itself, with the host's \
          network, file system and, typically, SYSTEM rights: no container boundary at all.",
    fix: "Remove `hostProcess: true`. Node-management tools that need it belong in a \
          dedicated, reviewed namespace.",
    example: "\
spec:
  securityContext:
    windowsOptions:
      hostProcess: true
      runAsUserName: \"NT AUTHORITY\\\\SYSTEM\"
  hostNetwork: true
  containers:
  - name: agent
    image: registry.example/win-agent:1.0
",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for c in &pod.containers {
        let s = &c.sc.windows_host_process;
        if s.as_bool() == Some(true) {
            let msg = format!(
                "{} runs as a Windows HostProcess{}",
                c.label(),
                s.source_note()
            );
            out.report_in(&META, c, msg, c.sc.path(s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn container_false_overrides_pod_true() {
        let y = pod("securityContext:\n  windowsOptions:\n    hostProcess: true\ncontainers:\n- name: a\n  image: x\n  securityContext:\n    windowsOptions:\n      hostProcess: false\n- name: b\n  image: x\n  securityContext:\n    windowsOptions:\n      runAsUserName: x\n");
        assert_eq!(lines(&META, &y), vec![8]);
    }
}

//! RMP1006 `allow-privilege-escalation`: setuid binaries can raise the process's privileges.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1006",
    name: "allow-privilege-escalation",
    title: "allowPrivilegeEscalation is not false",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1548.001", "T1068"],
    what: "Reports containers that do not set `securityContext.allowPrivilegeEscalation: false` \
           (absent means `true`). There is no pod-level field. Windows pods are skipped.",
    why: "Unless the flag is false the kernel's `no_new_privs` bit stays off, so a setuid binary \
          or file capability in the image lets a compromised process become root inside the \
          container — the first step of most escapes.",
    fix: "Set `allowPrivilegeEscalation: false` on every container (it cannot be combined with \
          `privileged: true` or an added `SYS_ADMIN`, which imply escalation).",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    securityContext:
      allowPrivilegeEscalation: true
",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        "https://www.kernel.org/doc/html/latest/userspace-api/no_new_privs.html",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    if pod.windows {
        return;
    }
    for c in &pod.containers {
        let s = &c.sc.allow_privilege_escalation;
        let msg = match s.as_bool() {
            Some(false) => continue,
            Some(true) => format!("{} sets allowPrivilegeEscalation: true", c.label()),
            None => format!(
                "{} does not set allowPrivilegeEscalation: false (it defaults to true)",
                c.label()
            ),
        };
        out.report_in(&META, c, msg, c.sc.path(s));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn every_container_kind_must_set_false() {
        let y = pod("initContainers:\n- name: i\n  image: x\ncontainers:\n- name: a\n  image: x\n  securityContext:\n    allowPrivilegeEscalation: false\nephemeralContainers:\n- name: e\n  image: x\n  securityContext:\n    allowPrivilegeEscalation: true\n");
        assert_eq!(lines(&META, &y), vec![7, 18]);
    }
}

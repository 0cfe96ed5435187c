//! RMP1028 `selinux-custom-options`: the container sets a custom SELinux type, user or role.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1028",
    name: "selinux-custom-options",
    title: "SELinux options set a custom type, user or role",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1562.001", "T1611"],
    what: "Reports the effective `seLinuxOptions` of each container (the container's whole \
           struct, else the pod's) when `type` is not one of `container_t`, `container_init_t`, \
           `container_kvm_t`, `container_engine_t`, or when `user` or `role` is set. `level` is \
           not reported.",
    why: "SELinux confines containers to the `container_t` domain. Types such as `spc_t` \
          (super-privileged container) or `unconfined_t`, or a custom user or role, lift that \
          confinement and give the process access to host files and devices.",
    fix: "Remove `type`, `user` and `role` from `seLinuxOptions` (keep `level` for MCS \
          separation if you need it).",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    securityContext:
      seLinuxOptions:
        type: spc_t
",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    ],
};

const ALLOWED_TYPES: &[&str] = &[
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for c in &pod.containers {
        let s = &c.sc.se_linux_options;
        for key in ["type", "user", "role"] {
            let Some(v) = s.get(key).and_then(Value::as_str).filter(|v| !v.is_empty()) else {
                continue;
            };
            if key == "type" && ALLOWED_TYPES.contains(&v) {
                continue;
            }
            let msg = format!("{} sets SELinux {key} {v}{}", c.label(), s.source_note());
            out.report_in(&META, c, msg, c.sc.path_to(s, &[key]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn container_struct_replaces_pod_struct() {
        let y = pod("securityContext:\n  seLinuxOptions:\n    type: spc_t\n    user: system_u\ncontainers:\n- name: a\n  image: x\n  securityContext:\n    seLinuxOptions:\n      level: s0:c1\n- name: b\n  image: x\n  securityContext:\n    seLinuxOptions:\n      type: container_t\n      role: sysadm_r\n");
        assert_eq!(lines(&META, &y), vec![21]);
        let y = pod("securityContext:\n  seLinuxOptions:\n    type: spc_t\n    user: system_u\ncontainers:\n- name: a\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![8, 9]);
    }
}

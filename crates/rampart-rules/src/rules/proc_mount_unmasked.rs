//! RMP1029 `proc-mount-unmasked`: the container sees an unmasked `/proc`.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1029",
    name: "proc-mount-unmasked",
    title: "procMount is Unmasked",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1611"],
    what: "Reports containers whose `securityContext.procMount` is set to anything but \
           `Default` (normally `Unmasked`). Pods in a user namespace (`hostUsers: false`) are \
           exempt, as Pod Security exempts them.",
    why: "The runtime masks and makes read-only parts of `/proc` (`/proc/sys`, `/proc/kcore`, \
          `/proc/sysrq-trigger`...) that leak kernel memory or change node-wide settings. \
          `Unmasked` removes that protection for a container that shares the node's user IDs.",
    fix: "Remove `procMount` (or set `Default`). Nested container runtimes that need it should \
          run in a user namespace (`hostUsers: false`).",
    example: "\
spec:
  containers:
  - name: builder
    image: registry.example/builder:1.0
    securityContext:
      procMount: Unmasked
",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    if pod.user_namespace {
        return;
    }
    for c in &pod.containers {
        let s = &c.sc.proc_mount;
        if let Some(v) = s.as_str().filter(|v| *v != "Default") {
            let msg = format!("{} sets procMount: {v}", c.label());
            out.report_in(&META, c, msg, c.sc.path(s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_outside_user_namespaces() {
        let spec =
            "containers:\n- name: a\n  image: x\n  securityContext:\n    procMount: Unmasked\n";
        assert_eq!(lines(&META, &pod(spec)), vec![10]);
        assert!(lines(&META, &pod(&format!("hostUsers: false\n{spec}"))).is_empty());
    }
}

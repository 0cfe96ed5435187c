//! RMP1005 `writable-root-filesystem`: the container can write to its image file system.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1005",
    name: "writable-root-filesystem",
    title: "Root file system is writable (readOnlyRootFilesystem not true)",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1105", "T1525"],
    what: "Reports containers that do not set `securityContext.readOnlyRootFilesystem: true`. \
           There is no pod-level field. Windows pods are skipped (the field does not apply).",
    why:
        "A writable root file system lets an intruder drop tools, web shells or modified binaries \
          into the container and persist them for its lifetime. A read-only one confines writes \
          to the volumes you declared.",
    fix: "Set `readOnlyRootFilesystem: true` and mount an `emptyDir` where the application must \
          write (for example `/tmp` or a cache directory).",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    securityContext:
      readOnlyRootFilesystem: false
",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        "https://kubernetes.io/docs/concepts/storage/volumes/#emptydir",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    if pod.windows {
        return;
    }
    for c in &pod.containers {
        let s = &c.sc.read_only_root_filesystem;
        if s.as_bool() != Some(true) {
            let msg = format!("{} has a writable root file system", c.label());
            out.report_in(&META, c, msg, c.sc.path(s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_on_false_and_missing() {
        let y = pod("containers:\n- name: a\n  image: x\n  securityContext:\n    readOnlyRootFilesystem: false\n- name: b\n  image: x\n  securityContext:\n    readOnlyRootFilesystem: true\n- name: c\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![10, 15]);
    }

    #[test]
    fn windows_pods_are_skipped() {
        let y = pod("os:\n  name: windows\ncontainers:\n- name: a\n  image: x\n");
        assert!(lines(&META, &y).is_empty());
    }
}

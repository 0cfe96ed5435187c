//! RMP1043 `share-process-namespace`: containers of the pod see each other's processes.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1043",
    name: "share-process-namespace",
    title: "Pod shares one process namespace between containers",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1055", "T1552"],
    what: "Reports pod specs with `shareProcessNamespace: true`.",
    why: "Every container then sees and can signal the others' processes, and reads their \
          environment and files through `/proc/<pid>/root` — a compromised sidecar gets the \
          main container's secrets, and the reverse.",
    fix: "Remove `shareProcessNamespace`, or keep it only for short-lived debugging pods.",
    example: "\
spec:
  shareProcessNamespace: true
  containers:
  - name: app
    image: registry.example/app:1.4.2
  - name: sidecar
    image: registry.example/proxy:2.1
",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/",
        "https://man7.org/linux/man-pages/man7/pid_namespaces.7.html",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    if pod.get("shareProcessNamespace").and_then(Value::as_bool) == Some(true) {
        out.report(
            &META,
            "pod shares one process namespace between its containers",
            pod.path("shareProcessNamespace"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_on_true_only() {
        assert_eq!(
            lines(&META, &pod("shareProcessNamespace: true\ncontainers: []\n")),
            vec![6]
        );
        assert!(lines(
            &META,
            &pod("shareProcessNamespace: false\ncontainers: []\n")
        )
        .is_empty());
    }
}

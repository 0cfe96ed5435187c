//! RMP1041 `liveness-probe-missing`: a long-running container has no liveness probe.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::resources;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1041",
    name: "liveness-probe-missing",
    title: "Container has no liveness probe",
    severity: Severity::Low,
    category: Category::Workload,
    mitre: &["T1499"],
    what: "Reports regular containers of long-running pods without `livenessProbe`. Init and \
           ephemeral containers, Jobs, CronJobs and pods whose `restartPolicy` is not `Always` \
           are skipped.",
    why: "Without a liveness probe a deadlocked or exhausted process keeps its pod Running and \
          serving errors until someone notices; a probe lets the kubelet restart it, which also \
          limits how long a resource-exhaustion attack lasts.",
    fix: "Add a `livenessProbe` (HTTP, TCP, gRPC or exec) that fails only when the process cannot \
          recover by itself.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    readinessProbe:
      httpGet: {path: /ready, port: 8080}
",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
        "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    resources::report_missing_probe(ctx, out, &META, "livenessProbe");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn regular_containers_of_restarting_pods_only() {
        let y = pod("initContainers:\n- name: i\n  image: x\ncontainers:\n- name: a\n  image: x\n");
        assert_eq!(lines(&META, &y), vec![10]);
        let y = pod("restartPolicy: Never\ncontainers:\n- name: a\n  image: x\n");
        assert!(lines(&META, &y).is_empty());
    }
}

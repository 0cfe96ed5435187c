//! RMP1042 `readiness-probe-missing`: a long-running container has no readiness probe.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::resources;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1042",
    name: "readiness-probe-missing",
    title: "Container has no readiness probe",
    severity: Severity::Low,
    category: Category::Workload,
    mitre: &["T1499"],
    what: "Reports regular containers of long-running pods without `readinessProbe`. Init and \
           ephemeral containers, Jobs, CronJobs and pods whose `restartPolicy` is not `Always` \
           are skipped.",
    why: "Without a readiness probe a Service sends traffic to the pod as soon as it starts and \
          keeps sending it while the process is overloaded, turning a slow start or a partial \
          failure into user-facing errors.",
    fix: "Add a `readinessProbe` that succeeds only when the container can serve requests.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    livenessProbe:
      httpGet: {path: /healthz, port: 8080}
",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
        "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    resources::report_missing_probe(ctx, out, &META, "readinessProbe");
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::lines;

    #[test]
    fn jobs_are_not_long_running() {
        let job = "kind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n";
        assert!(lines(&META, job).is_empty());
        let dep = job.replace("kind: Job", "kind: Deployment");
        assert_eq!(lines(&META, &dep), vec![8]);
    }
}

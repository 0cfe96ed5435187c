//! RMP1040 `default-service-account`: the pod runs as its namespace's default service account.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{PodContext, RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1040",
    name: "default-service-account",
    title: "Pod uses the default service account",
    severity: Severity::Low,
    category: Category::Workload,
    mitre: &["T1078.001", "T1528"],
    what: "Reports pod specs whose `serviceAccountName` (or the deprecated `serviceAccount`) is \
           absent, empty or `default`.",
    why: "Every pod of the namespace shares the `default` account. Rights granted to it for one \
          workload leak to all others, and audit logs cannot tell the workloads apart.",
    fix: "Create a ServiceAccount per workload, grant it only what it needs, and set \
          `serviceAccountName`.",
    example: "\
spec:
  serviceAccountName: default
  containers:
  - name: app
    image: registry.example/app:1.4.2
",
    references: &[
        "https://kubernetes.io/docs/concepts/security/service-accounts/",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
    ],
};

/// The service account a pod spec names, if any.
pub fn service_account<'a>(pod: &PodContext<'a>) -> Option<&'a str> {
    ["serviceAccountName", "serviceAccount"]
        .into_iter()
        .find_map(|k| pod.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()))
}

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    match service_account(pod) {
        Some("default") => {
            let key = if pod.get("serviceAccountName").is_some() {
                "serviceAccountName"
            } else {
                "serviceAccount"
            };
            out.report(&META, "pod uses the default service account", pod.path(key));
        }
        Some(_) => {}
        None => out.report(
            &META,
            "pod sets no serviceAccountName and runs as the default service account",
            pod.path("serviceAccountName"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn absent_or_default_fires() {
        assert_eq!(
            lines(&META, &pod("containers: []\nserviceAccountName: default\n")),
            vec![7]
        );
        assert_eq!(lines(&META, &pod("containers: []\n")), vec![5]);
        assert!(lines(&META, &pod("serviceAccount: web\ncontainers: []\n")).is_empty());
    }
}

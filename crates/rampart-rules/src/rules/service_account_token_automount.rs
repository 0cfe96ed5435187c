//! RMP1039 `service-account-token-automount`: the pod gets an API token it may not need.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1039",
    name: "service-account-token-automount",
    title: "Service account token is automounted",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1528", "T1552.007"],
    what: "Reports pod specs whose effective `automountServiceAccountToken` is not `false`: the \
           pod field when set, else the field of the pod's ServiceAccount when that object is \
           among the scanned inputs in the same directory and namespace, else the default (`true`).",
    why: "Every container then has a Kubernetes API token at \
          `/var/run/secrets/kubernetes.io/serviceaccount/token`. An intruder in the container \
          uses it to query or change the cluster with the service account's rights — most \
          applications never call the API.",
    fix: "Set `automountServiceAccountToken: false` on the pod spec (or on its ServiceAccount); \
          mount a projected token only into pods that call the API.",
    example: "\
spec:
  automountServiceAccountToken: true
  containers:
  - name: app
    image: registry.example/app:1.4.2
",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
        "https://kubernetes.io/docs/concepts/security/service-accounts/",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    let msg = match pod
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
    {
        Some(false) => return,
        Some(true) => "pod sets automountServiceAccountToken: true".to_string(),
        None => {
            let sa = super::default_service_account::service_account(pod).unwrap_or("default");
            if ctx.index.sa_automount(ctx.object, sa) == Some(false) {
                return;
            }
            format!("pod does not set automountServiceAccountToken: false; it gets a token of service account \"{sa}\"")
        }
    };
    out.report(&META, msg, pod.path("automountServiceAccountToken"));
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn pod_field_wins_then_service_account() {
        assert!(lines(
            &META,
            &pod("automountServiceAccountToken: false\ncontainers: []\n")
        )
        .is_empty());
        assert_eq!(lines(&META, &pod("containers: []\n")), vec![5]);
        let sa = "kind: ServiceAccount\nmetadata:\n  name: app\nautomountServiceAccountToken: false\n---\n";
        let y = format!("{sa}{}", pod("serviceAccountName: app\ncontainers: []\n"));
        assert!(lines(&META, &y).is_empty());
        let y = format!(
            "{sa}{}",
            pod("serviceAccountName: app\nautomountServiceAccountToken: true\ncontainers: []\n")
        );
        assert_eq!(lines(&META, &y), vec![12]);
    }
}

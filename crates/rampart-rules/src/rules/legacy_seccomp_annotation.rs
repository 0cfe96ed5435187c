//! RMP1053 `legacy-seccomp-annotation`: a seccomp annotation that Kubernetes no longer honours.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1053",
    name: "legacy-seccomp-annotation",
    title: "Seccomp set only by a legacy annotation",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1562.001"],
    what: "Reports pod annotations `seccomp.security.alpha.kubernetes.io/pod` and \
           `container.seccomp.security.alpha.kubernetes.io/<container>` when the matching \
           `seccompProfile` field is not set (the pod field for the former; the container's \
           effective profile for the latter).",
    why: "The annotations were deprecated in Kubernetes 1.19; the kubelet stopped reading them in \
          1.25 and the API server stopped copying them into the fields in 1.27. A manifest that \
          relies on them looks confined but runs without seccomp.",
    fix: "Replace the annotation with `securityContext.seccompProfile` (`type: RuntimeDefault`, \
          or `Localhost` with `localhostProfile`).",
    example: "\
metadata:
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: runtime/default
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
",
    references: &[
        "https://kubernetes.io/docs/tutorials/security/seccomp/",
        "https://kubernetes.io/docs/reference/labels-annotations-taints/#seccomp-security-alpha-kubernetes-io-pod",
    ],
};

const POD_KEY: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    let Some(annotations) = pod.spec.meta("annotations").and_then(Value::as_object) else {
        return;
    };
    let pod_field = pod
        .get("securityContext")
        .and_then(|s| s.get("seccompProfile"))
        .is_some_and(|v| !v.is_null());
    for key in annotations.keys() {
        let superseded = if key == POD_KEY {
            pod_field
        } else if let Some(name) = key.strip_prefix(CONTAINER_PREFIX) {
            pod.containers
                .iter()
                .filter(|c| c.name == name)
                .all(|c| c.sc.seccomp_profile.is_set())
        } else {
            continue;
        };
        if !superseded {
            let msg = format!("annotation {key} is ignored by current Kubernetes; set securityContext.seccompProfile");
            out.report(&META, msg, pod.annotation_path(key));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::lines;

    #[test]
    fn annotations_without_fields() {
        let y = "kind: Pod\nmetadata:\n  name: p\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n    container.seccomp.security.alpha.kubernetes.io/a: runtime/default\nspec:\n  containers:\n  - name: a\n    image: x\n    securityContext:\n      seccompProfile:\n        type: RuntimeDefault\n";
        assert_eq!(lines(&META, y), vec![5]);
    }
}

//! RMP1038 `mutable-image-pull-policy`: a floating image is not always pulled.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};
use crate::support::image;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1038",
    name: "mutable-image-pull-policy",
    title: "Floating image with imagePullPolicy other than Always",
    severity: Severity::Low,
    category: Category::Workload,
    mitre: &["T1525"],
    what: "Reports containers whose image is `latest` or untagged (and has no digest) while \
           `imagePullPolicy` is explicitly `IfNotPresent` or `Never`.",
    why: "With a floating tag and no pull, each node runs whatever it cached: versions drift \
          between nodes, security fixes never arrive, and an image planted in a node's cache is \
          run instead of the registry's. Kubernetes defaults to `Always` for these images; \
          overriding that is a mistake.",
    fix: "Pin the image by tag and digest; or remove `imagePullPolicy` so it defaults to \
          `Always`.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:latest
    imagePullPolicy: IfNotPresent
",
    references: &[
        "https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy",
        "https://kubernetes.io/docs/concepts/containers/images/#imagepullpolicy-defaulting",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for (c, raw, r) in image::images(pod) {
        let policy = c.get("imagePullPolicy").and_then(Value::as_str);
        if r.is_floating() && matches!(policy, Some("IfNotPresent" | "Never")) {
            let msg = format!(
                "{} uses floating image {raw} with imagePullPolicy {}",
                c.label(),
                policy.unwrap_or_default()
            );
            out.report_in(&META, c, msg, c.path.key("imagePullPolicy"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn only_floating_images_with_cached_policies() {
        let y = pod("containers:\n- name: a\n  image: nginx\n  imagePullPolicy: IfNotPresent\n- name: b\n  image: nginx:1.27\n  imagePullPolicy: IfNotPresent\n- name: c\n  image: nginx:latest\n");
        assert_eq!(lines(&META, &y), vec![9]);
    }
}

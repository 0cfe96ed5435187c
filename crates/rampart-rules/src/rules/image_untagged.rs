//! RMP1036 `image-untagged`: the image has neither a tag nor a digest.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::image;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1036",
    name: "image-untagged",
    title: "Image has no tag",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1525", "T1204.003"],
    what: "Reports containers whose `image` has no tag and no digest (`nginx`, \
           `registry:5000/team/app`), which the runtime resolves as `latest`.",
    why: "An untagged image is `latest` in disguise: what runs depends on when each node pulled \
          it, and a push to the repository silently changes production.",
    fix: "Pin a release tag and a digest: `image: registry.example/app:1.4.2@sha256:…`.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app
",
    references: &[
        "https://kubernetes.io/docs/concepts/containers/images/#image-names",
        "https://kubernetes.io/docs/concepts/configuration/overview/#container-images",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for (c, raw, r) in image::images(pod) {
        if r.tag.is_none() && r.digest.is_none() {
            let msg = format!(
                "{} uses image {raw} without a tag (resolved as latest)",
                c.label()
            );
            out.report_in(&META, c, msg, c.path.key("image"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn a_registry_port_is_not_a_tag() {
        let y = pod("containers:\n- name: a\n  image: registry:5000/app\n- name: b\n  image: registry:5000/app:1\n- name: c\n  image: app@sha256:0f\n");
        assert_eq!(lines(&META, &y), vec![8]);
    }
}

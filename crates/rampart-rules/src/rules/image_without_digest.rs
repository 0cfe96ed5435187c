//! RMP1037 `image-without-digest`: a tagged image is not pinned by digest.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::image;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1037",
    name: "image-without-digest",
    title: "Image is not pinned by digest",
    severity: Severity::Low,
    category: Category::Workload,
    mitre: &["T1525", "T1195.002"],
    what: "Reports containers whose `image` has a release tag but no `@sha256:` digest. Images \
           tagged `latest` or untagged are reported by RMP1035 and RMP1036 instead.",
    why: "Tags are mutable: a compromised registry account or CI pipeline can push different \
          content under the same tag, and nodes that pull it later run it. A digest names the \
          exact content and cannot be moved.",
    fix: "Append the digest: `image: registry.example/app:1.4.2@sha256:<digest>` (tools such as \
          `crane digest` or your CI can fill it in).",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
",
    references: &[
        "https://kubernetes.io/docs/concepts/containers/images/#image-names",
        "https://slsa.dev/spec/v1.0/threats",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for (c, raw, r) in image::images(pod) {
        if r.digest.is_none() && r.tag.is_some() && !r.is_latest() {
            let msg = format!("{} uses image {raw} without a digest", c.label());
            out.report_in(&META, c, msg, c.path.key("image"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn tagged_images_need_digests() {
        let y = pod("containers:\n- name: a\n  image: nginx:1.27\n- name: b\n  image: nginx:1.27@sha256:0f\n- name: c\n  image: nginx\n");
        assert_eq!(lines(&META, &y), vec![8]);
    }
}

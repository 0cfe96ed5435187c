//! RMP1035 `image-latest-tag`: the image is referenced by the `latest` tag.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::image;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1035",
    name: "image-latest-tag",
    title: "Image uses the latest tag",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1525", "T1204.003"],
    what: "Reports containers whose `image` has the tag `latest` and no digest. Template \
           placeholders (`{{ ... }}`, `${...}`) are skipped.",
    why: "`latest` moves: every node may run different code, a rollback does not roll back, and \
          whoever can push to the repository (or poison a mirror) changes what runs in the \
          cluster without a manifest change.",
    fix: "Pin a release tag, better a digest: `image: registry.example/app:1.4.2@sha256:…`.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:latest
",
    references: &[
        "https://kubernetes.io/docs/concepts/containers/images/#image-names",
        "https://kubernetes.io/docs/concepts/configuration/overview/#container-images",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for (c, raw, r) in image::images(pod) {
        if r.is_latest() && r.digest.is_none() {
            let msg = format!("{} uses image {raw} with the mutable tag latest", c.label());
            out.report_in(&META, c, msg, c.path.key("image"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn latest_without_digest_only() {
        let y = pod("containers:\n- name: a\n  image: nginx:latest\n- name: b\n  image: nginx:latest@sha256:0f\n- name: c\n  image: \"{{ .Values.image }}:latest\"\n");
        assert_eq!(lines(&META, &y), vec![8]);
    }
}

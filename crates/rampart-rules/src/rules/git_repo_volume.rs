//! RMP1054 `git-repo-volume`: the pod uses the deprecated gitRepo volume (CVE-2024-10220).

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1054",
    name: "git-repo-volume",
    title: "Pod uses a gitRepo volume (CVE-2024-10220)",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1611", "T1059"],
    what: "Reports volumes with a `gitRepo` source.",
    why: "The kubelet runs `git` on the node to fill a gitRepo volume. A crafted repository's \
          hooks then execute on the node outside any container (CVE-2024-10220). The volume type \
          is deprecated and unmaintained.",
    fix: "Clone the repository in an init container into an `emptyDir` volume, or use a \
          git-sync sidecar.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
  volumes:
  - name: src
    gitRepo:
      repository: https://example.com/repo.git
",
    references: &[
        "https://github.com/kubernetes/kubernetes/issues/128885",
        "https://kubernetes.io/docs/concepts/storage/volumes/#gitrepo",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    let volumes = pod
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for (i, v) in volumes.enumerate() {
        if v.get("gitRepo").is_some_and(|g| !g.is_null()) {
            let name = v.get("name").and_then(Value::as_str).unwrap_or("");
            let msg =
                format!("volume \"{name}\" is a gitRepo volume, cloned by the kubelet on the node");
            out.report(&META, msg, pod.path("volumes").index(i).key("gitRepo"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_on_git_repo_volumes() {
        let y = pod("containers: []\nvolumes:\n- name: a\n  emptyDir: {}\n- name: b\n  gitRepo:\n    repository: x\n");
        assert_eq!(lines(&META, &y), vec![11]);
    }
}

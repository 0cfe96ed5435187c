//! RMP1020 `host-path-volume`: the pod mounts a directory or file of the node.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::host_path;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1020",
    name: "host-path-volume",
    title: "Pod uses a hostPath volume",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1611", "T1005"],
    what: "Reports every `hostPath` volume of a pod spec, whatever its path. Sensitive paths and \
           container runtime sockets are also reported by RMP1021 and RMP1022.",
    why: "A hostPath ties the pod to one node's file system and bypasses storage isolation: \
          the pod reads, and unless mounted read-only writes, node files. Many container \
          escapes start with a hostPath.",
    fix: "Use a `persistentVolumeClaim`, `emptyDir`, `configMap`, `secret` or a CSI driver. If a \
          node agent must read host files, mount the narrowest path, read-only.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
  volumes:
  - name: data
    hostPath:
      path: /srv/data
",
    references: &[
        "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for v in host_path::volumes(pod) {
        let msg = format!("volume \"{}\" mounts host path {}", v.name, v.path);
        out.report(
            &META,
            msg,
            pod.path("volumes").index(v.index).key("hostPath"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn fires_on_each_host_path_volume() {
        let y = pod("containers:\n- name: a\n  image: x\nvolumes:\n- name: a\n  emptyDir: {}\n- name: b\n  hostPath:\n    path: /srv\n- name: c\n  hostPath: null\n");
        assert_eq!(lines(&META, &y), vec![13]);
    }
}

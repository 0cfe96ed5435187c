//! RMP1021 `sensitive-host-path`: a hostPath exposes a sensitive part of the node.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::host_path;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1021",
    name: "sensitive-host-path",
    title: "hostPath exposes a sensitive node path",
    severity: Severity::High,
    category: Category::Workload,
    mitre: &["T1611", "T1552.001", "T1003"],
    what: "Reports `hostPath` volumes that are, contain, or lie within a sensitive node location: \
           `/`, `/etc`, `/proc`, `/sys`, `/dev`, `/boot`, `/root`, `/home`, `/bin`, `/sbin`, \
           `/lib`, `/lib64`, `/usr`, `/opt/cni`, `/var/lib/kubelet`, `/var/lib/docker`, \
           `/var/lib/containerd`, `/var/lib/containers`, `/var/lib/etcd`, `/var/lib/rancher`, \
           `/var/log`. Paths are normalised (`//etc/./` is `/etc`) and parents count (`/var` \
           contains `/var/lib/kubelet`). Time-zone and CA-bundle files are not reported; runtime \
           sockets are RMP1022's.",
    why: "These paths hold the node's credentials (kubelet and service account tokens, PKI, \
          `/etc/shadow`), kernel interfaces (`/proc/sys`, cgroup `release_agent`), devices, \
          binaries the node executes and logs an intruder wants to rewrite. Mounting them hands \
          over the node, even read-only for the credentials.",
    fix: "Do not mount these paths. Node agents that must read one should mount the narrowest \
          subdirectory with `readOnly: true`, in a dedicated, reviewed namespace.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
  volumes:
  - name: host-etc
    hostPath:
      path: /etc
",
    references: &[
        "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for v in host_path::volumes(pod) {
        if v.path.trim().is_empty() {
            continue;
        }
        let norm = host_path::normalize(v.path);
        if host_path::runtime_socket(&norm) {
            continue;
        }
        if let Some(hit) = host_path::sensitive(&norm) {
            let about = if hit == norm {
                String::new()
            } else {
                format!(" (touches {hit})")
            };
            let msg = format!(
                "volume \"{}\" mounts sensitive host path {}{about}",
                v.name, v.path
            );
            out.report(
                &META,
                msg,
                pod.path("volumes")
                    .index(v.index)
                    .key("hostPath")
                    .key("path"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn sensitive_paths_parents_and_children() {
        let y = pod("containers:\n- name: a\n  image: x\nvolumes:\n- name: a\n  hostPath:\n    path: /etc/kubernetes/\n- name: b\n  hostPath:\n    path: /var\n- name: c\n  hostPath:\n    path: /etc/localtime\n- name: d\n  hostPath:\n    path: /var/run/docker.sock\n- name: e\n  hostPath:\n    path: /data\n");
        assert_eq!(lines(&META, &y), vec![12, 15]);
    }
}

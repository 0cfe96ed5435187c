//! RMP1022 `container-runtime-socket`: the pod mounts the container runtime's socket.

use rampart_model::{Category, RuleMeta, Severity};

use crate::rule_context::{RuleContext, Sink};
use crate::support::host_path;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1022",
    name: "container-runtime-socket",
    title: "hostPath mounts a container runtime socket",
    severity: Severity::Critical,
    category: Category::Workload,
    mitre: &["T1611", "T1610", "T1612"],
    what: "Reports `hostPath` volumes that are a container runtime socket (`docker.sock`, \
           `containerd.sock`, `crio.sock`, `dockershim.sock`, `cri-dockerd.sock`, `podman.sock`) \
           or a directory holding one (`/run`, `/var/run`, `/run/containerd`, `/run/docker`, \
           `/run/crio`, `/run/k3s` and their `/var/run` twins).",
    why: "Whoever talks to the runtime socket can start a privileged container with the host's \
          root file system mounted, read every container's secrets and execute into any of them: \
          it is root on the node, invisible to Kubernetes admission.",
    fix: "Do not mount runtime sockets. Build images with rootless builders (BuildKit rootless, \
          Kaniko, Buildah); read container metadata through the Kubernetes API or the CRI \
          read-only endpoints of a dedicated agent.",
    example: "\
spec:
  containers:
  - name: ci-runner
    image: registry.example/runner:5.0
  volumes:
  - name: docker
    hostPath:
      path: /var/run/docker.sock
",
    references: &[
        "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        "https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for v in host_path::volumes(pod) {
        if !v.path.trim().is_empty() && host_path::runtime_socket(&host_path::normalize(v.path)) {
            let msg = format!(
                "volume \"{}\" mounts the container runtime socket path {}",
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
    fn sockets_and_their_directories() {
        let y = pod("containers:\n- name: a\n  image: x\nvolumes:\n- name: a\n  hostPath:\n    path: /run/containerd/containerd.sock\n- name: b\n  hostPath:\n    path: /var/run/\n- name: c\n  hostPath:\n    path: /var/lib/app\n");
        assert_eq!(lines(&META, &y), vec![12, 15]);
    }
}

//! Cgroup paths → container ids, for every runtime layout the agent knows:
//! systemd driver (`cri-containerd-<id>.scope`, `docker-<id>.scope`, `crio-<id>.scope`,
//! `libpod-<id>.scope`), cgroupfs driver (`/kubepods/<qos>/pod<uid>/<id>`, `/docker/<id>`,
//! containerd's `/<namespace>/<id>`). Pure functions over strings; no I/O.

/// A container id found in a cgroup path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgroupContainer {
    pub id: String,
    pub runtime: &'static str,
    /// Pod uid when the path carries one (`pod<uid>` segments).
    pub pod_uid: String,
}

fn is_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The container of a cgroup path, or `None` for host cgroups.
pub fn container_of(path: &str) -> Option<CgroupContainer> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let pod_uid = segments
        .iter()
        .rev()
        .find_map(|s| pod_uid(s))
        .unwrap_or_default();
    for (i, seg) in segments.iter().enumerate().rev() {
        let base = seg.strip_suffix(".scope").unwrap_or(seg);
        let prefixed = [
            ("cri-containerd-", "containerd"),
            ("crio-conmon-", "cri-o"),
            ("crio-", "cri-o"),
            ("docker-", "docker"),
            ("libpod-conmon-", "podman"),
            ("libpod-", "podman"),
        ];
        for (prefix, runtime) in prefixed {
            if let Some(id) = base.strip_prefix(prefix).filter(|id| is_id(id)) {
                return Some(CgroupContainer {
                    id: id.to_string(),
                    runtime,
                    pod_uid,
                });
            }
        }
        if is_id(base) {
            let parent = if i > 0 { segments[i - 1] } else { "" };
            let runtime = match parent {
                "docker" => "docker",
                p if p.starts_with("crio") => "cri-o",
                _ => "containerd",
            };
            return Some(CgroupContainer {
                id: base.to_string(),
                runtime,
                pod_uid,
            });
        }
    }
    None
}

/// `pod<uid>` (cgroupfs) or `kubepods-<qos>-pod<uid_with_underscores>.slice` (systemd).
fn pod_uid(seg: &str) -> Option<String> {
    let seg = seg.strip_suffix(".slice").unwrap_or(seg);
    let at = seg.rfind("pod")?;
    let uid = &seg[at + 3..];
    let ok = uid.len() >= 32
        && uid
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'-' || b == b'_');
    ok.then(|| uid.replace('_', "-"))
}

/// The cgroup v2 path of a process from `/proc/<pid>/cgroup` text (the `0::` line), else the
/// first v1 path that names a container.
pub fn path_from_proc(text: &str) -> Option<String> {
    let mut fallback = None;
    for line in text.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(hier), Some(_), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if hier == "0" {
            if container_of(path).is_some() {
                return Some(path.to_string());
            }
        } else if fallback.is_none() && container_of(path).is_some() {
            fallback = Some(path.to_string());
        }
    }
    fallback
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn recognises_runtime_layouts() {
        let cases = [
            (format!("/system.slice/containerd.service/kubepods-burstable-pod1b2c3d4e_1111_2222_3333_444455556666.slice:cri-containerd:{ID}"), None),
            (format!("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1b2c3d4e_1111_2222_3333_444455556666.slice/cri-containerd-{ID}.scope"), Some("containerd")),
            (format!("/kubepods/burstable/pod1b2c3d4e-1111-2222-3333-444455556666/{ID}"), Some("containerd")),
            (format!("/k8s.io/{ID}"), Some("containerd")),
            (format!("/docker/{ID}"), Some("docker")),
            (format!("/system.slice/docker-{ID}.scope"), Some("docker")),
            (format!("/machine.slice/libpod-{ID}.scope/container"), Some("podman")),
            (format!("/kubepods.slice/crio-{ID}.scope"), Some("cri-o")),
            ("/user.slice/user-0.slice/session-1.scope".to_string(), None),
            ("/".to_string(), None),
        ];
        for (path, runtime) in cases {
            let got = container_of(&path);
            assert_eq!(got.as_ref().map(|c| c.runtime), runtime, "{path}");
            if let Some(c) = got {
                assert_eq!(c.id, ID);
            }
        }
        let c = container_of(&format!(
            "/kubepods/burstable/pod1b2c3d4e-1111-2222-3333-444455556666/{ID}"
        ));
        assert_eq!(
            c.map(|c| c.pod_uid),
            Some("1b2c3d4e-1111-2222-3333-444455556666".to_string())
        );
    }

    #[test]
    fn reads_proc_cgroup_text() {
        let text = format!("12:memory:/k8s.io/{ID}\n1:name=systemd:/k8s.io/{ID}\n0::/\n");
        assert_eq!(path_from_proc(&text), Some(format!("/k8s.io/{ID}")));
        assert_eq!(path_from_proc("0::/init.scope\n"), None);
    }
}

//! hostPath volumes and which parts of a node they expose.

use serde_json::Value;

use crate::rule_context::PodContext;

/// A `hostPath` volume of a pod.
#[derive(Debug, Clone, Copy)]
pub struct HostPathVolume<'a> {
    pub index: usize,
    pub name: &'a str,
    /// `hostPath.path` as written (empty when missing).
    pub path: &'a str,
}

/// Every volume with a non-null `hostPath`, in order.
pub fn volumes<'a>(pod: &PodContext<'a>) -> impl Iterator<Item = HostPathVolume<'a>> {
    pod.get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(index, v)| {
            let hp = v.get("hostPath").filter(|h| !h.is_null())?;
            Some(HostPathVolume {
                index,
                name: v.get("name").and_then(Value::as_str).unwrap_or(""),
                path: hp.get("path").and_then(Value::as_str).unwrap_or(""),
            })
        })
}

/// Lexically normalised absolute path: `//etc/./kubernetes/../` → `/etc`.
pub fn normalize(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.trim().split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

/// `a` is `b` or lies below it.
fn within(a: &str, b: &str) -> bool {
    b == "/" || a == b || a.strip_prefix(b).is_some_and(|r| r.starts_with('/'))
}

/// Sockets through which a container runtime takes orders.
const SOCKET_NAMES: &[&str] = &[
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "dockershim.sock",
    "cri-dockerd.sock",
    "podman.sock",
    "frakti.sock",
];

/// Directories holding those sockets; `/run` and `/var/run` hold them all.
const RUNTIME_DIRS: &[&str] = &[
    "/run/containerd",
    "/var/run/containerd",
    "/run/docker",
    "/var/run/docker",
    "/run/crio",
    "/var/run/crio",
    "/run/k3s",
    "/var/run/k3s",
    "/run/podman",
    "/var/run/podman",
];

/// A normalised path that is, or contains, a container runtime socket.
pub fn runtime_socket(norm: &str) -> bool {
    let base = norm.rsplit('/').next().unwrap_or("");
    SOCKET_NAMES
        .iter()
        .any(|s| base == *s || base.strip_prefix(s).is_some_and(|r| r.starts_with('.')))
        || norm == "/run"
        || norm == "/var/run"
        || RUNTIME_DIRS.iter().any(|d| within(norm, d))
}

/// Host locations whose exposure hands over the node: its configuration, kernel interfaces,
/// devices, credentials, kubelet and runtime state, binaries and logs.
const SENSITIVE: &[&str] = &[
    "/etc",
    "/proc",
    "/sys",
    "/dev",
    "/boot",
    "/root",
    "/home",
    "/bin",
    "/sbin",
    "/lib",
    "/lib64",
    "/usr",
    "/opt/cni",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/containers",
    "/var/lib/etcd",
    "/var/lib/rancher",
    "/var/log",
];

/// Widely mounted read-only files that expose nothing: time zones and CA bundles.
const HARMLESS: &[&str] = &[
    "/etc/localtime",
    "/etc/timezone",
    "/usr/share/zoneinfo",
    "/etc/ssl/certs",
    "/etc/pki/tls/certs",
    "/etc/ca-certificates",
    "/usr/share/ca-certificates",
    "/etc/machine-id",
];

/// The sensitive location a normalised path exposes (itself, a parent of it or a child of it).
pub fn sensitive(norm: &str) -> Option<&'static str> {
    if HARMLESS.iter().any(|h| within(norm, h)) {
        return None;
    }
    if norm == "/" {
        return Some("/");
    }
    SENSITIVE
        .iter()
        .find(|s| within(norm, s) || within(s, norm))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_classifies() {
        assert_eq!(normalize("//etc/./kubernetes/../"), "/etc");
        assert_eq!(normalize("/"), "/");
        assert!(runtime_socket("/var/run/docker.sock"));
        assert!(runtime_socket("/run/containerd/containerd.sock"));
        assert!(runtime_socket("/var/run"));
        assert!(!runtime_socket("/var"));
        assert_eq!(sensitive("/var"), Some("/var/lib/kubelet"));
        assert_eq!(sensitive("/etc/kubernetes/pki"), Some("/etc"));
        assert_eq!(sensitive("/etc/localtime"), None);
        assert_eq!(sensitive("/data/app"), None);
        assert_eq!(sensitive("/etcd-data"), None);
    }
}

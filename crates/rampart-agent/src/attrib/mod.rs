//! Attribution: kernel cgroup id → cgroup path → container id → pod, container name and image
//! (CRI), cached. Processes outside any container are host processes (`container: null`).

pub mod cgroup;
pub mod cri;
pub mod cri_proto;

use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::event::Container;
use cri::CriClient;

/// Bound on cached cgroups and containers; the caches are cleared past it.
const MAX_CACHE: usize = 65_536;
/// How often a failing CRI lookup of one container is retried.
const CRI_RETRY: Duration = Duration::from_secs(2);

/// Resolves cgroup ids to containers.
#[derive(Debug)]
pub struct Resolver {
    cgroup_root: Option<PathBuf>,
    proc_root: PathBuf,
    paths: HashMap<u64, String>,
    by_cgroup: HashMap<u64, Option<Container>>,
    cri: Option<CriClient>,
    cri_failed: HashMap<String, Instant>,
    host_ns: HashSet<u64>,
    /// CRI errors seen (for the operator, reported once each by the caller).
    pub cri_errors: u64,
}

/// The cgroup v2 mount: `/sys/fs/cgroup` on unified hosts, `/sys/fs/cgroup/unified` on hybrid ones.
pub fn cgroup2_root(mountinfo: &str) -> Option<PathBuf> {
    mountinfo.lines().find_map(|l| {
        let (left, right) = l.split_once(" - ")?;
        right
            .starts_with("cgroup2 ")
            .then(|| left.split_whitespace().nth(4).map(PathBuf::from))?
    })
}

const NAMESPACES: [&str; 8] = ["mnt", "pid", "net", "uts", "ipc", "user", "cgroup", "time"];

/// Inodes of the host's namespaces: those of pid 1 (a DaemonSet agent runs with hostPID), or,
/// where pid 1's namespace links cannot be read (some sandboxes deny it even to root), the
/// agent's own, since it runs in the host's namespaces there.
fn host_namespaces() -> HashSet<u64> {
    let read = |pid: &str| -> HashSet<u64> {
        NAMESPACES
            .iter()
            .filter_map(|n| std::fs::metadata(format!("/proc/{pid}/ns/{n}")).ok())
            .map(|m| m.ino())
            .collect()
    };
    let init = read("1");
    if init.is_empty() {
        read("self")
    } else {
        init
    }
}

impl Resolver {
    /// A resolver reading `/proc` and the cgroup v2 mount, asking CRI at `cri_socket` if given.
    pub fn new(cri_socket: Option<&Path>) -> Resolver {
        let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
        let cri = cri_socket.and_then(|s| CriClient::connect(s).ok());
        let host_ns = host_namespaces();
        // In a pod the agent's own /sys/fs/cgroup may be a private cgroup namespace; the
        // DaemonSet mounts the host's hierarchy and names it here.
        let cgroup_root = std::env::var_os("RAMPART_CGROUP2_ROOT")
            .map(PathBuf::from)
            .or_else(|| cgroup2_root(&mountinfo));
        Resolver {
            cgroup_root,
            proc_root: PathBuf::from("/proc"),
            paths: HashMap::new(),
            by_cgroup: HashMap::new(),
            cri,
            cri_failed: HashMap::new(),
            host_ns,
            cri_errors: 0,
        }
    }

    /// Whether a namespace inode belongs to the host's init process.
    pub fn is_host_namespace(&self, inode: u64) -> bool {
        inode != 0 && self.host_ns.contains(&inode)
    }

    /// Walks the cgroup v2 tree, recording each directory's inode (= the BPF cgroup id).
    fn scan(&mut self) {
        let Some(root) = self.cgroup_root.clone() else {
            return;
        };
        if self.paths.len() > MAX_CACHE {
            self.paths.clear();
        }
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            if let Ok(m) = std::fs::metadata(&dir) {
                let rel = dir
                    .strip_prefix(&root)
                    .map(|p| format!("/{}", p.display()))
                    .unwrap_or_default();
                self.paths.insert(m.ino(), rel);
            }
            for e in entries.flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(e.path());
                }
            }
        }
    }

    /// The cgroup path of a cgroup id (rescanning once on a miss), else the path read from
    /// `/proc/<pid>/cgroup`.
    fn path_of(&mut self, cgroup_id: u64, pid: u32) -> Option<String> {
        if let Some(p) = self.paths.get(&cgroup_id) {
            return Some(p.clone());
        }
        self.scan();
        if let Some(p) = self.paths.get(&cgroup_id) {
            return Some(p.clone());
        }
        let text =
            std::fs::read_to_string(self.proc_root.join(pid.to_string()).join("cgroup")).ok()?;
        cgroup::path_from_proc(&text)
    }

    /// The container a process runs in, `None` for host processes.
    pub async fn resolve(&mut self, cgroup_id: u64, pid: u32) -> Option<Container> {
        if let Some(c) = self.by_cgroup.get(&cgroup_id) {
            return c.clone();
        }
        let found = self
            .path_of(cgroup_id, pid)
            .and_then(|p| cgroup::container_of(&p));
        let Some(found) = found else {
            self.remember(cgroup_id, None);
            return None;
        };
        let mut c = Container {
            id: found.id,
            runtime: found.runtime.to_string(),
            pod_uid: found.pod_uid,
            ..Container::default()
        };
        let mut complete = true;
        if let Some(cri) = self.cri.clone() {
            let recently_failed = self
                .cri_failed
                .get(&c.id)
                .is_some_and(|t| t.elapsed() < CRI_RETRY);
            if !recently_failed {
                match cri.container(&c.id).await {
                    Ok(Some(meta)) => {
                        c.name = meta.name;
                        c.image = meta.image;
                        c.pod = meta.pod;
                        c.namespace = meta.namespace;
                        if !meta.pod_uid.is_empty() {
                            c.pod_uid = meta.pod_uid;
                        }
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!("container {}: {e}", c.id);
                        self.cri_errors += 1;
                        self.cri_failed.insert(c.id.clone(), Instant::now());
                        complete = false;
                    }
                }
            } else {
                complete = false;
            }
        }
        if complete {
            self.remember(cgroup_id, Some(c.clone()));
        }
        Some(c)
    }

    fn remember(&mut self, cgroup_id: u64, c: Option<Container>) {
        if self.by_cgroup.len() > MAX_CACHE {
            self.by_cgroup.clear();
        }
        self.by_cgroup.insert(cgroup_id, c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_cgroup2_mount() {
        let hybrid = "30 25 0:26 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw\n31 25 0:27 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n";
        assert_eq!(
            cgroup2_root(hybrid),
            Some(PathBuf::from("/sys/fs/cgroup/unified"))
        );
        assert_eq!(
            cgroup2_root("31 25 0:27 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"),
            None
        );
    }
}

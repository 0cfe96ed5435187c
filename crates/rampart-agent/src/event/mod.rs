//! Runtime events: what the kernel reported, enriched in user space with the process ancestry and
//! the container/pod the process runs in.

mod json;
pub mod raw;

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

pub use json::to_json;

/// Kinds of kernel events; the numbers match `enum event_kind` in `src/bpf/event.h`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    Exec,
    Exit,
    Fork,
    Open,
    Connect,
    Accept,
    TcpState,
    Setuid,
    Capset,
    Mount,
    Ptrace,
    Module,
    Unshare,
    Setns,
}

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::Exec,
        Kind::Exit,
        Kind::Fork,
        Kind::Open,
        Kind::Connect,
        Kind::Accept,
        Kind::TcpState,
        Kind::Setuid,
        Kind::Capset,
        Kind::Mount,
        Kind::Ptrace,
        Kind::Module,
        Kind::Unshare,
        Kind::Setns,
    ];

    pub fn from_raw(n: u32) -> Option<Kind> {
        let i = usize::try_from(n).ok()?.checked_sub(1)?;
        Kind::ALL.get(i).copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Exec => "exec",
            Kind::Exit => "exit",
            Kind::Fork => "fork",
            Kind::Open => "open",
            Kind::Connect => "connect",
            Kind::Accept => "accept",
            Kind::TcpState => "tcp_state",
            Kind::Setuid => "setuid",
            Kind::Capset => "capset",
            Kind::Mount => "mount",
            Kind::Ptrace => "ptrace",
            Kind::Module => "module",
            Kind::Unshare => "unshare",
            Kind::Setns => "setns",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// `flags` bits of exec events.
pub const EXEC_STDIN_SOCKET: u32 = 1;
pub const EXEC_STDOUT_SOCKET: u32 = 2;
pub const EXEC_SETUID: u32 = 4;
/// `flags` bit of open events.
pub const OPEN_WRITE: u32 = 1;

/// Where a process runs: a container (with its pod, when the runtime is Kubernetes') or the host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    pub id: String,
    /// `containerd`, `cri-o`, `docker`, `podman`, or `unknown`.
    pub runtime: String,
    /// Pod name, empty when the container is not a pod's.
    #[serde(default)]
    pub pod: String,
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub pod_uid: String,
    /// Container name.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub image: String,
}

/// One ancestor of a process, nearest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ancestor {
    pub pid: u32,
    pub comm: String,
    #[serde(default)]
    pub exe: String,
}

/// A kernel event with its user-space enrichment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Event {
    #[serde(rename = "type")]
    pub kind: Kind,
    /// CLOCK_BOOTTIME of the kernel event.
    pub ts_ns: u64,
    /// Wall-clock time, RFC 3339 (filled in user space).
    pub time: String,
    pub cgroup_id: u64,
    pub pid: u32,
    pub tid: u32,
    pub ppid: u32,
    /// Pid inside the process's own pid namespace (1 = a container's entrypoint).
    pub vpid: u32,
    pub uid: u32,
    pub gid: u32,
    pub flags: u32,
    pub ret: i32,
    pub arg0: u64,
    pub arg1: u64,
    pub arg2: u64,
    pub family: u16,
    pub dport: u16,
    pub sport: u16,
    pub addr: Option<IpAddr>,
    pub comm: String,
    /// The process name rules see (see [`process_name`]); filled from the process table.
    pub name: String,
    /// Exec: the executed file; open: the path; connect/accept on unix sockets: the socket path;
    /// mount: the source; module: the parameters.
    pub path: String,
    /// Mount: the target.
    pub path2: String,
    pub fstype: String,
    pub args: Vec<String>,
    /// The executable of the process (exec events: `path`; others: from the process table).
    pub exe: String,
    pub ancestry: Vec<Ancestor>,
    pub container: Option<Container>,
    /// setns: the namespace joined is one of the host's (pid 1's) namespaces.
    pub ns_host: bool,
}

impl Event {
    /// The file the event is about, if any.
    pub fn file(&self) -> Option<&str> {
        match self.kind {
            Kind::Open | Kind::Exec => Some(self.path.as_str()),
            Kind::Connect | Kind::Accept if self.family == raw::AF_UNIX => Some(self.path.as_str()),
            Kind::Mount => Some(self.path2.as_str()),
            _ => None,
        }
        .filter(|s| !s.is_empty())
    }

    /// `ip:port` (or `[ip6]:port`) of the remote end of network events.
    pub fn remote(&self) -> Option<String> {
        let addr = self.addr?;
        if !matches!(self.kind, Kind::Connect | Kind::Accept | Kind::TcpState) {
            return None;
        }
        Some(match addr {
            IpAddr::V4(a) => format!("{a}:{}", self.dport),
            IpAddr::V6(a) => format!("[{a}]:{}", self.dport),
        })
    }

    /// The process name rules see: [`Event::name`] when known, else comm.
    pub fn proc_name(&self) -> &str {
        if self.name.is_empty() {
            &self.comm
        } else {
            &self.name
        }
    }
}

fn basename(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// The name of an executed program: the basename of the file (comm is cut at 15 bytes), except
/// for multi-call binaries and self re-execution, where argv says which program runs: BusyBox
/// shells run applets as `/proc/self/exe` with `argv[0]` = the applet, and `busybox nc …` runs
/// `nc`.
pub fn process_name(path: &str, args: &[String], comm: &str) -> String {
    let file = basename(path);
    let argv0 = args.first().map_or("", |a| basename(a));
    let reexec = path.starts_with("/proc/") || path.starts_with("/dev/fd/") || path.is_empty();
    if reexec && !argv0.is_empty() {
        if argv0 == "busybox" {
            if let Some(applet) = args.get(1) {
                return basename(applet).to_string();
            }
        }
        return argv0.to_string();
    }
    if file == "busybox" && argv0 == "busybox" {
        if let Some(applet) = args.get(1).filter(|a| !a.starts_with('-')) {
            return basename(applet).to_string();
        }
    }
    if file.is_empty() {
        comm.to_string()
    } else {
        file.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn names_programs_like_users_do() {
        assert_eq!(process_name("/bin/sh", &v(&["sh", "-c", "x"]), "sh"), "sh");
        assert_eq!(
            process_name("/proc/self/exe", &v(&["sh", "-c", "x"]), "exe"),
            "sh"
        );
        assert_eq!(
            process_name("/proc/self/exe", &v(&["busybox", "nc", "x"]), "exe"),
            "nc"
        );
        assert_eq!(
            process_name(
                "/bin/busybox",
                &v(&["busybox", "nsenter", "-t", "1"]),
                "busybox"
            ),
            "nsenter"
        );
        assert_eq!(
            process_name("/bin/busybox", &v(&["busybox", "--list"]), "busybox"),
            "busybox"
        );
        assert_eq!(
            process_name(
                "/usr/bin/containerd-shim-runc-v2",
                &v(&[]),
                "containerd-shim"
            ),
            "containerd-shim-runc-v2"
        );
        assert_eq!(process_name("", &v(&[]), "kworker"), "kworker");
    }
}

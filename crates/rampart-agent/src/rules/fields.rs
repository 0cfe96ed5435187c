//! The event fields a rule condition can name, and how each is read from an [`Event`].
//!
//! Names follow the shape Falco users know (`proc.name`, `fd.name`, `k8s.ns.name` …) so rules
//! read naturally; the set is closed, so a typo is a validation error and not a silent miss.

use std::borrow::Cow;
use std::net::IpAddr;

use crate::event::{
    raw::{AF_INET, AF_INET6, AF_UNIX},
    Event, Kind, EXEC_SETUID, EXEC_STDIN_SOCKET, EXEC_STDOUT_SOCKET, OPEN_WRITE,
};

/// A value read from an event.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    List(Vec<Cow<'a, str>>),
    /// The field does not apply to this event (e.g. `net.dport` of an exec).
    Absent,
}

macro_rules! fields {
    ($($variant:ident => $name:literal: $doc:literal,)*) => {
        /// Every field a condition may use.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Field { $($variant,)* }

        impl Field {
            pub const ALL: &'static [(Field, &'static str, &'static str)] =
                &[$((Field::$variant, $name, $doc),)*];
        }
    };
}

fields! {
    EvtType => "evt.type": "exec, exit, fork, open, connect, accept, tcp_state, setuid, capset, mount, ptrace, module, unshare, setns",
    ProcName => "proc.name": "program name: basename of the executed file, or argv[0] for multi-call binaries and /proc/self/exe re-execution",
    ProcExe => "proc.exe": "executable path",
    ProcArgs => "proc.args": "arguments after argv[0], joined by spaces",
    ProcCmdline => "proc.cmdline": "the whole argv joined by spaces",
    ProcPid => "proc.pid": "host pid",
    ProcVpid => "proc.vpid": "pid inside the process's pid namespace (1 = container entrypoint)",
    ProcPname => "proc.pname": "parent process name",
    ProcPexe => "proc.pexe": "parent executable",
    ProcAname => "proc.aname": "names of all ancestors (list)",
    ProcStdinSocket => "proc.stdin_socket": "exec: standard input is a socket",
    ProcStdoutSocket => "proc.stdout_socket": "exec: standard output is a socket",
    ProcSetuidExec => "proc.setuid_exec": "exec: effective uid differs from real uid (setuid binary)",
    UserUid => "user.uid": "real uid of the process",
    FdName => "fd.name": "file path (open, exec), unix socket path (connect, accept), mount target",
    FdDirectory => "fd.directory": "directory part of fd.name",
    FdFilename => "fd.filename": "last component of fd.name",
    OpenWrite => "open.write": "open with write, create or truncate flags",
    NetFamily => "net.family": "inet, inet6 or unix",
    NetDaddr => "net.daddr": "remote address (connect, accept, tcp_state)",
    NetDport => "net.dport": "remote port",
    NetSport => "net.sport": "local port (tcp_state)",
    NetLoopback => "net.loopback": "remote address is a loopback address",
    NetPrivate => "net.private": "remote address is private, link-local, loopback or unspecified",
    TcpState => "tcp.state": "tcp_state: listen or syn_sent",
    SetuidTarget => "setuid.target": "setuid family: the requested (effective) uid",
    CapEffective => "cap.effective": "capset: effective capability names (list)",
    MountSource => "mount.source": "mount source",
    MountTarget => "mount.target": "mount target",
    MountFstype => "mount.fstype": "mount filesystem type",
    PtraceRequest => "ptrace.request": "ptrace request name (PTRACE_ATTACH, PTRACE_POKETEXT …)",
    ModuleParams => "module.params": "module parameters",
    NsTypes => "ns.types": "unshare: namespaces created; setns: namespace joined (list of mnt, pid, net, uts, ipc, user, cgroup, time)",
    NsHost => "ns.host": "setns: the namespace joined is one of the host's",
    Container => "container": "the process runs in a container",
    ContainerId => "container.id": "container id",
    ContainerName => "container.name": "container name",
    ContainerImage => "container.image": "container image",
    ContainerRuntime => "container.runtime": "container runtime",
    K8sNs => "k8s.ns.name": "pod namespace",
    K8sPod => "k8s.pod.name": "pod name",
}

impl Field {
    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(f, _, _)| *f)
    }

    pub fn name(self) -> &'static str {
        Field::ALL
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("?", |(_, n, _)| n)
    }
}

const CAPS: [&str; 41] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

/// Namespace clone flags and their short names.
const NS_FLAGS: [(u64, &str); 8] = [
    (0x0002_0000, "mnt"),
    (0x2000_0000, "pid"),
    (0x4000_0000, "net"),
    (0x0400_0000, "uts"),
    (0x0800_0000, "ipc"),
    (0x1000_0000, "user"),
    (0x0200_0000, "cgroup"),
    (0x0000_0080, "time"),
];

fn ptrace_name(req: u64) -> Cow<'static, str> {
    Cow::Borrowed(match req {
        0 => "PTRACE_TRACEME",
        1 => "PTRACE_PEEKTEXT",
        2 => "PTRACE_PEEKDATA",
        4 => "PTRACE_POKETEXT",
        5 => "PTRACE_POKEDATA",
        6 => "PTRACE_POKEUSER",
        13 => "PTRACE_SETREGS",
        16 => "PTRACE_ATTACH",
        17 => "PTRACE_DETACH",
        0x4206 => "PTRACE_SEIZE",
        _ => return Cow::Owned(format!("PTRACE_{req}")),
    })
}

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            a.is_private() || a.is_loopback() || a.is_link_local() || a.is_unspecified()
        }
        IpAddr::V6(a) => {
            let seg0 = a.segments()[0];
            a.is_loopback()
                || a.is_unspecified()
                || (seg0 & 0xfe00) == 0xfc00
                || (seg0 & 0xffc0) == 0xfe80
                || a.to_ipv4_mapped()
                    .is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

fn s(v: &str) -> Val<'_> {
    Val::Str(Cow::Borrowed(v))
}

fn when<'a>(cond: bool, v: Val<'a>) -> Val<'a> {
    if cond {
        v
    } else {
        Val::Absent
    }
}

/// Reads one field of an event.
pub fn get(ev: &Event, field: Field) -> Val<'_> {
    let c = ev.container.as_ref();
    let net = matches!(ev.kind, Kind::Connect | Kind::Accept | Kind::TcpState);
    match field {
        Field::EvtType => s(ev.kind.as_str()),
        Field::ProcName => s(ev.proc_name()),
        Field::ProcExe => s(&ev.exe),
        Field::ProcArgs => Val::Str(Cow::Owned(
            ev.args
                .iter()
                .skip(1)
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
        )),
        Field::ProcCmdline => Val::Str(Cow::Owned(ev.args.join(" "))),
        Field::ProcPid => Val::Int(i64::from(ev.pid)),
        Field::ProcVpid => Val::Int(i64::from(ev.vpid)),
        Field::ProcPname => ev.ancestry.first().map_or(Val::Absent, |a| s(&a.comm)),
        Field::ProcPexe => ev.ancestry.first().map_or(Val::Absent, |a| s(&a.exe)),
        Field::ProcAname => Val::List(
            ev.ancestry
                .iter()
                .map(|a| Cow::Borrowed(a.comm.as_str()))
                .collect(),
        ),
        Field::ProcStdinSocket => {
            Val::Bool(ev.kind == Kind::Exec && ev.flags & EXEC_STDIN_SOCKET != 0)
        }
        Field::ProcStdoutSocket => {
            Val::Bool(ev.kind == Kind::Exec && ev.flags & EXEC_STDOUT_SOCKET != 0)
        }
        Field::ProcSetuidExec => Val::Bool(ev.kind == Kind::Exec && ev.flags & EXEC_SETUID != 0),
        Field::UserUid => Val::Int(i64::from(ev.uid)),
        Field::FdName => ev.file().map_or(Val::Absent, s),
        Field::FdDirectory => ev
            .file()
            .and_then(|f| f.rsplit_once('/'))
            .map_or(Val::Absent, |(d, _)| s(if d.is_empty() { "/" } else { d })),
        Field::FdFilename => ev
            .file()
            .map_or(Val::Absent, |f| s(f.rsplit('/').next().unwrap_or(f))),
        Field::OpenWrite => Val::Bool(ev.kind == Kind::Open && ev.flags & OPEN_WRITE != 0),
        Field::NetFamily => when(
            net,
            s(match ev.family {
                AF_INET => "inet",
                AF_INET6 => "inet6",
                AF_UNIX => "unix",
                _ => "other",
            }),
        ),
        Field::NetDaddr => ev
            .addr
            .filter(|_| net)
            .map_or(Val::Absent, |a| Val::Str(Cow::Owned(a.to_string()))),
        Field::NetDport => when(net && ev.addr.is_some(), Val::Int(i64::from(ev.dport))),
        Field::NetSport => when(ev.kind == Kind::TcpState, Val::Int(i64::from(ev.sport))),
        Field::NetLoopback => Val::Bool(net && ev.addr.is_some_and(|a| a.is_loopback())),
        Field::NetPrivate => Val::Bool(net && ev.addr.is_some_and(is_private)),
        Field::TcpState => when(
            ev.kind == Kind::TcpState,
            s(match ev.arg1 {
                10 => "listen",
                2 => "syn_sent",
                _ => "other",
            }),
        ),
        Field::SetuidTarget => when(ev.kind == Kind::Setuid, {
            // setreuid/setresuid: the effective id is the second argument.
            let raw = if ev.ret == 1 || ev.ret == 2 {
                ev.arg1
            } else {
                ev.arg0
            };
            Val::Int(i64::from(raw as u32 as i32))
        }),
        Field::CapEffective => when(
            ev.kind == Kind::Capset,
            Val::List(
                CAPS.iter()
                    .enumerate()
                    .filter(|(i, _)| ev.arg0 >> i & 1 == 1)
                    .map(|(_, n)| Cow::Borrowed(*n))
                    .collect(),
            ),
        ),
        Field::MountSource => when(ev.kind == Kind::Mount, s(&ev.path)),
        Field::MountTarget => when(ev.kind == Kind::Mount, s(&ev.path2)),
        Field::MountFstype => when(ev.kind == Kind::Mount, s(&ev.fstype)),
        Field::PtraceRequest => when(ev.kind == Kind::Ptrace, Val::Str(ptrace_name(ev.arg0))),
        Field::ModuleParams => when(ev.kind == Kind::Module, s(&ev.path)),
        Field::NsTypes => {
            let flags = match ev.kind {
                Kind::Unshare => ev.arg0,
                Kind::Setns => ev.arg1,
                _ => return Val::Absent,
            };
            Val::List(
                NS_FLAGS
                    .iter()
                    .filter(|(f, _)| flags & f != 0)
                    .map(|(_, n)| Cow::Borrowed(*n))
                    .collect(),
            )
        }
        Field::NsHost => Val::Bool(ev.kind == Kind::Setns && ev.ns_host),
        Field::Container => Val::Bool(c.is_some()),
        Field::ContainerId => c.map_or(Val::Absent, |c| s(&c.id)),
        Field::ContainerName => c.map_or(Val::Absent, |c| s(&c.name)),
        Field::ContainerImage => c.map_or(Val::Absent, |c| s(&c.image)),
        Field::ContainerRuntime => c.map_or(Val::Absent, |c| s(&c.runtime)),
        Field::K8sNs => c
            .filter(|c| !c.namespace.is_empty())
            .map_or(Val::Absent, |c| s(&c.namespace)),
        Field::K8sPod => c
            .filter(|c| !c.pod.is_empty())
            .map_or(Val::Absent, |c| s(&c.pod)),
    }
}

/// Text of a value for alert messages.
pub fn display(v: &Val<'_>) -> String {
    match v {
        Val::Str(s) => s.to_string(),
        Val::Int(i) => i.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::List(l) => l.join(","),
        Val::Absent => "<none>".into(),
    }
}

//! The real loader (built only when `build.rs` produced the BPF object).

use aya::maps::{MapData, PerCpuArray, RingBuf};
use aya::programs::{BtfTracePoint, TracePoint};
use aya::{Btf, Ebpf, EbpfLoader};
use tokio::io::unix::AsyncFd;

use super::{KernelError, KernelStats};

static OBJECT: &[u8] = aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/agent.bpf.o"));

/// (program, tracepoint category, tracepoint name, optional)
const TRACEPOINTS: &[(&str, &str, &str, bool)] = &[
    ("handle_exec", "sched", "sched_process_exec", false),
    ("handle_exit", "sched", "sched_process_exit", false),
    ("handle_openat", "syscalls", "sys_enter_openat", false),
    ("handle_openat2", "syscalls", "sys_enter_openat2", true),
    ("handle_connect", "syscalls", "sys_enter_connect", false),
    ("handle_accept_exit", "syscalls", "sys_exit_accept", true),
    ("handle_accept4_exit", "syscalls", "sys_exit_accept4", false),
    ("handle_setuid", "syscalls", "sys_enter_setuid", false),
    ("handle_setreuid", "syscalls", "sys_enter_setreuid", false),
    ("handle_setresuid", "syscalls", "sys_enter_setresuid", false),
    ("handle_setfsuid", "syscalls", "sys_enter_setfsuid", false),
    ("handle_capset", "syscalls", "sys_enter_capset", false),
    ("handle_mount", "syscalls", "sys_enter_mount", false),
    ("handle_ptrace", "syscalls", "sys_enter_ptrace", false),
    (
        "handle_init_module",
        "syscalls",
        "sys_enter_init_module",
        true,
    ),
    (
        "handle_finit_module",
        "syscalls",
        "sys_enter_finit_module",
        true,
    ),
    ("handle_unshare", "syscalls", "sys_enter_unshare", false),
    ("handle_setns", "syscalls", "sys_enter_setns", false),
];

/// (program, BTF tracepoint): attached without tracefs, arguments read as typed kernel
/// pointers; used where the classic tracepoint's record would be built for many calls the
/// program then ignores.
const BTF_TRACEPOINTS: &[(&str, &str)] = &[
    ("handle_fork", "sched_process_fork"),
    ("handle_tcp_state", "inet_sock_set_state"),
];

/// The loaded and attached programs with their ring buffer.
pub struct Probe {
    bpf: Ebpf,
    ring: AsyncFd<RingBuf<MapData>>,
    skipped: Vec<String>,
}

impl std::fmt::Debug for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Probe")
            .field("skipped", &self.skipped)
            .finish_non_exhaustive()
    }
}

fn tracepoint_exists(category: &str, name: &str) -> bool {
    [
        "/sys/kernel/tracing/events",
        "/sys/kernel/debug/tracing/events",
    ]
    .iter()
    .any(|root| std::path::Path::new(&format!("{root}/{category}/{name}")).exists())
}

impl Probe {
    /// Loads the object, attaches every program and opens the ring buffer. Must be called
    /// inside a tokio runtime (the ring buffer is registered with its reactor).
    pub fn load(agent_tgid: u32, ring_bytes: u32) -> Result<Probe, KernelError> {
        if !nix_is_root() {
            return Err(KernelError::NotRoot);
        }
        super::ensure_mounts();
        super::check_ring_size(ring_bytes)?;
        let (mut bpf, skipped) = load_and_attach(agent_tgid, ring_bytes)?;
        // The ring buffer is mapped only now, after the parsed kernel BTF was freed, so the two
        // never count in the resident set together.
        let map = bpf
            .take_map("events")
            .ok_or_else(|| KernelError::Map("events", "missing".into()))?;
        let ring = RingBuf::try_from(map).map_err(|e| KernelError::Map("events", e.to_string()))?;
        // `AsyncFd::new` is deprecated because a caller could close the fd while it is
        // registered; here the AsyncFd owns the RingBuf that owns the fd, so it cannot.
        #[allow(deprecated)]
        let ring = AsyncFd::with_interest(ring, tokio::io::Interest::READABLE)
            .map_err(|e| KernelError::Map("events", e.to_string()))?;
        Ok(Probe { bpf, ring, skipped })
    }

    /// Tracepoints absent from this kernel and therefore not watched.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    /// Emitted and dropped counters, summed over CPUs.
    pub fn stats(&self) -> Result<KernelStats, KernelError> {
        let map = self
            .bpf
            .map("stats")
            .ok_or_else(|| KernelError::Map("stats", "missing".into()))?;
        let arr: PerCpuArray<&MapData, u64> =
            PerCpuArray::try_from(map).map_err(|e| KernelError::Map("stats", e.to_string()))?;
        let sum = |i: u32| -> Result<u64, KernelError> {
            let v = arr
                .get(&i, 0)
                .map_err(|e| KernelError::Map("stats", e.to_string()))?;
            Ok(v.iter().sum())
        };
        Ok(KernelStats {
            emitted: sum(0)?,
            dropped: sum(1)?,
        })
    }

    /// Waits until the ring buffer has data, then moves every available record into `out`.
    pub async fn next_batch(&mut self, out: &mut Vec<Vec<u8>>) -> std::io::Result<()> {
        let mut guard = self.ring.readable_mut().await?;
        let ring = guard.get_inner_mut();
        while let Some(item) = ring.next() {
            out.push(item.to_vec());
        }
        guard.clear_ready();
        Ok(())
    }

    /// Moves every record still in the ring buffer into `out` without waiting.
    pub fn drain(&mut self, out: &mut Vec<Vec<u8>>) {
        let ring = self.ring.get_mut();
        while let Some(item) = ring.next() {
            out.push(item.to_vec());
        }
    }
}

/// Loads the object and attaches every program; returns the programs and the tracepoints
/// skipped. The kernel's BTF is parsed once (several MB) for both CO-RE relocation and the
/// BTF tracepoints, and freed on return.
fn load_and_attach(agent_tgid: u32, ring_bytes: u32) -> Result<(Ebpf, Vec<String>), KernelError> {
    let btf = Btf::from_sys_fs().map_err(|e| KernelError::Load(error_chain(&e)))?;
    let mut loader = EbpfLoader::new();
    loader.btf(Some(&btf));
    loader.override_global("agent_tgid", &agent_tgid, true);
    loader.map_max_entries("events", ring_bytes);
    let mut bpf = loader
        .load(OBJECT)
        .map_err(|e| KernelError::Load(error_chain(&e)))?;
    let mut skipped = Vec::new();
    for (prog, category, name, optional) in TRACEPOINTS {
        if *optional && !tracepoint_exists(category, name) {
            skipped.push(format!("{category}/{name}"));
            continue;
        }
        let attach = attach_error(prog, format!("{category}/{name}"));
        let p: &mut TracePoint = program(&mut bpf, prog, &attach)?;
        p.load().map_err(|e| attach(format!("{e:?}")))?;
        p.attach(category, name)
            .map_err(|e| attach(e.to_string()))?;
    }
    for (prog, tp) in BTF_TRACEPOINTS {
        let attach = attach_error(prog, format!("tp_btf/{tp}"));
        let p: &mut BtfTracePoint = program(&mut bpf, prog, &attach)?;
        p.load(tp, &btf).map_err(|e| attach(format!("{e:?}")))?;
        p.attach().map_err(|e| attach(e.to_string()))?;
    }
    Ok((bpf, skipped))
}

/// An attach failure of `program` on `target`, given the reason.
fn attach_error(program: &str, target: String) -> impl Fn(String) -> KernelError + '_ {
    move |reason| KernelError::Attach {
        program: program.to_string(),
        target: target.clone(),
        reason,
    }
}

/// The program `name` of the loaded object, as the program type `T`.
fn program<'a, T>(
    bpf: &'a mut Ebpf,
    name: &str,
    attach: &impl Fn(String) -> KernelError,
) -> Result<&'a mut T, KernelError>
where
    &'a mut T: TryFrom<&'a mut aya::programs::Program, Error = aya::programs::ProgramError>,
{
    bpf.program_mut(name)
        .ok_or_else(|| attach("program missing from the object".into()))?
        .try_into()
        .map_err(|e: aya::programs::ProgramError| attach(e.to_string()))
}

fn nix_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

/// An error with its causes, `a: b: c` (aya's top-level messages alone are vague).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

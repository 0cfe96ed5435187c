//! Loading and attaching the BPF programs, and reading their counters.
//!
//! Only tracepoints are used (`tracepoint/*` through tracefs and one `raw_tp`). Tracepoints that
//! the running kernel lacks (e.g. `init_module` on kernels without module support) are skipped
//! and listed in [`Probe::skipped`]; every other attach failure is an error.

#[cfg(rampart_bpf)]
mod load;

use std::path::Path;
use std::process::Command;

/// Why the kernel side could not start.
#[derive(Debug, thiserror::Error)]
pub enum KernelError {
    #[error("built without eBPF support: install clang, bpftool and libbpf-dev (scripts/install-agent-deps.sh) and rebuild")]
    NotBuilt,
    #[error("the agent must run as root (or with CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN)")]
    NotRoot,
    #[error("cannot load the BPF object: {0}")]
    Load(String),
    #[error("cannot attach {program} to {target}: {reason}")]
    Attach {
        program: String,
        target: String,
        reason: String,
    },
    #[error("BPF map {0}: {1}")]
    Map(&'static str, String),
}

/// Whether this build contains the BPF object.
pub const BUILT_WITH_BPF: bool = cfg!(rampart_bpf);

/// Kernel-side counters, summed over CPUs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KernelStats {
    /// Events the programs tried to send.
    pub emitted: u64,
    /// Events lost because the ring buffer was full.
    pub dropped: u64,
}

/// Mounts tracefs and bpffs when absent (tracepoint attachment needs tracefs).
pub fn ensure_mounts() {
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let has = |fstype: &str| {
        mounts
            .lines()
            .any(|l| l.split_whitespace().nth(2) == Some(fstype))
    };
    if !has("tracefs") && Path::new("/sys/kernel/tracing").is_dir() {
        let _ = Command::new("mount")
            .args(["-t", "tracefs", "nodev", "/sys/kernel/tracing"])
            .status();
    }
    if !has("bpf") && Path::new("/sys/fs/bpf").is_dir() {
        let _ = Command::new("mount")
            .args(["-t", "bpf", "bpf", "/sys/fs/bpf"])
            .status();
    }
}

#[cfg(rampart_bpf)]
pub use load::Probe;

/// Stand-in when the object was not built: loading always fails with [`KernelError::NotBuilt`].
#[cfg(not(rampart_bpf))]
#[derive(Debug)]
pub struct Probe {
    _private: (),
}

#[cfg(not(rampart_bpf))]
impl Probe {
    pub fn load(_agent_tgid: u32) -> Result<Probe, KernelError> {
        Err(KernelError::NotBuilt)
    }
    pub fn skipped(&self) -> &[String] {
        &[]
    }
    pub fn stats(&self) -> Result<KernelStats, KernelError> {
        Ok(KernelStats::default())
    }
    pub async fn next_batch(&mut self, _out: &mut Vec<Vec<u8>>) -> std::io::Result<()> {
        std::future::pending::<()>().await;
        Ok(())
    }
    pub fn drain(&mut self, _out: &mut Vec<Vec<u8>>) {}
}

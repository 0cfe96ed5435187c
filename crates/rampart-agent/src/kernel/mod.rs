//! Loading and attaching the BPF programs, and reading their counters.
//!
//! Only tracepoints are used (`tracepoint/*` through tracefs and two `tp_btf`). Tracepoints that
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
    #[error("ring buffer size {0} must be a power of two from 4 KiB to 1 GiB")]
    RingSize(u64),
}

/// Default ring-buffer size. Records are 120–376 bytes (an open with a typical path ~170),
/// so 8 MiB holds ~50,000 events: over a second of the open/connect storm's peak rate
/// (~180,000 events/s) without the agent draining anything, while the agent drains every
/// 20 ms. See docs/benchmarks/agent.md for the zero-loss runs at this size.
pub const DEFAULT_RING_BYTES: u32 = 8 << 20;

/// The kernel requires a power of two that is a multiple of the page size.
fn check_ring_size(bytes: u32) -> Result<(), KernelError> {
    if bytes.is_power_of_two() && (4096..=1 << 30).contains(&bytes) {
        Ok(())
    } else {
        Err(KernelError::RingSize(u64::from(bytes)))
    }
}

/// Parses a ring-buffer size: bytes, or a number with `K`, `M` or `G` (binary units, an
/// optional trailing `iB`/`B`), e.g. `8M`, `512KiB`, `1G`; a power of two from 4 KiB to 1 GiB.
pub fn parse_ring_size(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (num, shift) = match t.char_indices().last() {
        Some((i, 'K' | 'k')) => (&t[..i], 10),
        Some((i, 'M' | 'm')) => (&t[..i], 20),
        Some((i, 'G' | 'g')) => (&t[..i], 30),
        _ => (t, 0),
    };
    let bad = || format!("`{s}` is not a ring-buffer size (a power of two from 4K to 1G, e.g. 8M)");
    let n: u64 = num.trim().parse().map_err(|_| bad())?;
    let bytes = n
        .checked_shl(shift)
        .filter(|b| b >> shift == n)
        .ok_or_else(bad)?;
    let bytes = u32::try_from(bytes).map_err(|_| bad())?;
    check_ring_size(bytes).map_err(|_| bad())?;
    Ok(bytes)
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
    pub fn load(_agent_tgid: u32, ring_bytes: u32) -> Result<Probe, KernelError> {
        check_ring_size(ring_bytes)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ring_sizes() {
        assert_eq!(parse_ring_size("8M"), Ok(8 << 20));
        assert_eq!(parse_ring_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_ring_size("4096"), Ok(4096));
        assert_eq!(parse_ring_size("1G"), Ok(1 << 30));
        assert_eq!(parse_ring_size(" 16 MB "), Ok(16 << 20));
        for bad in ["3M", "2K", "2G", "x", "", "99999999999999999999G", "-8M"] {
            assert!(parse_ring_size(bad).is_err(), "{bad}");
        }
        assert!(check_ring_size(DEFAULT_RING_BYTES).is_ok());
    }
}

//! Rampart's runtime node agent.
//!
//! Kernel and privilege assumptions, stated up front: the agent runs as root on Linux ≥ 5.15 with
//! BTF (`/sys/kernel/btf/vmlinux`: `tp_btf` programs, `bpf_get_current_task_btf`,
//! `bpf_task_pt_regs`) and uses **tracepoints only** (no kprobes, fentry or BPF-LSM,
//! which some kernels refuse). It mounts tracefs and bpffs when they are absent. Ring-buffer
//! memory is charged to the agent's memory cgroup (kernel ≥ 5.11), so no memlock rlimit is
//! needed.
//!
//! Data flow: BPF programs (`src/bpf/agent.bpf.c`, built by `build.rs`) filter in the kernel and
//! write records cut to their kind's size to one ring buffer → [`event::raw::decode`] →
//! [`proc_table`] adds the ancestry → [`attrib`] resolves cgroup id → container → pod over CRI →
//! [`rules::RuleSet`] produces alerts → JSON lines, with drop and event counters exported as
//! Prometheus metrics.

pub mod attrib;
pub mod event;
pub mod kernel;
pub mod metrics;
pub mod output;
pub mod proc_table;
pub mod rules;
pub mod run;
pub mod testkit;

pub use run::{run, Options, RunError, Summary};

//! CIS Kubernetes Benchmark checks for the control plane, etcd and the kubelet.
//!
//! The flow: a [`NodeFs`] (a node's files, live or copied, with modes from `stat` or a stat
//! list) → [`node::gather`] finds each component's command line, environment and config files,
//! every value with its file and line → each check (flag checks per component, file
//! mode/ownership checks, manual recommendations) decides pass/fail/skip with evidence →
//! [`Report`], rendered by [`report`]. Check semantics follow kube-bench's `cis-1.12` tests,
//! with exact flag parsing instead of substring matching (see `docs/cis.md`).
//!
//! The same flag checks run inside `rampart scan` over static pod manifests ([`scan`]).

pub mod catalog;
pub mod check;
pub mod checks;
pub mod ciphers;
pub mod encryption;
pub mod flags;
pub mod fs;
pub mod host;
pub mod node;
pub mod pod;
pub mod report;
pub mod scan;
pub mod stat;
pub mod subject;
pub mod systemd;
pub mod version;
pub mod words;

pub use catalog::{all_checks, evaluate, evaluate_with, Report, Summary};
pub use check::{CheckResult, Status, BENCHMARK};
pub use fs::{FileMeta, MemFs, NodeFs};
pub use host::HostFs;
pub use stat::StatTable;

//! Audit logging for Kubernetes: what kube-apiserver records and what the records reveal.
//!
//! - [`policy`]: the `audit.k8s.io/v1` Policy, evaluated exactly as the API server does.
//! - [`lint`]: mistakes in policies (credentials logged with bodies, shadowed rules, no
//!   catch-all, …) and in the API server's audit flags, as `rampart scan` findings.
//! - [`detect`]: streaming detections over audit logs (JSON lines or `EventList`).
//!
//! Engines here do no I/O of their own except reading the `Read` they are handed.
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod analysis;
pub mod detect;
pub mod lint;
pub mod policy;

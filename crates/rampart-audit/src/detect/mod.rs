//! Detections over kube-apiserver audit logs.
//!
//! [`Detector::run`] streams a log (JSON lines of `audit.k8s.io/v1` Event, or `EventList`
//! documents) through every rule of [`rules`] and emits findings with `category: audit`, the
//! event's `audit_id`, the request's object and MITRE ATT&CK techniques. Only
//! `ResponseComplete` events of successful requests are judged. [`follow`] tails a growing
//! file. Memory is bounded: chunks of lines, and at most [`state::CAPACITY`] remembered keys.

mod config;
mod csr;
mod document;
mod engine;
mod event;
mod fast;
mod follow;
pub mod rules;
pub mod state;
mod stream;

pub use config::{ConfigError, DetectConfig, Scope};
pub use follow::{follow, FollowOptions};
pub use stream::{Detector, Emitted, Stats, E_BAD_EVENT};

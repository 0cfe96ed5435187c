//! Rampart's validating admission webhook: Pod Security Admission exactly as upstream decides
//! it (through `rampart-pss`), plus opt-in Rampart workload rules, served over HTTPS as
//! `admission.k8s.io/v1` `AdmissionReview`.
//!
//! Layers, outside in: [`server`] (TLS, HTTP, limits, metrics, shutdown) → [`review`] (the
//! wire format) → [`decide`] (which policy applies to a request and what it says) →
//! [`state`] (namespace labels and pods, from a file or a live watch in [`kube`]). [`reload`]
//! swaps certificates and configuration while running; [`certs`] and [`manifests`] help deploy
//! it.

pub mod certs;
pub mod client;
pub mod config;
pub mod decide;
pub mod kube;
pub mod load;
pub mod manifests;
pub mod metrics;
pub mod reload;
pub mod review;
pub mod run;
pub mod server;
pub mod state;
pub mod tls;

pub use decide::{Answer, Engine, Policy, Route};
pub use review::{Outcome, ReviewRequest, Status};
pub use server::{AppState, Server, TlsFiles};
pub use state::{ClusterState, StaticState};

//! NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy semantics and reachability.
//!
//! [`Cluster::from_objects`] reads Namespaces, Pods (or workload templates), Nodes and the
//! three policy kinds; [`eval::evaluate`] decides one connection and says which policies and
//! rules decided; [`matrix`] computes every pod-to-pod verdict on the ports pods expose, fast
//! enough for thousands of pods; [`lints`] finds gaps in a cluster's isolation.

pub mod error;
pub mod eval;
pub mod lints;
pub mod matrix;
pub mod model;
pub mod protocol;
pub mod selector;

pub use error::{Issue, SpecError};
pub use eval::{evaluate, Decision, EvalOptions, Query, Target, Verdict};
pub use model::{Cluster, ResolveError};
pub use protocol::{PortProto, Protocol};

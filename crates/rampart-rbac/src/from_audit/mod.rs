//! `rampart rbac from-audit`: the least-privilege Roles and ClusterRoles (with bindings) that
//! would have allowed exactly the requests an identity made, read from an audit log.
//!
//! Namespaced requests become a Role per namespace, bound by a RoleBinding there;
//! cluster-scoped and all-namespace requests and non-resource URLs become one ClusterRole
//! bound by a ClusterRoleBinding. Names are kept as `resourceNames` when every request for a
//! (group, resource, verb) named its object; rules are merged only where that grants nothing
//! beyond the requests.

mod log;
mod synth;
mod yaml;

pub use log::{parse, Event, E_AUDIT};
pub use synth::{least_privilege, Generated};

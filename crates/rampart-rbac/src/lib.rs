//! Kubernetes RBAC, offline and exact: the decisions of kube-apiserver's RBAC authorizer
//! (fed by the ClusterRole aggregation controller, for the identity impersonation builds),
//! `who-can`, privilege-escalation paths, risky-permission rules and least-privilege roles
//! from audit logs.
//!
//! Flow: loaded manifests → [`Inventory`] (the objects as written, malformed ones reported) →
//! [`Policy`] (roles with aggregated rules, bindings with resolved roles, indexes) →
//! [`Policy::can_i`] / [`Policy::who_can`], [`escalation::analyze`], [`lints::scan`].
//! Nothing here does I/O; the binary loads files and prints.

mod aggregate;
mod authorize;
pub mod bootstrap;
pub mod brute;
pub mod escalation;
pub mod from_audit;
mod identity;
mod index;
pub mod lints;
mod matcher;
mod model;
mod parse;
mod policy;
pub mod query;
pub mod report;
mod request;
mod scope;
mod selector;

pub use authorize::{Decision, Grant, Holder};
pub use identity::{split_service_account, Identity};
pub use matcher::allows;
pub use model::{
    BindingDef, BindingKind, Origin, PolicyRule, RoleDef, RoleKind, RoleRef, Subject, SubjectDef,
};
pub use parse::{Inventory, Workload};
pub use policy::{Binding, Policy, Role};
pub use request::{Request, RequestError, ResourceRequest, Target};
pub use scope::{is_cluster_scoped, namespace_warning};
pub use selector::LabelSelector;

use rampart_manifest::Object;
use rampart_model::InputError;

/// A cluster's RBAC state built from loaded objects.
#[derive(Debug)]
pub struct Cluster {
    pub inventory: Inventory,
    pub policy: Policy,
    /// Malformed RBAC objects and aggregation cycles.
    pub errors: Vec<InputError>,
}

impl Cluster {
    /// Reads `objects`, on top of the bootstrap set when `with_bootstrap` is set.
    pub fn from_objects(objects: &[Object], with_bootstrap: bool) -> Cluster {
        let mut errors = Vec::new();
        let inventory = Inventory::from_objects(objects, &mut errors);
        let builtin = with_bootstrap.then(bootstrap::inventory);
        let (policy, cycle_errors) = Policy::build(builtin, &inventory);
        errors.extend(cycle_errors);
        Cluster {
            inventory,
            policy,
            errors,
        }
    }
}

//! Pod Security Admission around the checks: which policy applies to a request (configured
//! defaults, namespace labels, exemptions) and what each mode says, as the upstream admission
//! library decides (spec `admission.md` §2–§5). Shared by `rampart pss check --admission-config`
//! and the admission webhook.
//!
//! Per request the work is: a few hash lookups for exemptions, label parsing (no allocation
//! unless a label is invalid), one decode of the pod into borrowed views, and one evaluation per
//! distinct level:version among the modes (results are reused, as upstream does).

mod config;
mod decision;
mod namespace;
mod policy;
mod update;

pub use config::{ConfigError, PodSecurityConfiguration};
pub use decision::{AdmissionPolicy, Decision, Exemption, Request};
pub use namespace::{existing_pod_warnings, MAX_PODS_TO_CHECK};
pub use policy::{
    aggregate, resolve, validate_labels, LabelError, Labels, NoLabels, Policy, AUDIT_LABEL,
    AUDIT_VERSION_LABEL, ENFORCE_LABEL, ENFORCE_VERSION_LABEL, WARN_LABEL, WARN_VERSION_LABEL,
};
pub use update::is_significant_pod_update;

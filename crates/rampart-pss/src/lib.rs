//! Pod Security Standards exactly as Kubernetes Pod Security Admission decides them, for every
//! level and policy version, plus the `PodSecurityConfiguration` policy resolution the
//! admission webhook and `rampart pss check --admission-config` share.
//!
//! Flow: find the pod in an object ([`template`]) → decode it like the API server would
//! ([`Pod::decode`]: type errors are input errors, never verdicts; defaulting applied) →
//! [`Evaluator::evaluate`] runs the checks of a [`LevelVersion`] in upstream's order and
//! returns a [`Verdict`] whose [`Violation`]s carry upstream's check ID, reason and detail, plus
//! [`Location`]s of the offending fields. [`admission`] layers namespace labels, defaults and
//! exemptions on top.
//!
//! Nothing here does I/O.

pub mod admission;
mod check;
mod checks;
pub mod conformance;
mod decode;
mod evaluate;
mod format;
mod level;
pub mod object;
mod pod;
pub mod recommend;
pub mod report;
pub mod template;
mod volume;

pub use check::{CheckId, Location, Violation};
pub use decode::{DecodeError, Root};
pub use evaluate::{Evaluator, Verdict};
pub use level::{Level, LevelVersion, ParseError, Version, NEWEST_MINOR};
pub use pod::{
    Capabilities, Container, ContainerKind, HostField, Pod, PodInput, SeLinux, SecurityContext,
    Volume, VolumeType,
};

/// The rule metadata of every check (`RMP2001`–`RMP2019`), in rule-id order.
pub fn rules() -> Vec<&'static rampart_model::RuleMeta> {
    let mut v: Vec<_> = CheckId::ALL.iter().map(|c| c.meta()).collect();
    v.sort_by_key(|m| m.id);
    v
}

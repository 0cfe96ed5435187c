//! The 19 upstream checks: their IDs, levels, per-version variants and overrides.

use std::fmt;

use rampart_model::{JsonPath, RuleMeta};

use crate::checks;
use crate::level::Level;
use crate::pod::{ContainerKind, HostField, Pod};

/// An upstream check ID, spelt as upstream spells it. Declared in upstream's run order: baseline
/// IDs sorted by byte order, then restricted IDs sorted by byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckId {
    AppArmorProfile,
    CapabilitiesBaseline,
    HostNamespaces,
    HostPathVolumes,
    HostPorts,
    HostProbesAndHostLifecycle,
    Privileged,
    ProcMount,
    SeLinuxOptions,
    SeccompProfileBaseline,
    Sysctls,
    WindowsHostProcess,
    AllowPrivilegeEscalation,
    CapabilitiesRestricted,
    ProcMountRestricted,
    RestrictedVolumes,
    RunAsNonRoot,
    RunAsUser,
    SeccompProfileRestricted,
}

impl CheckId {
    /// Every check in run order.
    pub const ALL: [CheckId; 19] = [
        CheckId::AppArmorProfile,
        CheckId::CapabilitiesBaseline,
        CheckId::HostNamespaces,
        CheckId::HostPathVolumes,
        CheckId::HostPorts,
        CheckId::HostProbesAndHostLifecycle,
        CheckId::Privileged,
        CheckId::ProcMount,
        CheckId::SeLinuxOptions,
        CheckId::SeccompProfileBaseline,
        CheckId::Sysctls,
        CheckId::WindowsHostProcess,
        CheckId::AllowPrivilegeEscalation,
        CheckId::CapabilitiesRestricted,
        CheckId::ProcMountRestricted,
        CheckId::RestrictedVolumes,
        CheckId::RunAsNonRoot,
        CheckId::RunAsUser,
        CheckId::SeccompProfileRestricted,
    ];

    /// The upstream ID.
    pub fn as_str(self) -> &'static str {
        self.def().id
    }

    /// Parses an upstream ID (exact spelling).
    pub fn parse(s: &str) -> Option<CheckId> {
        CheckId::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Parses an ID written in lower case, as upstream's fixture file names write it.
    pub fn parse_lowercase(s: &str) -> Option<CheckId> {
        CheckId::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
    }

    /// The level the check belongs to.
    pub fn level(self) -> Level {
        self.def().level
    }

    /// The Rampart rule (`RMP20xx`) that reports this check in `rampart scan`.
    pub fn meta(self) -> &'static RuleMeta {
        self.def().meta
    }

    /// The first policy minor version at which the check runs.
    pub fn since(self) -> u64 {
        self.def().variants.first().map_or(0, |v| v.0)
    }

    /// The baseline check this restricted check replaces from `since` on, if any.
    pub fn overrides(self) -> Option<(CheckId, u64)> {
        self.def().overrides
    }

    /// The variant that runs at `minor`, if the check exists there.
    pub(crate) fn variant(self, minor: u64) -> Option<CheckFn> {
        self.def()
            .variants
            .iter()
            .rev()
            .find(|(from, _)| *from <= minor)
            .map(|(_, f)| *f)
    }

    fn def(self) -> &'static CheckDef {
        checks::definition(self)
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A check variant: the pod's failure, if it fails.
pub(crate) type CheckFn = fn(&Pod<'_>) -> Option<Failure>;

/// What a check module declares about itself.
pub(crate) struct CheckDef {
    pub id: &'static str,
    pub level: Level,
    /// (first minor version, behaviour), oldest first.
    pub variants: &'static [(u64, CheckFn)],
    /// For restricted checks that replace a baseline one: (baseline check, from minor).
    pub overrides: Option<(CheckId, u64)>,
    pub meta: &'static RuleMeta,
}

/// A failed check, before it is tagged with its ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub reason: &'static str,
    pub detail: String,
    pub locations: Vec<Location>,
}

/// One reason a pod is not allowed, with upstream's reason and detail strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub check: CheckId,
    pub reason: &'static str,
    pub detail: String,
    /// The offending fields (for pointing at them in a file).
    pub locations: Vec<Location>,
}

impl Violation {
    /// `reason (detail)`, or just the reason when the detail is empty (upstream's format).
    pub fn summary(&self) -> String {
        if self.detail.is_empty() {
            self.reason.to_string()
        } else {
            format!("{} ({})", self.reason, self.detail)
        }
    }
}

/// An offending field, relative to the pod's spec or metadata. Cheap to build: paths are only
/// materialised when asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A field under the pod spec, such as `["securityContext", "runAsNonRoot"]`.
    Spec(&'static [&'static str]),
    /// A field under a container, such as `["securityContext", "privileged"]`.
    Container {
        kind: ContainerKind,
        index: usize,
        field: &'static [&'static str],
    },
    /// `ports[port].hostPort` of a container.
    HostPort {
        kind: ContainerKind,
        index: usize,
        port: usize,
    },
    /// A probe or lifecycle handler's `host`.
    ProbeHost {
        kind: ContainerKind,
        index: usize,
        field: HostField,
    },
    /// `volumes[index]`, or one of its fields.
    Volume {
        index: usize,
        field: Option<&'static str>,
    },
    /// `securityContext.sysctls[index].name`.
    Sysctl(usize),
    /// `metadata.annotations[key]`.
    Annotation(String),
}

impl Location {
    /// The field's path below the object root, given where the pod's metadata and spec are.
    pub fn path(&self, meta_path: &JsonPath, spec_path: &JsonPath) -> JsonPath {
        let keys = |mut p: JsonPath, ks: &[&str]| {
            for k in ks {
                p = p.key(*k);
            }
            p
        };
        let container =
            |kind: &ContainerKind, index: usize| spec_path.key(kind.field()).index(index);
        match self {
            Location::Spec(f) => keys(spec_path.clone(), f),
            Location::Container { kind, index, field } => keys(container(kind, *index), field),
            Location::HostPort { kind, index, port } => container(kind, *index)
                .key("ports")
                .index(*port)
                .key("hostPort"),
            Location::ProbeHost { kind, index, field } => {
                let base = container(kind, *index);
                let base = keys(base, &field.handler.split('.').collect::<Vec<_>>());
                base.key(field.action).key("host")
            }
            Location::Volume { index, field } => {
                let p = spec_path.key("volumes").index(*index);
                match field {
                    Some(f) => p.key(*f),
                    None => p,
                }
            }
            Location::Sysctl(i) => spec_path
                .key("securityContext")
                .key("sysctls")
                .index(*i)
                .key("name"),
            Location::Annotation(k) => meta_path.key("annotations").key(k.clone()),
        }
    }

    /// The container the field belongs to, if any.
    pub fn container(&self) -> Option<(ContainerKind, usize)> {
        match self {
            Location::Container { kind, index, .. }
            | Location::HostPort { kind, index, .. }
            | Location::ProbeHost { kind, index, .. } => Some((*kind, *index)),
            _ => None,
        }
    }
}

//! One module per upstream check: its rule metadata next to its logic, one function per
//! upstream variant. The registry here is the single list.

use crate::check::{CheckDef, CheckId, Location};
use crate::pod::Container;

mod allow_privilege_escalation;
mod app_armor_profile;
mod capabilities_baseline;
mod capabilities_restricted;
mod host_namespaces;
mod host_path_volumes;
mod host_ports;
mod host_probes;
mod privileged;
mod proc_mount;
mod proc_mount_restricted;
mod restricted_volumes;
mod run_as_non_root;
mod run_as_user;
mod se_linux_options;
mod seccomp_baseline;
mod seccomp_restricted;
mod sysctls;
mod windows_host_process;

pub(crate) fn definition(id: CheckId) -> &'static CheckDef {
    match id {
        CheckId::AppArmorProfile => &app_armor_profile::DEF,
        CheckId::CapabilitiesBaseline => &capabilities_baseline::DEF,
        CheckId::HostNamespaces => &host_namespaces::DEF,
        CheckId::HostPathVolumes => &host_path_volumes::DEF,
        CheckId::HostPorts => &host_ports::DEF,
        CheckId::HostProbesAndHostLifecycle => &host_probes::DEF,
        CheckId::Privileged => &privileged::DEF,
        CheckId::ProcMount => &proc_mount::DEF,
        CheckId::SeLinuxOptions => &se_linux_options::DEF,
        CheckId::SeccompProfileBaseline => &seccomp_baseline::DEF,
        CheckId::Sysctls => &sysctls::DEF,
        CheckId::WindowsHostProcess => &windows_host_process::DEF,
        CheckId::AllowPrivilegeEscalation => &allow_privilege_escalation::DEF,
        CheckId::CapabilitiesRestricted => &capabilities_restricted::DEF,
        CheckId::ProcMountRestricted => &proc_mount_restricted::DEF,
        CheckId::RestrictedVolumes => &restricted_volumes::DEF,
        CheckId::RunAsNonRoot => &run_as_non_root::DEF,
        CheckId::RunAsUser => &run_as_user::DEF,
        CheckId::SeccompProfileRestricted => &seccomp_restricted::DEF,
    }
}

/// A field of a container.
pub(crate) fn at(c: &Container<'_>, field: &'static [&'static str]) -> Location {
    Location::Container {
        kind: c.kind,
        index: c.index,
        field,
    }
}

pub(crate) const REFERENCES: &[&str] = &[
    "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
    "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
];

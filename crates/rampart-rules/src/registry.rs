//! The registry: the single ordered list of workload rules.
//!
//! `rampart rules`, `rampart explain`, the generated `docs/rules.md` and the SARIF `rules` array
//! all read this list. Ids are stable and never reused; the list is kept in id order.

use rampart_model::RuleMeta;

use crate::rule_context::{RuleContext, Sink};
use crate::rules;

/// A rule's check: reads the context, reports into the sink.
pub type CheckFn = fn(&RuleContext<'_>, &mut Sink<'_>);

/// A rule: its metadata and its check.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: CheckFn,
}

macro_rules! registry {
    ($($m:ident),* $(,)?) => {
        /// Every workload rule, in id order.
        pub static RULES: &[Rule] = &[$(Rule { meta: &rules::$m::META, check: rules::$m::check }),*];
    };
}

registry![
    run_as_non_root_missing,
    run_as_non_root_false,
    run_as_user_root,
    run_as_group_root,
    writable_root_filesystem,
    allow_privilege_escalation,
    capabilities_not_dropped,
    cap_sys_admin,
    cap_all,
    cap_net_raw,
    cap_net_admin,
    cap_sys_ptrace,
    cap_sys_module,
    dangerous_capability,
    non_default_capability,
    privileged_container,
    host_pid,
    host_ipc,
    host_network,
    host_path_volume,
    sensitive_host_path,
    container_runtime_socket,
    writable_host_path_mount,
    host_port,
    seccomp_profile_missing,
    seccomp_unconfined,
    apparmor_unconfined,
    selinux_custom_options,
    proc_mount_unmasked,
    unsafe_sysctl,
    cpu_request_missing,
    memory_request_missing,
    cpu_limit_missing,
    memory_limit_missing,
    image_latest_tag,
    image_untagged,
    image_without_digest,
    mutable_image_pull_policy,
    service_account_token_automount,
    default_service_account,
    liveness_probe_missing,
    readiness_probe_missing,
    share_process_namespace,
    service_node_port,
    load_balancer_open,
    service_external_ips,
    ingress_without_tls,
    ingress_host_without_tls,
    default_namespace,
    kube_system_namespace,
    windows_host_process,
    probe_host,
    legacy_seccomp_annotation,
    git_repo_volume,
    ingress_nginx_snippet,
];

#[cfg(test)]
mod tests;

//! The detections: one file per rule, each with its metadata next to its logic. This list is
//! the registry; `rampart rules`, `explain`, the docs and SARIF read it through [`metas`].

use rampart_model::RuleMeta;

use super::event::Ctx;

mod rmp6101_exec_into_container;
mod rmp6102_ephemeral_container;
mod rmp6103_privileged_workload;
mod rmp6104_host_namespace_workload;
mod rmp6105_hostpath_workload;
mod rmp6106_pod_in_system_namespace;
mod rmp6107_secrets_listed_cluster_wide;
mod rmp6108_secret_read_across_namespaces;
mod rmp6109_secret_read_anonymously;
mod rmp6110_escalation_role_created;
mod rmp6111_cluster_admin_binding;
mod rmp6112_escalation_role_bound;
mod rmp6113_impersonation;
mod rmp6114_token_for_other_identity;
mod rmp6115_anonymous_request_allowed;
mod rmp6116_kubelet_exec_via_proxy;
mod rmp6117_kubelet_api_via_proxy;
mod rmp6118_webhook_deleted;
mod rmp6119_webhook_configured;
mod rmp6120_masters_csr_created;
mod rmp6121_masters_csr_approved;
mod rmp6122_events_deleted;
mod rmp6123_serviceaccount_in_system_namespace;
mod rmp6124_nodeport_service;
mod rmp6125_configmap_credentials;
mod rmp6126_port_forward;
mod rmp6127_legacy_token_secret;
mod rmp6128_aws_auth_modified;

pub(crate) mod workload;

/// What a rule remembers across events, or asks about: the only state detection keeps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    /// A ClusterRole (by name) seen granting escalate, bind or impersonate.
    ClusterRole(String),
    /// A Role (namespace, name) seen granting them.
    Role(String, String),
    /// A CSR (by name) whose subject is in `system:masters`.
    MastersCsr(String),
}

/// A rule's verdict for one event.
#[derive(Debug, Clone)]
pub(crate) enum Pending {
    /// Report now.
    Hit(&'static RuleMeta, String),
    /// Remember this for later events.
    Remember(Key),
    /// Report if this was remembered by an earlier event.
    IfRemembered(Key, &'static RuleMeta, String),
}

/// Collects verdicts while the rules run over one event.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub(crate) items: Vec<Pending>,
}

impl Out {
    pub(crate) fn hit(&mut self, meta: &'static RuleMeta, message: String) {
        self.items.push(Pending::Hit(meta, message));
    }
}

/// A detection: its metadata and its check.
pub(crate) struct Rule {
    pub(crate) meta: &'static RuleMeta,
    pub(crate) check: fn(&Ctx<'_, '_>, &mut Out),
}

macro_rules! registry {
    ($($m:ident),* $(,)?) => {
        pub(crate) static RULES: &[Rule] = &[$(Rule { meta: &$m::META, check: $m::check }),*];
    };
}

registry!(
    rmp6101_exec_into_container,
    rmp6102_ephemeral_container,
    rmp6103_privileged_workload,
    rmp6104_host_namespace_workload,
    rmp6105_hostpath_workload,
    rmp6106_pod_in_system_namespace,
    rmp6107_secrets_listed_cluster_wide,
    rmp6108_secret_read_across_namespaces,
    rmp6109_secret_read_anonymously,
    rmp6110_escalation_role_created,
    rmp6111_cluster_admin_binding,
    rmp6112_escalation_role_bound,
    rmp6113_impersonation,
    rmp6114_token_for_other_identity,
    rmp6115_anonymous_request_allowed,
    rmp6116_kubelet_exec_via_proxy,
    rmp6117_kubelet_api_via_proxy,
    rmp6118_webhook_deleted,
    rmp6119_webhook_configured,
    rmp6120_masters_csr_created,
    rmp6121_masters_csr_approved,
    rmp6122_events_deleted,
    rmp6123_serviceaccount_in_system_namespace,
    rmp6124_nodeport_service,
    rmp6125_configmap_credentials,
    rmp6126_port_forward,
    rmp6127_legacy_token_secret,
    rmp6128_aws_auth_modified,
);

/// Metadata of every detection, in id order.
pub fn metas() -> Vec<&'static RuleMeta> {
    RULES.iter().map(|r| r.meta).collect()
}

/// Shared reference links.
pub(crate) const AUDIT_DOC: &str = "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/";

pub(crate) fn system_namespace(ns: &str) -> bool {
    ns == "kube-system" || ns == "kube-public"
}

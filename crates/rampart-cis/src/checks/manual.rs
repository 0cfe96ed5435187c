//! Recommendations without an automated test: reported `manual`, with where Rampart can help.

use crate::check::{CheckMeta, Group};

/// A recommendation a person must decide.
#[derive(Debug)]
pub struct ManualCheck {
    pub meta: CheckMeta,
    /// What to look at, and which Rampart command answers it from manifests.
    pub hint: &'static str,
}

macro_rules! manual {
    ($id:literal, $group:ident, $scored:literal, $title:literal, $hint:literal) => {
        ManualCheck {
            meta: CheckMeta {
                id: $id,
                title: $title,
                group: Group::$group,
                scored: false,
                automated: $scored,
                remediation: $hint,
            },
            hint: $hint,
        }
    };
}

pub(crate) static CHECKS: &[ManualCheck] = &[
    manual!("1.2.20", ApiServer, false, "API server request timeout is set as appropriate (--request-timeout)", "Set --request-timeout only if the default 60s is too short for large LIST calls."),
    manual!("3.1.1", ControlPlaneConfig, false, "Client certificate authentication is not used for users", "Use OIDC or another identity provider for people; client certificates cannot be revoked."),
    manual!("3.1.2", ControlPlaneConfig, false, "Service account token authentication is not used for users", "Give people their own identities, not service-account tokens."),
    manual!("3.1.3", ControlPlaneConfig, false, "Bootstrap token authentication is not used for users", "Use bootstrap tokens only to join nodes, and let them expire."),
    manual!("3.2.2", ControlPlaneConfig, false, "The audit policy covers key security concerns", "Check the policy with `rampart audit eval`: Secrets, ConfigMaps and TokenReviews at Metadata; pod changes, exec, portforward and proxy logged."),
    manual!("5.1.1", Policies, true, "cluster-admin is bound only where required", "Run `rampart rbac who-can '*' '*'` over the cluster's bindings."),
    manual!("5.1.2", Policies, true, "Access to Secrets is minimized", "Run `rampart rbac who-can get secrets` (and list, watch)."),
    manual!("5.1.3", Policies, true, "Roles and ClusterRoles use no wildcards", "Run `rampart scan` over the RBAC objects."),
    manual!("5.1.4", Policies, true, "Access to create pods is minimized", "Run `rampart rbac who-can create pods`."),
    manual!("5.1.5", Policies, true, "Default service accounts are not used", "Set automountServiceAccountToken: false on every namespace's default ServiceAccount."),
    manual!("5.1.6", Policies, true, "Service account tokens are mounted only where necessary", "Run `rampart scan` for automountServiceAccountToken findings."),
    manual!("5.1.7", Policies, false, "The system:masters group is not used", "Find bindings and certificates with the system:masters group."),
    manual!("5.1.8", Policies, false, "Bind, impersonate and escalate permissions are limited", "Run `rampart rbac` escalation analysis."),
    manual!("5.1.9", Policies, false, "Access to create PersistentVolumes is minimized", "Run `rampart rbac who-can create persistentvolumes`."),
    manual!("5.1.10", Policies, false, "Access to the nodes/proxy subresource is minimized", "Run `rampart rbac who-can get nodes --subresource proxy`."),
    manual!("5.1.11", Policies, false, "Access to approve CertificateSigningRequests is minimized", "Run `rampart rbac who-can update certificatesigningrequests --subresource approval`."),
    manual!("5.1.12", Policies, false, "Access to webhook configurations is minimized", "Run `rampart rbac who-can update validatingwebhookconfigurations` (and mutating)."),
    manual!("5.1.13", Policies, false, "Access to create service account tokens is minimized", "Run `rampart rbac who-can create serviceaccounts --subresource token`."),
    manual!("5.2.1", Policies, false, "At least one policy control mechanism is in place", "Label namespaces for Pod Security Admission or run a policy engine."),
    manual!("5.2.2", Policies, true, "Privileged containers are minimized", "Run `rampart pss check --level baseline`."),
    manual!("5.2.3", Policies, true, "Containers sharing the host PID namespace are minimized", "Run `rampart pss check --level baseline`."),
    manual!("5.2.4", Policies, true, "Containers sharing the host IPC namespace are minimized", "Run `rampart pss check --level baseline`."),
    manual!("5.2.5", Policies, true, "Containers sharing the host network namespace are minimized", "Run `rampart pss check --level baseline`."),
    manual!("5.2.6", Policies, true, "Containers with allowPrivilegeEscalation are minimized", "Run `rampart pss check --level restricted`."),
    manual!("5.2.7", Policies, false, "Root containers are minimized", "Run `rampart pss check --level restricted`."),
    manual!("5.2.8", Policies, false, "Containers with NET_RAW are minimized", "Run `rampart pss check --level restricted`."),
    manual!("5.2.9", Policies, false, "Containers with added capabilities are minimized", "Run `rampart pss check --level restricted`."),
    manual!("5.2.10", Policies, false, "Windows HostProcess containers are minimized", "Run `rampart pss check --level baseline`."),
    manual!("5.2.11", Policies, false, "HostPath volumes are minimized", "Run `rampart pss check --level baseline`."),
    manual!("5.2.12", Policies, false, "Containers using hostPorts are minimized", "Run `rampart pss check --level baseline`."),
    manual!("5.3.1", Policies, false, "The CNI in use supports NetworkPolicies", "Use a CNI that enforces NetworkPolicy (Calico, Cilium, …)."),
    manual!("5.3.2", Policies, false, "Every namespace has NetworkPolicies", "Run `rampart scan` over the namespaces and policies."),
    manual!("5.4.1", Policies, false, "Secrets are mounted as files, not environment variables", "Run `rampart scan` for secret-as-env findings."),
    manual!("5.4.2", Policies, false, "External secret storage is considered", "Use a KMS provider, the Secrets Store CSI driver or External Secrets."),
    manual!("5.5.1", Policies, false, "Image provenance is configured (ImagePolicyWebhook)", "Verify image signatures at admission."),
    manual!("5.6.1", Policies, false, "Namespaces are used as administrative boundaries", "Give each team or application its own namespace."),
    manual!("5.6.2", Policies, false, "Pods set a seccomp profile (RuntimeDefault)", "Run `rampart pss check --level restricted`."),
    manual!("5.6.3", Policies, false, "Pods and containers set a security context", "Run `rampart scan`."),
    manual!("5.6.4", Policies, false, "The default namespace is not used", "List workloads in the default namespace."),
];

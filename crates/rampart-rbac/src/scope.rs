//! Cluster-scoped resources Rampart knows about. Used for warnings, scan rules and
//! escalation analysis; never to change an answer (the authorizer does not know scopes).

use crate::request::ResourceRequest;

/// `(apiGroup, resource)` of the built-in cluster-scoped resources.
const CLUSTER_SCOPED: &[(&str, &str)] = &[
    ("", "nodes"),
    ("", "namespaces"),
    ("", "persistentvolumes"),
    ("", "componentstatuses"),
    ("", "users"),
    ("", "groups"),
    ("authentication.k8s.io", "uids"),
    ("authentication.k8s.io", "userextras"),
    ("authentication.k8s.io", "tokenreviews"),
    ("authentication.k8s.io", "selfsubjectreviews"),
    ("authorization.k8s.io", "subjectaccessreviews"),
    ("authorization.k8s.io", "selfsubjectaccessreviews"),
    ("authorization.k8s.io", "selfsubjectrulesreviews"),
    ("rbac.authorization.k8s.io", "clusterroles"),
    ("rbac.authorization.k8s.io", "clusterrolebindings"),
    ("certificates.k8s.io", "certificatesigningrequests"),
    ("certificates.k8s.io", "clustertrustbundles"),
    ("certificates.k8s.io", "signers"),
    (
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
    ),
    (
        "admissionregistration.k8s.io",
        "validatingwebhookconfigurations",
    ),
    (
        "admissionregistration.k8s.io",
        "validatingadmissionpolicies",
    ),
    (
        "admissionregistration.k8s.io",
        "validatingadmissionpolicybindings",
    ),
    ("admissionregistration.k8s.io", "mutatingadmissionpolicies"),
    (
        "admissionregistration.k8s.io",
        "mutatingadmissionpolicybindings",
    ),
    ("apiextensions.k8s.io", "customresourcedefinitions"),
    ("apiregistration.k8s.io", "apiservices"),
    ("storage.k8s.io", "storageclasses"),
    ("storage.k8s.io", "csidrivers"),
    ("storage.k8s.io", "csinodes"),
    ("storage.k8s.io", "volumeattachments"),
    ("storage.k8s.io", "volumeattributesclasses"),
    ("scheduling.k8s.io", "priorityclasses"),
    ("node.k8s.io", "runtimeclasses"),
    ("networking.k8s.io", "ingressclasses"),
    ("networking.k8s.io", "ipaddresses"),
    ("networking.k8s.io", "servicecidrs"),
    ("flowcontrol.apiserver.k8s.io", "flowschemas"),
    (
        "flowcontrol.apiserver.k8s.io",
        "prioritylevelconfigurations",
    ),
    ("resource.k8s.io", "deviceclasses"),
    ("resource.k8s.io", "resourceslices"),
];

/// Whether `group`/`resource` is a built-in cluster-scoped resource.
pub fn is_cluster_scoped(group: &str, resource: &str) -> bool {
    CLUSTER_SCOPED
        .iter()
        .any(|(g, r)| *g == group && *r == resource)
}

/// The warning for `-n` on a cluster-scoped resource, if it applies. Two requests carry a
/// namespace legitimately and are not warned: one Namespace object (inside itself), and
/// `bind` on a ClusterRole (checked in the namespace of the RoleBinding being created).
pub fn namespace_warning(r: &ResourceRequest) -> Option<String> {
    let (group, resource, ns) = (
        r.api_group.as_str(),
        r.resource.as_str(),
        r.namespace.as_str(),
    );
    if ns.is_empty() || !is_cluster_scoped(group, resource) {
        return None;
    }
    if group.is_empty() && resource == "namespaces" && r.name == ns {
        return None;
    }
    if r.verb == "bind" && group == "rbac.authorization.k8s.io" && resource == "clusterroles" {
        return None;
    }
    let full = if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    };
    Some(format!(
        "{full} is cluster-scoped: a real request for it carries no namespace, but -n {ns} was \
         given and is evaluated literally (only ClusterRoleBindings can grant it)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warn(verb: &str, target: &str, ns: &str) -> bool {
        match crate::Request::build(verb, target, None, Some(ns)) {
            Ok(crate::Request::Resource(r)) => namespace_warning(&r).is_some(),
            _ => false,
        }
    }

    #[test]
    fn warns_for_cluster_scoped_resources_with_a_namespace() {
        assert!(warn("get", "nodes", "x"));
        assert!(!warn("get", "nodes", ""));
        assert!(!warn("get", "pods", "x"));
        assert!(!warn("get", "namespaces/team-a", "team-a"));
        assert!(warn("list", "namespaces", "team-a"));
        assert!(!warn(
            "bind",
            "clusterroles.rbac.authorization.k8s.io/edit",
            "team-a"
        ));
        assert!(warn(
            "escalate",
            "clusterroles.rbac.authorization.k8s.io",
            "team-a"
        ));
    }
}

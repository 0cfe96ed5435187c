//! RMP6005: a resource listed under an API group it does not belong to.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::PolicyCtx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6005",
    name: "audit-resource-group-mismatch",
    title: "Audit policy names a resource in the wrong API group",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &[],
    what: "Reports a `resources` entry whose group is versioned (`apps/v1`: groups have no \
           version) or that lists a resource under a built-in group it does not belong to \
           (`deployments` under the core group `\"\"`), or an unknown resource under the \
           core group (which has no custom resources).",
    why: "The entry silently never matches what it meant: those requests fall through to a \
          later rule, often one with another level.",
    fix: "Name the resource under its own group (`group: apps` for deployments) and drop \
          versions from group names.",
    example: "rules:\n- level: RequestResponse\n  resources:\n  - group: \"\"\n    resources: [deployments]",
    references: &["https://kubernetes.io/docs/reference/using-api/#api-groups"],
};

/// Built-in groups and their resources (plural names).
const GROUPS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "bindings",
            "componentstatuses",
            "configmaps",
            "endpoints",
            "events",
            "limitranges",
            "namespaces",
            "nodes",
            "persistentvolumeclaims",
            "persistentvolumes",
            "pods",
            "podtemplates",
            "replicationcontrollers",
            "resourcequotas",
            "secrets",
            "serviceaccounts",
            "services",
        ],
    ),
    (
        "apps",
        &[
            "controllerrevisions",
            "daemonsets",
            "deployments",
            "replicasets",
            "statefulsets",
        ],
    ),
    ("batch", &["cronjobs", "jobs"]),
    ("autoscaling", &["horizontalpodautoscalers"]),
    ("policy", &["poddisruptionbudgets", "podsecuritypolicies"]),
    (
        "networking.k8s.io",
        &[
            "ingresses",
            "ingressclasses",
            "networkpolicies",
            "ipaddresses",
            "servicecidrs",
        ],
    ),
    (
        "rbac.authorization.k8s.io",
        &[
            "clusterrolebindings",
            "clusterroles",
            "rolebindings",
            "roles",
        ],
    ),
    (
        "storage.k8s.io",
        &[
            "csidrivers",
            "csinodes",
            "csistoragecapacities",
            "storageclasses",
            "volumeattachments",
            "volumeattributesclasses",
        ],
    ),
    (
        "admissionregistration.k8s.io",
        &[
            "mutatingwebhookconfigurations",
            "validatingwebhookconfigurations",
            "validatingadmissionpolicies",
            "validatingadmissionpolicybindings",
            "mutatingadmissionpolicies",
            "mutatingadmissionpolicybindings",
        ],
    ),
    (
        "certificates.k8s.io",
        &["certificatesigningrequests", "clustertrustbundles"],
    ),
    ("coordination.k8s.io", &["leases", "leasecandidates"]),
    ("discovery.k8s.io", &["endpointslices"]),
    ("events.k8s.io", &["events"]),
    (
        "authentication.k8s.io",
        &["tokenreviews", "selfsubjectreviews"],
    ),
    (
        "authorization.k8s.io",
        &[
            "localsubjectaccessreviews",
            "selfsubjectaccessreviews",
            "selfsubjectrulesreviews",
            "subjectaccessreviews",
        ],
    ),
    ("apiextensions.k8s.io", &["customresourcedefinitions"]),
    ("apiregistration.k8s.io", &["apiservices"]),
    ("scheduling.k8s.io", &["priorityclasses"]),
    ("node.k8s.io", &["runtimeclasses"]),
    (
        "flowcontrol.apiserver.k8s.io",
        &["flowschemas", "prioritylevelconfigurations"],
    ),
];

fn resources_of(group: &str) -> Option<&'static [&'static str]> {
    GROUPS.iter().find(|(g, _)| *g == group).map(|(_, r)| *r)
}

fn home_of(resource: &str) -> Vec<&'static str> {
    GROUPS
        .iter()
        .filter(|(_, rs)| rs.contains(&resource))
        .map(|(g, _)| *g)
        .collect()
}

fn shown(group: &str) -> String {
    if group.is_empty() {
        "the core group \"\"".to_string()
    } else {
        format!("group {group}")
    }
}

/// Why `pattern` under `group` cannot mean what it says, if it cannot.
fn problem(group: &str, pattern: &str) -> Option<String> {
    let resource = pattern.split('/').next().unwrap_or_default();
    if resource.is_empty() || resource == "*" {
        return None;
    }
    let known = resources_of(group)?;
    if known.contains(&resource) {
        return None;
    }
    let homes = home_of(resource);
    if let Some(home) = homes.first() {
        return Some(format!(
            "`{resource}` is not in {}; it is in {}",
            shown(group),
            shown(home)
        ));
    }
    group.is_empty().then(|| {
        format!(
            "`{resource}` is not a resource of the core group \"\" (which has no custom resources)"
        )
    })
}

pub(crate) fn check(p: &PolicyCtx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, rule) in p.policy.rules.iter().enumerate() {
        for (j, gr) in rule.resources.iter().enumerate() {
            if gr.group.contains('/') {
                out.push(p.finding(
                    &META,
                    &format!("rules[{i}].resources[{j}].group"),
                    format!(
                        "group `{}` has a version; API groups are named without one",
                        gr.group
                    ),
                ));
                continue;
            }
            for (k, pattern) in gr.resources.iter().enumerate() {
                if let Some(why) = problem(&gr.group, pattern) {
                    out.push(p.finding(
                        &META,
                        &format!("rules[{i}].resources[{j}].resources[{k}]"),
                        format!("rule {i}: {why}, so this entry never matches it"),
                    ));
                }
            }
        }
    }
    out
}

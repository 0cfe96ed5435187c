//! `cluster-external-secret-broad` (optional, informational): a ClusterExternalSecret whose
//! namespace selection matches every namespace, or every namespace but a few (`secrets.md`
//! §6.1): one credential fanned out across the cluster.

use rampart_manifest::Object;
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};
use serde_json::Value;

use super::eso_kind;

pub static META: RuleMeta = RuleMeta {
    id: "RMP5043",
    name: "cluster-external-secret-broad",
    title: "ClusterExternalSecret fans out to (almost) every namespace",
    severity: Severity::Info,
    category: Category::Secrets,
    mitre: &["T1552.007"],
    what: "Optional rule (off by default; rampart secrets scan --all-rules): reports ClusterExternalSecrets (external-secrets.io v1beta1 and v1) whose namespaceSelector or one of whose namespaceSelectors is empty or only excludes namespaces (NotIn, DoesNotExist), unless an explicit namespaces list is given.",
    why: "Every selected namespace gets its own copy of the credential, readable by whoever can read Secrets there: the blast radius of the credential becomes the whole cluster, including namespaces created later.",
    fix: "Select namespaces by a label that only the intended namespaces carry (matchLabels or an In expression), or list them in spec.namespaces.",
    example: "kind: ClusterExternalSecret\nspec:\n  namespaceSelector: {}\n",
    references: &["https://external-secrets.io/latest/api/clusterexternalsecret/"],
};

/// An empty selector, or one whose every requirement only excludes.
fn broad(selector: &Value) -> bool {
    let Some(map) = selector.as_object() else {
        return false;
    };
    let labels = map
        .get("matchLabels")
        .and_then(Value::as_object)
        .is_some_and(|m| !m.is_empty());
    if labels {
        return false;
    }
    map.get("matchExpressions")
        .and_then(Value::as_array)
        .is_none_or(|exprs| {
            exprs.iter().all(|e| {
                matches!(
                    e.get("operator").and_then(Value::as_str),
                    Some("NotIn" | "DoesNotExist")
                )
            })
        })
}

pub fn check(obj: &Object) -> Vec<Finding> {
    if eso_kind(obj) != Some("ClusterExternalSecret") {
        return Vec::new();
    }
    let spec = JsonPath::root().key("spec");
    let Some(s) = spec.lookup(&obj.json) else {
        return Vec::new();
    };
    let listed = s
        .get("namespaces")
        .and_then(Value::as_array)
        .is_some_and(|n| !n.is_empty());
    if listed {
        return Vec::new();
    }
    let mut at = Vec::new();
    if s.get("namespaceSelector").is_some_and(broad) {
        at.push(spec.key("namespaceSelector"));
    }
    for (i, sel) in s
        .get("namespaceSelectors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if broad(sel) {
            at.push(spec.key("namespaceSelectors").index(i));
        }
    }
    at.into_iter()
        .map(|path| {
            let mut f = Finding::new(
                &META,
                "the namespace selector matches every namespace (or all but a few): the credential is copied into each",
            )
            .at(path);
            obj.place(&mut f);
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors() {
        assert!(broad(&serde_json::json!({})));
        assert!(broad(&serde_json::json!({"matchExpressions": [
            {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ["kube-system"]}
        ]})));
        assert!(!broad(&serde_json::json!({"matchLabels": {"team": "a"}})));
        assert!(!broad(&serde_json::json!({"matchExpressions": [
            {"key": "team", "operator": "In", "values": ["a"]}
        ]})));
    }
}

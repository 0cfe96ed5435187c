//! `cluster-store-unscoped`: a ClusterSecretStore any namespace may use.

use rampart_manifest::Object;
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};
use serde_json::Value;

use super::eso_kind;

pub static META: RuleMeta = RuleMeta {
    id: "RMP5022",
    name: "cluster-store-unscoped",
    title: "ClusterSecretStore without namespace conditions",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.007", "T1078"],
    what: "Reports ClusterSecretStores (external-secrets.io v1beta1 and v1) whose spec has no conditions restricting which namespaces may use them, or only conditions that match every namespace.",
    why: "Anyone who can create an ExternalSecret in any namespace can then read any key the store's identity can read, which turns namespace-level access into access to every team's secrets.",
    fix: "Add spec.conditions with a namespaceSelector, a namespaces list or namespaceRegexes that names the namespaces allowed to use the store, or use namespaced SecretStores.",
    example: "apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\nspec:\n  provider:\n    vault: {}\n",
    references: &["https://external-secrets.io/latest/api/clustersecretstore/"],
};

/// A condition restricts when it names namespaces, regexes or a non-empty selector.
fn restricts(cond: &Value) -> bool {
    let non_empty = |k: &str| match cond.get(k) {
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => o.values().any(|v| match v {
            Value::Object(m) => !m.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Null => false,
            _ => true,
        }),
        _ => false,
    };
    non_empty("namespaces") || non_empty("namespaceRegexes") || non_empty("namespaceSelector")
}

pub fn check(obj: &Object) -> Vec<Finding> {
    if eso_kind(obj) != Some("ClusterSecretStore") {
        return Vec::new();
    }
    let conditions = obj.json.get("spec").and_then(|s| s.get("conditions"));
    let scoped = conditions
        .and_then(Value::as_array)
        .is_some_and(|c| !c.is_empty() && c.iter().all(restricts));
    if scoped {
        return Vec::new();
    }
    let mut f = Finding::new(
        &META,
        "ClusterSecretStore has no namespace conditions: an ExternalSecret in any namespace can read through it",
    )
    .at(JsonPath::root().key("spec").key("conditions"));
    obj.place(&mut f);
    vec![f]
}

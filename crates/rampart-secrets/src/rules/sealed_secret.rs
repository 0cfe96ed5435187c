//! `sealed-secret-cluster-wide`: SealedSecret ciphertext that any namespace can unseal.

use rampart_manifest::Object;
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};
use serde_json::Value;

pub static META: RuleMeta = RuleMeta {
    id: "RMP5024",
    name: "sealed-secret-cluster-wide",
    title: "Cluster-wide SealedSecret",
    severity: Severity::Medium,
    category: Category::Secrets,
    mitre: &["T1552.007"],
    what: "Reports SealedSecrets (bitnami.com/v1alpha1) annotated for cluster-wide scope, on the object or on its template.",
    why: "Cluster-wide ciphertext is not bound to a name or namespace: anyone allowed to create a SealedSecret in their own namespace can copy it and have the controller decrypt it for them.",
    fix: "Reseal with the default strict scope (kubeseal without --scope cluster-wide) so the ciphertext only decrypts under its own name and namespace.",
    example: "kind: SealedSecret\nmetadata:\n  annotations:\n    sealedsecrets.bitnami.com/cluster-wide: \"true\"\n",
    references: &["https://github.com/bitnami-labs/sealed-secrets#scopes"],
};

const ANNOTATION: &str = "sealedsecrets.bitnami.com/cluster-wide";

/// `true` or `"true"` (any case): how annotations are written in practice.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

pub fn check(obj: &Object) -> Vec<Finding> {
    if obj.kind() != "SealedSecret" || !obj.id.api_version.starts_with("bitnami.com/") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for meta in [
        JsonPath::root().key("metadata"),
        JsonPath::root().key("spec").key("template").key("metadata"),
    ] {
        let path = meta.key("annotations").key(ANNOTATION);
        if path.lookup(&obj.json).is_some_and(truthy) {
            let mut f = Finding::new(&META, "cluster-wide scope: the ciphertext can be unsealed under any name in any namespace")
                .at(path);
            obj.place(&mut f);
            out.push(f);
        }
    }
    out
}

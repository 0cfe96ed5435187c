//! `sealed-secret-namespace-wide` (optional, informational): SealedSecret ciphertext that any
//! name in its namespace can unseal (`secrets.md` §6.2).

use rampart_manifest::Object;
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};

use super::sealed_secret::truthy;

pub static META: RuleMeta = RuleMeta {
    id: "RMP5044",
    name: "sealed-secret-namespace-wide",
    title: "Namespace-wide SealedSecret",
    severity: Severity::Info,
    category: Category::Secrets,
    mitre: &["T1552.007"],
    what: "Optional rule (off by default; rampart secrets scan --all-rules): reports SealedSecrets (bitnami.com/v1alpha1) annotated for namespace-wide scope, on the object or on its template.",
    why: "Namespace-wide ciphertext is not bound to a name: anyone who can create a SealedSecret in the namespace can reuse it under another name, for example one their own workload mounts.",
    fix: "Reseal with the default strict scope unless renaming the Secret is really needed.",
    example: "kind: SealedSecret\nmetadata:\n  annotations:\n    sealedsecrets.bitnami.com/namespace-wide: \"true\"\n",
    references: &["https://github.com/bitnami-labs/sealed-secrets#scopes"],
};

const ANNOTATION: &str = "sealedsecrets.bitnami.com/namespace-wide";

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
            let mut f = Finding::new(
                &META,
                "namespace-wide scope: the ciphertext can be unsealed under any name in its namespace",
            )
            .at(path);
            obj.place(&mut f);
            out.push(f);
        }
    }
    out
}

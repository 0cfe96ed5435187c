//! `external-secret-lifecycle` (optional, informational): an ExternalSecret whose target Secret
//! outlives it (`creationPolicy: Orphan`), is written into a Secret someone else owns
//! (`creationPolicy: Merge`), or is deleted when the provider loses the value
//! (`deletionPolicy: Delete`). `secrets.md` §6.1.

use rampart_manifest::Object;
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};
use serde_json::Value;

use super::eso_kind;

pub static META: RuleMeta = RuleMeta {
    id: "RMP5042",
    name: "external-secret-lifecycle",
    title: "ExternalSecret target lifecycle worth a look",
    severity: Severity::Info,
    category: Category::Secrets,
    mitre: &[],
    what: "Optional rule (off by default; rampart secrets scan --all-rules): reports ExternalSecrets (and ClusterExternalSecret templates) whose target.creationPolicy is Orphan or Merge, or whose target.deletionPolicy is Delete.",
    why: "Orphan leaves the Secret behind when the ExternalSecret is deleted, so a revoked credential lingers in the cluster; Merge writes into a Secret another owner manages, so two controllers fight over it; Delete removes the Secret as soon as the provider loses the value, which turns a provider hiccup into an outage.",
    fix: "Prefer creationPolicy Owner (the default) so the Secret lives and dies with its ExternalSecret, and deletionPolicy Retain unless deleting the Secret is really wanted.",
    example: "kind: ExternalSecret\nspec:\n  target:\n    creationPolicy: Orphan\n",
    references: &["https://external-secrets.io/latest/guides/ownership-deletion-policy/"],
};

fn note(field: &str, value: &str) -> Option<&'static str> {
    match (field, value) {
        ("creationPolicy", "Orphan") => Some("creationPolicy Orphan: the Secret outlives its ExternalSecret, so stale credentials linger"),
        ("creationPolicy", "Merge") => Some("creationPolicy Merge: values are written into a Secret another owner manages"),
        ("deletionPolicy", "Delete") => Some("deletionPolicy Delete: the Secret is removed when the provider loses the value"),
        _ => None,
    }
}

pub fn check(obj: &Object) -> Vec<Finding> {
    let spec = match eso_kind(obj) {
        Some("ExternalSecret") => JsonPath::root().key("spec"),
        Some("ClusterExternalSecret") => JsonPath::root().key("spec").key("externalSecretSpec"),
        _ => return Vec::new(),
    };
    let target = spec.key("target");
    let mut out = Vec::new();
    for field in ["creationPolicy", "deletionPolicy"] {
        let path = target.key(field);
        let Some(msg) = path
            .lookup(&obj.json)
            .and_then(Value::as_str)
            .and_then(|v| note(field, v))
        else {
            continue;
        };
        let mut f = Finding::new(&META, msg).at(path);
        obj.place(&mut f);
        out.push(f);
    }
    out
}

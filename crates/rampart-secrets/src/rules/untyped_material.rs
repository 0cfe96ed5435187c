//! `secret-untyped-key-material` (optional, off by default): an Opaque Secret holding TLS or SSH
//! key material that has a dedicated Secret type.

use rampart_manifest::Object;
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};
use serde_json::Value;

pub static META: RuleMeta = RuleMeta {
    id: "RMP5029",
    name: "secret-untyped-key-material",
    title: "Opaque Secret holds TLS or SSH key material",
    severity: Severity::Info,
    category: Category::Secrets,
    mitre: &[],
    what: "Optional rule (off by default; rampart secrets scan --all-rules): reports Opaque (or untyped) Secrets whose keys are a TLS pair (tls.crt and tls.key) or an SSH private key (ssh-privatekey, id_rsa, id_ed25519, id_ecdsa).",
    why: "Typed Secrets (kubernetes.io/tls, kubernetes.io/ssh-auth) are validated by the API server, recognised by controllers and policies, and easy to find in audits; Opaque ones hide what they carry.",
    fix: "Recreate the Secret with type kubernetes.io/tls or kubernetes.io/ssh-auth.",
    example: "kind: Secret\ntype: Opaque\ndata:\n  tls.crt: ...\n  tls.key: ...\n",
    references: &["https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"],
};

const SSH_KEYS: &[&str] = &[
    "ssh-privatekey",
    "id_rsa",
    "id_ed25519",
    "id_ecdsa",
    "id_dsa",
];

pub fn check(obj: &Object) -> Vec<Finding> {
    if obj.kind() != "Secret" {
        return Vec::new();
    }
    let ty = obj
        .json
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("Opaque");
    if ty != "Opaque" {
        return Vec::new();
    }
    let has = |k: &str| {
        ["data", "stringData"]
            .iter()
            .any(|d| obj.json.get(d).and_then(|m| m.get(k)).is_some())
    };
    let should_be = if has("tls.crt") && has("tls.key") {
        "kubernetes.io/tls"
    } else if SSH_KEYS.iter().any(|k| has(k)) {
        "kubernetes.io/ssh-auth"
    } else {
        return Vec::new();
    };
    let path = if obj.json.get("type").is_some() {
        JsonPath::root().key("type")
    } else {
        JsonPath::root().key("metadata")
    };
    let mut f = Finding::new(
        &META,
        format!("Opaque Secret holds key material; use type {should_be}"),
    )
    .at(path);
    obj.place(&mut f);
    vec![f]
}

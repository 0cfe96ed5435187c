//! EncryptionConfiguration (`apiserver.config.k8s.io/v1`): how the API server stores Secrets in
//! etcd. Writes use the first provider of the first entry that covers a resource.
//!
//! Three rules: `identity` first for Secrets (new writes in plain text), a weak first provider
//! (AES-GCM without rotation, AES-CBC, KMS v1), and Secrets covered by no entry at all.
//!
//! All three are optional (off by default, `--all-rules`): `secrets.md` fixes the vocabulary of
//! what `rampart scan` reports for secrets, and encryption at rest is judged by the CIS engine
//! (1.2.27, 1.2.28, which accept `aescbc` and KMS v1). These rules add the stricter notes of
//! `cis.md` §6 for those who ask.

use rampart_manifest::Object;
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};
use serde_json::Value;

pub static IDENTITY_FIRST: RuleMeta = RuleMeta {
    id: "RMP5025",
    name: "encryption-identity-first",
    title: "Secrets written to etcd unencrypted",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.007"],
    what: "Optional rule (off by default; rampart secrets scan --all-rules): reports EncryptionConfiguration entries covering Secrets whose first provider is identity.",
    why: "The API server encrypts new writes with the first provider only: identity first means every Secret written from now on lands in etcd, and in every etcd backup, in plain text, even when an encrypting provider follows.",
    fix: "Put an encrypting provider (KMS v2, secretbox or aescbc) first and keep identity last only while migrating; then rewrite all Secrets (kubectl get secrets -A -o json | kubectl replace -f -).",
    example: "kind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - identity: {}\n      - aescbc: {keys: [...]}\n",
    references: &["https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/"],
};

pub static WEAK_PROVIDER: RuleMeta = RuleMeta {
    id: "RMP5026",
    name: "encryption-weak-provider",
    title: "Weak encryption provider for Secrets",
    severity: Severity::Medium,
    category: Category::Secrets,
    mitre: &["T1552.007"],
    what: "Optional rule (off by default; rampart secrets scan --all-rules): reports EncryptionConfiguration entries covering Secrets whose first provider is aesgcm (safe only with key rotation every 200k writes; not accepted by CIS 1.2.28), aescbc (no longer recommended upstream: CBC padding-oracle exposure; low) or KMS v1 (deprecated since 1.28, disabled by default since 1.29).",
    why: "Encryption at rest is only as good as its first provider: static keys sit in a file on every control-plane node, and weak modes or deprecated plugins make the protection nominal.",
    fix: "Use KMS v2 with an external key manager; if static keys are unavoidable, prefer secretbox, and rotate keys.",
    example: "kind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - aesgcm: {keys: [...]}\n",
    references: &["https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers"],
};

pub static NOT_COVERED: RuleMeta = RuleMeta {
    id: "RMP5027",
    name: "encryption-secrets-not-covered",
    title: "EncryptionConfiguration does not cover Secrets",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.007"],
    what: "Optional rule (off by default; rampart secrets scan --all-rules): reports an EncryptionConfiguration in which no entry covers Secrets (secrets, *. or *.*).",
    why: "A resource covered by no entry is stored unencrypted, so the configuration protects everything except what matters most.",
    fix: "Add an entry with resources [secrets] and an encrypting provider first (KMS v2, secretbox or aescbc).",
    example: "kind: EncryptionConfiguration\nresources:\n  - resources: [configmaps]\n    providers:\n      - aescbc: {keys: [...]}\n",
    references: &["https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/"],
};

fn covers_secrets(entry: &Value) -> bool {
    entry
        .get("resources")
        .and_then(Value::as_array)
        .is_some_and(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .any(|s| matches!(s, "secrets" | "*." | "*.*"))
        })
}

fn first_provider(entry: &Value) -> Option<(&str, &Value)> {
    let first = entry.get("providers")?.as_array()?.first()?.as_object()?;
    first.iter().next().map(|(k, v)| (k.as_str(), v))
}

fn weakness(name: &str, cfg: &Value) -> Option<(Severity, &'static str)> {
    match name {
        "aesgcm" => Some((
            Severity::Medium,
            "aesgcm first: safe only with key rotation every 200k writes, and not accepted by CIS 1.2.28",
        )),
        "aescbc" => Some((
            Severity::Low,
            "aescbc first: no longer recommended upstream (CBC padding-oracle exposure); prefer KMS v2 or secretbox",
        )),
        "kms" if cfg.get("apiVersion").and_then(Value::as_str) != Some("v2") => Some((
            Severity::Medium,
            "KMS v1 first: deprecated since 1.28 and disabled by default since 1.29; use KMS v2",
        )),
        _ => None,
    }
}

pub fn check(obj: &Object) -> Vec<Finding> {
    if !matches!(obj.kind(), "EncryptionConfiguration" | "EncryptionConfig")
        || !obj.id.api_version.starts_with("apiserver.")
    {
        return Vec::new();
    }
    let entries = obj.json.get("resources").and_then(Value::as_array);
    let mut out = Vec::new();
    let mut covered = false;
    for (i, entry) in entries.into_iter().flatten().enumerate() {
        if !covers_secrets(entry) || covered {
            continue;
        }
        // Only the first entry that matches a resource applies.
        covered = true;
        let at = JsonPath::root()
            .key("resources")
            .index(i)
            .key("providers")
            .index(0);
        match first_provider(entry) {
            Some(("identity", _)) => {
                let mut f = Finding::new(
                    &IDENTITY_FIRST,
                    "identity is the first provider for Secrets: new writes are stored unencrypted",
                )
                .at(at);
                obj.place(&mut f);
                out.push(f);
            }
            Some((name, cfg)) => {
                if let Some((sev, msg)) = weakness(name, cfg) {
                    let mut f = Finding::new(&WEAK_PROVIDER, msg).at(at);
                    f.severity = sev;
                    obj.place(&mut f);
                    out.push(f);
                }
            }
            None => {}
        }
    }
    if !covered {
        let mut f = Finding::new(
            &NOT_COVERED,
            "no entry covers secrets: Secrets are stored unencrypted",
        )
        .at(JsonPath::root().key("resources"));
        obj.place(&mut f);
        out.push(f);
    }
    out
}

//! RMP6125: a ConfigMap was written with what looks like credentials in it.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use super::{Out, AUDIT_DOC};
use crate::detect::event::Ctx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6125",
    name: "configmap-with-credentials",
    title: "ConfigMap written with credentials",
    severity: Severity::Medium,
    category: Category::Audit,
    mitre: &["T1552.001"],
    what: "Reports `create`, `update` or `patch` of a ConfigMap whose logged body has a \
           non-empty `data` key named like a credential (`password`, `secret`, `token`, \
           `api_key`, `access_key`, `private_key`, …) or a value holding a private key \
           block or an AWS access key id. Only key names are reported, never values.",
    why: "ConfigMaps are not Secrets: anyone with read access to the namespace's \
          configuration sees them, they are not encrypted at rest, and they are logged \
          with bodies by many audit policies.",
    fix: "Move the value into a Secret (or an external secret store) and reference it \
          from the workload; rotate the credential, since it has been exposed.",
    example: "{\"verb\":\"create\",\"objectRef\":{\"resource\":\"configmaps\"},\"requestObject\":{\"data\":{\"DB_PASSWORD\":\"...\"}}}",
    references: &[
        "https://attack.mitre.org/techniques/T1552/001/",
        "https://kubernetes.io/docs/concepts/configuration/secret/",
        AUDIT_DOC,
    ],
};

const KEY_WORDS: [&str; 10] = [
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "access_key",
    "accesskey",
    "private_key",
    "credential",
];

fn credential_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase().replace(['-', '.'], "_");
    KEY_WORDS.iter().any(|w| k.contains(w))
}

fn credential_value(value: &str) -> bool {
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----") {
        return true;
    }
    // AWS access key ids: AKIA or ASIA and 16 upper-case letters or digits.
    value.as_bytes().windows(20).any(|w| {
        (w.starts_with(b"AKIA") || w.starts_with(b"ASIA"))
            && w[4..]
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    })
}

pub(crate) fn check(ctx: &Ctx<'_, '_>, out: &mut Out) {
    if !ctx.on("", "configmaps", "") || !matches!(ctx.verb(), "create" | "update" | "patch") {
        return;
    }
    let Some(data) = ctx
        .body()
        .and_then(|b| b.get("data"))
        .and_then(Value::as_object)
    else {
        return;
    };
    let keys: Vec<&str> = data
        .iter()
        .filter_map(|(k, v)| Some((k, v.as_str()?)))
        .filter(|(k, v)| !v.trim().is_empty() && (credential_key(k) || credential_value(v)))
        .map(|(k, _)| k.as_str())
        .collect();
    if keys.is_empty() {
        return;
    }
    out.hit(
        &META,
        format!(
            "{} wrote ConfigMap {}/{} with credential-like key(s) {}",
            ctx.who(),
            ctx.obj.namespace,
            ctx.name(),
            keys.join(", ")
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values() {
        assert!(credential_key("DB_PASSWORD"));
        assert!(credential_key("client-secret"));
        assert!(!credential_key("log_level"));
        assert!(credential_value("id=AKIAABCDEFGHIJKLMNOP"));
        assert!(!credential_value("AKIA-not-a-key"));
        assert!(credential_value("-----BEGIN RSA PRIVATE KEY-----\nx"));
    }
}

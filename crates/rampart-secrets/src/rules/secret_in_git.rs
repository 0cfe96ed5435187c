//! `secret-in-git`: a Secret manifest carrying a concrete value no specific family claims (§3).

use rampart_model::{Category, RuleMeta, Severity};

use crate::detect::{keyword::words, placeholder};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5018",
    name: "secret-in-git",
    title: "Secret manifest with a real value",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Reports each data or stringData entry of a Secret manifest that holds a concrete value (base64-decoded first): not a placeholder, not a template, at least 8 characters, under a key that is not plainly public (username, host, port, certificates). Entries holding a known token format are reported under that token's rule instead.",
    why: "Secret data is base64, an encoding and not encryption: a Secret committed to git is a credential published to everyone who can clone the repository, forever in its history.",
    fix: "Do not commit Secret values: commit a SealedSecret, a SOPS-encrypted file or an ExternalSecret instead, or create the Secret in the cluster from your secret manager; rotate the exposed values.",
    example: "kind: Secret\nstringData:\n  session-secret: \"Hk7#vQ2xLm9RtZ3w\"\n",
    references: &[
        "https://kubernetes.io/docs/concepts/configuration/secret/",
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
    ],
};

/// Keys whose values are public, compared by their last word.
const PUBLIC_WORDS: &[&str] = &[
    "username",
    "user",
    "login",
    "email",
    "host",
    "hostname",
    "port",
    "database",
    "db",
    "dbname",
    "region",
    "endpoint",
    "namespace",
    "url",
    "uri",
    "server",
    "address",
    "addr",
    "name",
    "type",
    "project",
    "mtime",
    "timestamp",
];

/// Whole keys whose values are public.
const PUBLIC_KEYS: &[&str] = &[
    "ca.crt",
    "tls.crt",
    "service-ca.crt",
    "known_hosts",
    "ca-bundle.crt",
];

/// True when the key names public data (§3's list; a `url`/`endpoint` key is checked as a URL by
/// the token rules instead).
pub fn public_key_name(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    if PUBLIC_KEYS.contains(&lower.as_str()) {
        return true;
    }
    words(key)
        .last()
        .is_some_and(|w| PUBLIC_WORDS.contains(&w.as_str()))
}

/// True when the decoded text holds only certificates / public keys (PEM) or an OpenSSH
/// public key.
pub fn public_material(text: &str) -> bool {
    let t = text.trim();
    if ["ssh-rsa ", "ssh-ed25519 ", "ecdsa-sha2-", "ssh-dss "]
        .iter()
        .any(|p| t.starts_with(p))
    {
        return true;
    }
    if !t.starts_with("-----BEGIN") {
        return false;
    }
    t.lines()
        .filter(|l| l.starts_with("-----BEGIN"))
        .all(|l| l.contains("CERTIFICATE") || l.contains("PUBLIC KEY"))
}

/// Rule 2 of §3: a non-placeholder value of at least 8 characters under a key that is not public.
pub fn matches(key: &str, decoded: &str) -> bool {
    !public_key_name(key)
        && !public_material(decoded)
        && !placeholder::is_placeholder(decoded)
        && decoded.trim().chars().count() >= 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_entries() {
        assert!(matches("session-secret", "y41AKbiUthCy4uN0XjEa%9Ry"));
        assert!(!matches("region", "europe-west4"));
        assert!(!matches("username", "administrator"));
        assert!(!matches("password", "changeme"));
        assert!(!matches("token", "<token>"));
        assert!(!matches("api-key", ""));
        assert!(!matches(
            "ca.crt",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
        ));
        assert!(!matches("short", "abc1234"));
    }
}

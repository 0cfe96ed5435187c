//! `high-entropy`: a random-looking token under a neutral name.

use rampart_model::{Category, RuleMeta, Severity};

use crate::detect::keyword::{classify, KeyClass};
use crate::detect::{entropy, placeholder, B64_PEM};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5017",
    name: "high-entropy",
    title: "High-entropy string",
    severity: Severity::Low,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Reports a whole value that is a single random-looking token (base64 alphabet of 20 to 1024 characters at 4.5 bits per character or more, or hex of 32 characters or more at 3.0 bits or more) under a name that says nothing about secrets. Digests, checksums, ids, certificates, public keys, ciphertext and UUIDs are ignored.",
    why: "Generated credentials are random; a random string in a ConfigMap or CRD with a neutral name is often a key someone did not label as one.",
    fix: "If the value is a credential, move it into a Secret managed outside git and rotate it; if it is not (a digest, an id), rename the key so it says so or add a rampart:ignore comment.",
    example: "data:\n  seed-material: \"Qm7vX2pL9kR4tW8zB1nC5yH3jD6fP0sA2gE4+u/Z\"\n",
    references: &["https://github.com/Yelp/detect-secrets#plugins"],
};

const SKIP_PREFIXES: &[&str] = &[
    "sha256:",
    "sha512:",
    "sha1:",
    "ssh-rsa ",
    "ssh-ed25519 ",
    "ecdsa-sha2-",
    "age1",
    "ENC[",
    "vault:v",
    "AGE-ENCRYPTED",
    B64_PEM,
];

/// The entropy rule (§5.4) for one whole value under one context key.
pub fn matches(key: &str, value: &str) -> bool {
    let v = value.trim();
    // Cheapest tests first: most values are short or not a single token.
    entropy::high_entropy(v)
        && !SKIP_PREFIXES.iter().any(|p| v.starts_with(p))
        && !placeholder::is_uuid(v)
        && !placeholder::is_placeholder(v)
        && !placeholder::resource_path(v)
        && classify(key) == KeyClass::Neutral
        && !crate::detect::keyword::names_an_id(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_rule() {
        assert!(matches(
            "seed-material",
            "vgM+TxlKsIA5MOD9wO1NI5uywLC9TGfqToQJQEVs2otc"
        ));
        assert!(!matches(
            "checksum/config",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        ));
        assert!(!matches(
            "api-token",
            "vgM+TxlKsIA5MOD9wO1NI5uywLC9TGfqToQJQEVs2otc"
        ));
        assert!(!matches(
            "caBundle",
            "vgM+TxlKsIA5MOD9wO1NI5uywLC9TGfqToQJQEVs2otc"
        ));
    }
}

//! `private-key`: PEM private keys of every kind (PKCS#1/#8, EC, DSA, OpenSSH, encrypted, PGP
//! blocks) and PuTTY key files. Certificates, public keys and age ciphertext are not keys.

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{Family, Pattern, Verdict};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5012",
    name: "private-key",
    title: "Private key",
    severity: Severity::Critical,
    category: Category::Secrets,
    mitre: &["T1552.004"],
    what: "Finds PEM private keys (RSA, EC, DSA, PKCS#8, OpenSSH, encrypted, PGP key blocks) with a real body and a matching end line, and PuTTY key files; also inside base64 Secret data and ConfigMap binaryData. Certificates and public keys are not reported.",
    why: "A private key impersonates its owner: a TLS key lets an attacker serve or intercept your domain, an SSH key opens hosts and repositories, a service-account signing key mints cluster tokens.",
    fix: "Treat the key as compromised: revoke its certificate or remove it from authorized keys, issue a new one, purge the old from git history, and deliver keys with cert-manager, a CSI secret store or a Secret managed outside git.",
    example: "data:\n  tls.key: |\n    (a PEM private key block)\n",
    references: &[
        "https://kubernetes.io/docs/concepts/configuration/secret/#tls-secrets",
        "https://cert-manager.io/docs/",
    ],
};

/// The `BEGIN` label must equal the `END` label and the body must have at least 64 key
/// characters, so headers, examples and truncated snippets do not count.
fn real_key(m: &str) -> Verdict {
    let label = |line_start: &str| -> Option<String> {
        let i = m.find(line_start)?;
        let rest = &m[i + line_start.len()..];
        let end = rest.find("-----")?;
        Some(rest[..end].to_string())
    };
    let (Some(begin), Some(end)) = (label("-----BEGIN"), label("-----END")) else {
        return Verdict::Reject;
    };
    if begin.trim() != end.trim() {
        return Verdict::Reject;
    }
    // The BEGIN line's closing dashes start at the first `-----` after the opening ones.
    let Some(body_start) = m.get(10..).and_then(|r| r.find("-----")).map(|i| i + 15) else {
        return Verdict::Reject;
    };
    let Some(body_end) = m.rfind("-----END") else {
        return Verdict::Reject;
    };
    let body = m.get(body_start..body_end).unwrap_or("");
    let key_chars = body
        .bytes()
        .filter(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/' || *b == b'=')
        .count();
    if key_chars >= 64 {
        Verdict::Accept(None)
    } else {
        Verdict::Reject
    }
}

pub static PATTERNS: &[Pattern] = &[
    Pattern {
        family: Family::PrivateKey,
        literals: &["-----BEGIN"],
        regex: r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?s:.)*?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----",
        left_boundary: false,
        right_boundary: false,
        validate: real_key,
    },
    Pattern {
        family: Family::PrivateKey,
        literals: &["PuTTY-User-Key-File-"],
        regex: r"PuTTY-User-Key-File-[23]:",
        left_boundary: true,
        right_boundary: false,
        validate: crate::family::accept,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn pem(label: &str, body_len: usize, end: &str) -> String {
        let body: String = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
            .chars()
            .cycle()
            .take(body_len)
            .collect();
        format!("-----BEGIN {label}-----\n{body}\n-----END {end}-----\n")
    }

    #[test]
    fn needs_matching_labels_and_a_body() {
        assert_eq!(
            real_key(&pem("PRIVATE KEY", 64, "PRIVATE KEY")),
            Verdict::Accept(None)
        );
        assert_eq!(
            real_key(&pem("RSA PRIVATE KEY", 20, "RSA PRIVATE KEY")),
            Verdict::Reject
        );
        assert_eq!(
            real_key(&pem("RSA PRIVATE KEY", 80, "EC PRIVATE KEY")),
            Verdict::Reject
        );
    }
}

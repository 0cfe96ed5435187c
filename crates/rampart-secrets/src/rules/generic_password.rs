//! `generic-password`: a credential-shaped value under a secret-sounding name.

use rampart_model::{Category, RuleMeta, Severity};

use crate::detect::keyword::{classify, KeyClass};
use crate::detect::{entropy, placeholder};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5016",
    name: "generic-password",
    title: "Password or secret under a secret-sounding name",
    severity: Severity::Medium,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Reports a value that looks like a credential (at least 8 characters, random-looking or mixing three character classes) under a name that says password, secret, token, API key, credential and the like: env var names, flags, nested keys of embedded properties, dotenv, JSON and YAML files, URL query parameters. Settings about secrets (file paths, names, lengths, TTLs), placeholders and references are ignored.",
    why: "Plain-text passwords in manifests end up in git history, CI logs and every copy of the repository, and are readable by anyone who can read the object.",
    fix: "Move the value into a Secret created outside git (External Secrets, Sealed Secrets, SOPS, a CSI secret store) and reference it with secretKeyRef or a mounted file; rotate the exposed value.",
    example: "env:\n  - name: DB_PASSWORD\n    value: Hk7#vQ2xLm9R\n",
    references: &["https://kubernetes.io/docs/concepts/configuration/secret/"],
};

/// The keyword rule (§5.3) for one value under one context key.
pub fn matches(key: &str, value: &str) -> bool {
    if !crate::detect::keyword::may_be_keyword(key) || classify(key) != KeyClass::Keyword {
        return false;
    }
    let v = strip_scheme(value.trim());
    !placeholder::is_placeholder(v)
        && !placeholder::not_a_keyword_value(v)
        && entropy::credential_shaped(v)
}

/// `Bearer x`, `Basic x`, `token x`: the credential is what follows the scheme word.
pub fn strip_scheme(v: &str) -> &str {
    for scheme in ["Bearer ", "bearer ", "Basic ", "basic ", "Token ", "token "] {
        if let Some(rest) = v.strip_prefix(scheme) {
            return rest.trim();
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_rule() {
        assert!(matches("spring.datasource.password", "4z4u2HTvazdvXg#1Is"));
        assert!(matches("JWT_SECRET", "tXkSnCa0uIzqx73CPBrlOAOkVSYS!3Di"));
        assert!(!matches("ADMIN_PASSWORD", "changeme"));
        assert!(!matches("PASSWORD_REQUIRE_SYMBOL", "true"));
        assert!(!matches("secretKey", "password"));
        assert!(!matches(
            "checksum/secret",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        ));
        assert!(!matches("LOG_LEVEL", "Tr0ub4dor&3"));
        assert!(matches("Authorization", "Bearer Hk7vQ2xLm9RtZ3"));
    }
}

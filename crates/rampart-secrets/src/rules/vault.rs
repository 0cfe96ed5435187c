//! `vault-token`: HashiCorp Vault service, batch and recovery tokens (`hvs.`, `hvb.`, `hvr.`,
//! Vault 1.10 and later). Legacy `s.` tokens have no distinctive shape and are left to the
//! keyword rule.

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{Family, Pattern, Verdict};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5032",
    name: "vault-token",
    title: "HashiCorp Vault token",
    severity: Severity::Critical,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1528"],
    what: "Finds HashiCorp Vault service (hvs.), batch (hvb.) and recovery (hvr.) tokens in any string of any manifest, in comments and in files that do not parse.",
    why: "A Vault token reads every secret its policies allow, often the credentials of many other systems at once.",
    fix: "Revoke the token (vault token revoke), remove it from the manifest and git history, and let workloads log in with the Kubernetes auth method or the Vault Agent / CSI provider instead of a static token.",
    example: "env:\n  - name: VAULT_TOKEN\n    value: hvs.…\n",
    references: &["https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes"],
};

/// Generated tokens are base62: upper, lower and digits all occur (prose after `hvs.` does not).
fn random_body(m: &str) -> Verdict {
    let body = m.get(4..).unwrap_or("");
    let mixed = body.bytes().any(|b| b.is_ascii_uppercase())
        && body.bytes().any(|b| b.is_ascii_lowercase())
        && body.bytes().any(|b| b.is_ascii_digit());
    if mixed {
        Verdict::Accept(None)
    } else {
        Verdict::Reject
    }
}

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::VaultToken,
    literals: &["hvs.", "hvb.", "hvr."],
    regex: r"hv[sbr]\.[A-Za-z0-9_-]{24,300}",
    left_boundary: true,
    right_boundary: true,
    validate: random_body,
}];

#[cfg(test)]
mod tests {
    use crate::detect::tokens::find;
    use crate::family::Family;

    #[test]
    fn shapes() {
        assert_eq!(
            find("VAULT_TOKEN=hvs.Qm7vX2pL9kR4tW8zB1nC5yH3")[0].family,
            Family::VaultToken
        );
        assert!(find("hvs.somethingwithoutdigitsatall").is_empty());
        assert!(find("xhvs.Qm7vX2pL9kR4tW8zB1nC5yH3").is_empty());
    }
}

//! `bootstrap-token`: Kubernetes bootstrap tokens (`[a-z0-9]{6}.[a-z0-9]{16}`) next to
//! `--token` / `token:` (a `kubeadm join` line in a script or a comment), or as the whole
//! value of a token-named key (kubeadm `bootstrapTokens[].token`, `KUBEADM_TOKEN=…`).
//!
//! The shape alone is too common to report without that context.

use rampart_model::{Category, RuleMeta, Severity};

use crate::detect::keyword::{classify, words, KeyClass};
use crate::detect::placeholder::is_placeholder;
use crate::family::{Family, Pattern, Verdict};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5041",
    name: "bootstrap-token",
    title: "Kubernetes bootstrap token",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1078"],
    what: "Finds Kubernetes bootstrap tokens (six and sixteen lower-case letters or digits joined by a dot) given to --token, --discovery-token or token:, or held by a token-named key (kubeadm configuration, NAME=value assignments).",
    why: "A bootstrap token authenticates as system:bootstrappers: with it a machine can request a node client certificate and join the cluster as a node, which reads Secrets of the pods scheduled on it.",
    fix: "Delete the token (kubeadm token delete <id>), remove it from the manifest and git history, and create short-lived tokens when joining (kubeadm token create --ttl 1h --print-join-command).",
    example: "args: [\"kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef …\"]\n",
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/bootstrap-tokens/"],
};

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::BootstrapToken,
    literals: &[
        "--token",
        "--discovery-token",
        "--tls-bootstrap-token",
        "token:",
    ],
    // The capture group is the token: the finding points at it, not at the flag.
    regex: r#"(?:--(?:discovery-|tls-bootstrap-)?token[= \t]+|\btoken:[ \t]*)["']?([a-z0-9]{6}\.[a-z0-9]{16})"#,
    left_boundary: true,
    right_boundary: true,
    validate: not_example,
}];

/// `abcdef.0123456789abcdef` (the kubeadm documentation's token) and other filler.
fn example(v: &str) -> bool {
    v.split('.').any(is_placeholder)
}

fn not_example(m: &str) -> Verdict {
    if example(m) {
        Verdict::Reject
    } else {
        Verdict::Accept(None)
    }
}

/// The whole value is a bootstrap token.
pub fn shape(v: &str) -> bool {
    let Some((id, secret)) = v.split_once('.') else {
        return false;
    };
    let ok = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    ok(id, 6) && ok(secret, 16) && !example(v)
}

/// A bootstrap token as the whole value of a key naming a token.
pub fn whole_value(key: &str, v: &str) -> bool {
    shape(v)
        && classify(key) == KeyClass::Keyword
        && words(key).iter().any(|w| w.ends_with("token"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::tokens::find;

    #[test]
    fn shapes_and_context() {
        let line = "kubeadm join 10.0.0.1:6443 --token k9x2qa.7mw3pz8r1tb6yc4n --discovery-token-ca-cert-hash sha256:ab";
        let hits = find(line);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].family, Family::BootstrapToken);
        assert_eq!(&line[hits[0].start..hits[0].start + 6], "k9x2qa");
        assert!(find("version: k9x2qa.7mw3pz8r1tb6yc4n").is_empty());
        assert!(find("--token abcdef.0123456789abcdef").is_empty());
        assert!(whole_value("token", "k9x2qa.7mw3pz8r1tb6yc4n"));
        assert!(whole_value("KUBEADM_TOKEN", "k9x2qa.7mw3pz8r1tb6yc4n"));
        assert!(!whole_value("image-tag", "k9x2qa.7mw3pz8r1tb6yc4n"));
        assert!(!whole_value("token", "k9x2qa.7mw3pz8r1tb6yc4nX"));
    }
}

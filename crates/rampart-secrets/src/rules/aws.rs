//! `aws-access-key` (a token format) and `aws-secret-key` (a 40-character value that only counts
//! in an AWS context).

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{Family, Pattern, Verdict};

pub static ACCESS_KEY: RuleMeta = RuleMeta {
    id: "RMP5001",
    name: "aws-access-key",
    title: "AWS access key id",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1078.004"],
    what: "Finds AWS access key ids (long-term user keys and temporary STS keys) in any string of any manifest, in comments and in files that do not parse. Temporary keys are reported at medium severity. Keys from the AWS documentation are ignored.",
    why: "An access key id is half of a static AWS credential; the secret key usually sits next to it. Manifests are copied into git, CI logs and support tickets, and every copy is a way into the AWS account.",
    fix: "Deactivate and rotate the key in IAM, remove it from the manifest and its git history, and give the workload an identity instead (IRSA or EKS Pod Identity) or deliver the credential through a Secret managed outside git.",
    example: "env:\n  - name: AWS_ACCESS_KEY_ID\n    value: AKIAZ7QX2M4R5T6Y3W2P\n",
    references: &[
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
        "https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html",
    ],
};

pub static SECRET_KEY: RuleMeta = RuleMeta {
    id: "RMP5002",
    name: "aws-secret-key",
    title: "AWS secret access key",
    severity: Severity::Critical,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1078.004"],
    what: "Finds 40-character AWS secret access keys: a value of that shape under a name that mentions AWS and a secret or access key, under a secret-access-key name, or in an object that also holds an AWS access key id.",
    why: "With the access key id, the secret key signs any AWS API call the IAM user may make, from anywhere, until someone rotates it.",
    fix: "Rotate the key pair in IAM now, purge it from git history, and switch the workload to IRSA or EKS Pod Identity; if a static key is unavoidable keep it in a secret manager and sync it with External Secrets.",
    example: "env:\n  - name: AWS_SECRET_ACCESS_KEY\n    value: q8Vz3kR1mT6wY0pL4sN7dF2hJ9bX5cG1aE8uK3oW\n",
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"],
};

/// AWS documentation's example keys end like this; they are never real.
fn not_documentation(m: &str) -> Verdict {
    if m.ends_with("EXAMPLE") {
        return Verdict::Reject;
    }
    if m.starts_with("ASIA") {
        // Temporary STS credentials expire within hours.
        return Verdict::Accept(Some(Severity::Medium));
    }
    Verdict::Accept(None)
}

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::AwsAccessKey,
    literals: &["AKIA", "ASIA", "ABIA", "ACCA", "A3T"],
    regex: r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}",
    left_boundary: true,
    right_boundary: true,
    validate: not_documentation,
}];

/// A value with the shape of a secret access key (the whole value, trimmed).
pub fn secret_key_shape(v: &str) -> bool {
    v.len() == 40
        && v
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && !v.ends_with("EXAMPLEKEY")
        // Hex digests and all-letter words have this length too; real keys mix classes.
        && v.bytes().any(|b| b.is_ascii_digit())
        && v.bytes().any(|b| b.is_ascii_uppercase())
        && v.bytes().any(|b| b.is_ascii_lowercase())
}

/// A key, flag or variable name that says "AWS secret key" (§5.2).
pub fn secret_key_name(key: &str) -> bool {
    let k: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (k.contains("aws") && (k.contains("secret") || k.contains("access")))
        || k.ends_with("secretaccesskey")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_shapes() {
        assert!(secret_key_name("AWS_SECRET_ACCESS_KEY"));
        assert!(secret_key_name("secret-access-key"));
        assert!(secret_key_name("secretAccessKey"));
        assert!(!secret_key_name("SECRET_KEY"));
        assert!(secret_key_shape("q8Vz3kR1mT6wY0pL4sN7dF2hJ9bX5cG1aE8uK3oW"));
        assert!(!secret_key_shape(
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        ));
        assert!(!secret_key_shape(
            "0123456789abcdef0123456789abcdef01234567"
        ));
    }

    #[test]
    fn documentation_keys_and_temporary_keys() {
        assert_eq!(not_documentation("AKIAIOSFODNN7EXAMPLE"), Verdict::Reject);
        assert_eq!(
            not_documentation("ASIAZ7QX2M4R5T6Y3W2P"),
            Verdict::Accept(Some(Severity::Medium))
        );
    }
}

//! `age-secret-key`: age identities (`AGE-SECRET-KEY-1` + 58 Bech32 characters), the private
//! half of the `age1…` recipients SOPS and Flux encrypt to.

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5040",
    name: "age-secret-key",
    title: "age secret key",
    severity: Severity::Critical,
    category: Category::Secrets,
    mitre: &["T1552.004"],
    what: "Finds age secret keys (AGE-SECRET-KEY-1 followed by 58 Bech32 characters) in any string of any manifest, in comments and in files that do not parse, including a Flux sops-age Secret committed with its key.",
    why: "An age identity decrypts every SOPS file encrypted to its recipient: committing it next to the encrypted manifests turns all of them back into plain text.",
    fix: "Generate a new identity (age-keygen), re-encrypt the SOPS files to the new recipient (sops updatekeys), remove the old key from git history, and create the decryption Secret in the cluster only.",
    example: "stringData:\n  age.agekey: AGE-SECRET-KEY-1…\n",
    references: &["https://github.com/FiloSottile/age", "https://fluxcd.io/flux/guides/mozilla-sops/"],
};

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::AgeSecretKey,
    literals: &["AGE-SECRET-KEY-1"],
    regex: r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
    left_boundary: true,
    right_boundary: true,
    validate: accept,
}];

#[cfg(test)]
mod tests {
    use crate::detect::tokens::find;
    use crate::family::Family;

    #[test]
    fn shapes() {
        let body: String = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
            .chars()
            .cycle()
            .take(58)
            .collect();
        assert_eq!(
            find(&format!("AGE-SECRET-KEY-1{body}"))[0].family,
            Family::AgeSecretKey
        );
        assert!(find("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p").is_empty());
    }
}

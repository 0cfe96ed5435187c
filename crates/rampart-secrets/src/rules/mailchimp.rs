//! `mailchimp-api-key`: Mailchimp Marketing API keys (32 hex + `-us` + data-centre number).

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{Family, Pattern, Verdict};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5038",
    name: "mailchimp-api-key",
    title: "Mailchimp API key",
    severity: Severity::Medium,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Finds Mailchimp Marketing API keys (32 hex digits, -us and the data-centre number) in any string of any manifest, in comments and in files that do not parse.",
    why: "A Mailchimp key exports the audience (names and e-mail addresses) and sends campaigns from the organisation's domain: data theft and convincing phishing.",
    fix: "Revoke the key in the Mailchimp account settings, remove it from the manifest and git history, and deliver a new key through a Secret managed outside git.",
    example: "env:\n  - name: MAILCHIMP_API_KEY\n    value: <32 hex>-us21\n",
    references: &["https://mailchimp.com/developer/marketing/guides/quick-start/#generate-your-api-key"],
};

/// Random hex mixes letters and digits.
fn random_hex(m: &str) -> Verdict {
    let hex = m.get(..32).unwrap_or("");
    if hex.bytes().any(|b| b.is_ascii_digit()) && hex.bytes().any(|b| b.is_ascii_lowercase()) {
        Verdict::Accept(None)
    } else {
        Verdict::Reject
    }
}

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::MailchimpKey,
    literals: &["-us"],
    regex: r"[0-9a-f]{32}-us[0-9]{1,2}",
    left_boundary: true,
    right_boundary: true,
    validate: random_hex,
}];

#[cfg(test)]
mod tests {
    use crate::detect::tokens::find;
    use crate::family::Family;

    #[test]
    fn shapes() {
        assert_eq!(
            find("key=3f9a0c7e51b2d8643f9a0c7e51b2d864-us21")[0].family,
            Family::MailchimpKey
        );
        assert!(find("3f9a0c7e51b2d8643f9a0c7e51b2d864-user").is_empty());
    }
}

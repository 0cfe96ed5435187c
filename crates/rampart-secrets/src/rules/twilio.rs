//! `twilio-api-key`: Twilio API key SIDs paired with their secret (`SK` + 32 hex).

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{Family, Pattern, Verdict};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5037",
    name: "twilio-api-key",
    title: "Twilio API key",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Finds Twilio API keys (SK followed by 32 lower-case hex digits) in any string of any manifest, in comments and in files that do not parse.",
    why: "With its secret, a Twilio API key sends messages and places calls billed to the account, and reads message logs that often carry one-time codes.",
    fix: "Delete the key in the Twilio console, remove it from the manifest and git history, and deliver a new key and secret through a Secret managed outside git.",
    example: "env:\n  - name: TWILIO_API_KEY\n    value: SK<32 hex>\n",
    references: &["https://www.twilio.com/docs/iam/api-keys"],
};

/// A key SID is random hex: letters and digits both occur (`SK` + a counter does not).
fn random_hex(m: &str) -> Verdict {
    let body = m.get(2..).unwrap_or("");
    if body.bytes().any(|b| b.is_ascii_digit()) && body.bytes().any(|b| b.is_ascii_lowercase()) {
        Verdict::Accept(None)
    } else {
        Verdict::Reject
    }
}

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::TwilioKey,
    literals: &["SK"],
    regex: r"SK[0-9a-f]{32}",
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
            find("SK3f9a0c7e51b2d8643f9a0c7e51b2d864")[0].family,
            Family::TwilioKey
        );
        assert!(find("TASK3f9a0c7e51b2d8643f9a0c7e51b2d864").is_empty());
        assert!(find("SK00000000000000000000000000000000").is_empty());
    }
}

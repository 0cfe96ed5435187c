//! `huggingface-token`: Hugging Face user access tokens (`hf_` + 34 letters).

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{Family, Pattern, Verdict};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5035",
    name: "huggingface-token",
    title: "Hugging Face access token",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1195.001"],
    what: "Finds Hugging Face user access tokens (hf_ followed by 34 letters) in any string of any manifest, in comments and in files that do not parse.",
    why: "A write token publishes models and datasets under its owner's name (a model-supply-chain entry point); a read token opens private and gated repositories.",
    fix: "Invalidate the token in the Hugging Face settings, remove it from the manifest and git history, and mount a fine-grained read token from a Secret managed outside git.",
    example: "env:\n  - name: HF_TOKEN\n    value: hf_<34 letters>\n",
    references: &["https://huggingface.co/docs/hub/security-tokens"],
};

/// Generated tokens mix upper and lower case; an identifier such as `hf_` + a word does not.
fn mixed_case(m: &str) -> Verdict {
    let body = m.get(3..).unwrap_or("");
    if body.bytes().any(|b| b.is_ascii_uppercase()) && body.bytes().any(|b| b.is_ascii_lowercase())
    {
        Verdict::Accept(None)
    } else {
        Verdict::Reject
    }
}

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::HuggingfaceToken,
    literals: &["hf_"],
    regex: r"hf_[A-Za-z]{34}",
    left_boundary: true,
    right_boundary: true,
    validate: mixed_case,
}];

#[cfg(test)]
mod tests {
    use crate::detect::tokens::find;
    use crate::family::Family;

    #[test]
    fn shapes() {
        assert_eq!(
            find("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")[0].family,
            Family::HuggingfaceToken
        );
        assert!(find("hf_abcdefghijklmnopqrstuvwxyzabcdefgh").is_empty());
        assert!(find("hf_QmvXpLkRtWzBnCyHjDfPsAgEuKrTqWzXbNx").is_empty());
    }
}

//! `anthropic-api-key`: Anthropic API and admin keys (`sk-ant-api03-…AA`, `sk-ant-admin01-…AA`).

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5031",
    name: "anthropic-api-key",
    title: "Anthropic API key",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Finds Anthropic API keys and admin keys (sk-ant-api03-, sk-ant-admin01- followed by 93 characters and AA) in any string of any manifest, in comments and in files that do not parse.",
    why: "An Anthropic key bills its workspace for every request made with it; an admin key manages the organisation's members and keys.",
    fix: "Disable the key in the Anthropic console, remove it from the manifest and git history, and deliver a new key through a Secret managed outside git.",
    example: "env:\n  - name: ANTHROPIC_API_KEY\n    value: sk-ant-api03-…AA\n",
    references: &["https://docs.anthropic.com/en/api/getting-started#authentication"],
};

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::AnthropicKey,
    literals: &["sk-ant-"],
    regex: r"sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA",
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
        let body: String = "Qm7vX2pL9kR4tW8zB1nC5yH3jD6fP0sA2gE4u_-"
            .chars()
            .cycle()
            .take(93)
            .collect();
        assert_eq!(
            find(&format!("sk-ant-api03-{body}AA"))[0].family,
            Family::AnthropicKey
        );
        assert!(find(&format!("sk-ant-api03-{body}AB")).is_empty());
    }
}

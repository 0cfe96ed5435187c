//! `openai-api-key`: OpenAI API keys (user, project, service-account and admin keys). Every
//! format embeds `T3BlbkFJ` (base64 of `OpenAI`), which the prefilter keys on.

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5030",
    name: "openai-api-key",
    title: "OpenAI API key",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Finds OpenAI API keys (sk-, sk-proj-, sk-svcacct-, sk-admin- keys carrying the T3BlbkFJ marker) in any string of any manifest, in comments and in files that do not parse.",
    why: "An OpenAI key bills its organisation for every request and, for admin keys, manages the organisation's users and keys; leaked keys are harvested from public repositories within minutes.",
    fix: "Revoke the key in the OpenAI dashboard, remove it from the manifest and git history, and deliver a project-scoped key through a Secret managed outside git.",
    example: "env:\n  - name: OPENAI_API_KEY\n    value: sk-proj-…T3BlbkFJ…\n",
    references: &["https://platform.openai.com/docs/api-reference/authentication"],
};

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::OpenaiKey,
    literals: &["T3BlbkFJ"],
    regex: r"sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,160}T3BlbkFJ[A-Za-z0-9_-]{20,160}",
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
        let key = "sk-proj-Qm7vX2pL9kR4tW8zB1nC5yH3jD6fP0sA2gE4uT3BlbkFJk9Rt2Wq5Zx8Lm3Np6Vb1Cy4Hd7";
        assert_eq!(find(key)[0].family, Family::OpenaiKey);
        assert_eq!(
            find("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")[0].family,
            Family::OpenaiKey
        );
        assert!(find("sk-short-T3BlbkFJ").is_empty());
    }
}

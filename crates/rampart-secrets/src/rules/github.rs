//! `github-token`: classic tokens (personal, OAuth, user-to-server, server-to-server, refresh)
//! and fine-grained personal access tokens.

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5003",
    name: "github-token",
    title: "GitHub token",
    severity: Severity::Critical,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1078"],
    what: "Finds GitHub personal access tokens (classic and fine-grained), OAuth, user-to-server, server-to-server (GitHub App installation) and refresh tokens by their documented prefixes, anywhere in a manifest, in comments and in files that do not parse.",
    why: "A GitHub token reads and often writes source code, packages and workflows; a leaked one is a direct supply-chain entry point.",
    fix: "Revoke the token in GitHub (it is also reported to GitHub's secret scanning if pushed), remove it from git history, and mount a short-lived token from a Secret managed outside git (for example a GitHub App token minted by a controller).",
    example: "env:\n  - name: GITHUB_TOKEN\n    value: ghp_Q7vX2mR9kL4tW8zB1nC5yH3jD6fP0sA2gE4u\n",
    references: &["https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats"],
};

pub static PATTERNS: &[Pattern] = &[
    Pattern {
        family: Family::GithubToken,
        literals: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        regex: r"gh[pousr]_[A-Za-z0-9]{36}",
        left_boundary: true,
        right_boundary: true,
        validate: accept,
    },
    Pattern {
        family: Family::GithubToken,
        literals: &["github_pat_"],
        regex: r"github_pat_[A-Za-z0-9_]{82}",
        left_boundary: true,
        right_boundary: true,
        validate: accept,
    },
];

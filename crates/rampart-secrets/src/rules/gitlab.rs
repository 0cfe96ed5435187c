//! `gitlab-token`: personal, deploy, feed, OAuth, runner, CI/CD, trigger, mail, agent tokens and
//! legacy runner registration tokens.

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5004",
    name: "gitlab-token",
    title: "GitLab token",
    severity: Severity::Critical,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1078"],
    what: "Finds GitLab tokens by their prefixes: personal and project access tokens, deploy, feed, OAuth application secrets, runner authentication and registration tokens, CI/CD job, pipeline trigger, incoming mail and Kubernetes agent tokens.",
    why: "GitLab tokens give API access to repositories, registries and pipelines; runner and agent tokens let an attacker run jobs or reach the cluster the agent manages.",
    fix: "Revoke the token in GitLab, remove it from git history, and deliver a scoped, expiring token through a Secret managed outside git.",
    example: "args:\n  - --api-token\n  - glpat-Xq2Lm8Rt4Vw9Zb1Nc7Yd\n",
    references: &["https://docs.gitlab.com/ee/security/tokens/"],
};

pub static PATTERNS: &[Pattern] = &[
    Pattern {
        family: Family::GitlabToken,
        literals: &[
            "glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "glcbt-", "glptt-", "glimt-",
            "glagent-", "gloas-",
        ],
        regex: r"gl(?:pat|dt|ft|soat|rt|cbt|ptt|imt|agent|oas)-[A-Za-z0-9_-]{20,}",
        left_boundary: true,
        right_boundary: true,
        validate: accept,
    },
    Pattern {
        family: Family::GitlabToken,
        literals: &["GR1348941"],
        regex: r"GR1348941[A-Za-z0-9_-]{20,}",
        left_boundary: true,
        right_boundary: true,
        validate: accept,
    },
];

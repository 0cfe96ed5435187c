//! `npm-token`: npm access tokens, and legacy UUID tokens in an `.npmrc` auth line.

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5010",
    name: "npm-token",
    title: "npm access token",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001", "T1195.001"],
    what: "Finds npm access tokens, and legacy UUID tokens on the registry auth line of an npmrc file.",
    why: "A publish-capable npm token lets an attacker ship a malicious version of every package the account maintains.",
    fix: "Revoke the token on npmjs.com, remove it from the manifest and git history, and inject a granular, read-only token at build time from a secret manager.",
    example: "data:\n  .npmrc: |\n    //registry.npmjs.org/:_authToken=npm_Qm7vX2pL9kR4tW8zB1nC5yH3jD6fP0sA2gE4\n",
    references: &["https://docs.npmjs.com/about-access-tokens"],
};

pub static PATTERNS: &[Pattern] = &[
    Pattern {
        family: Family::NpmToken,
        literals: &["npm_"],
        regex: r"npm_[A-Za-z0-9]{36}",
        left_boundary: true,
        right_boundary: true,
        validate: accept,
    },
    Pattern {
        family: Family::NpmToken,
        literals: &["_authToken"],
        regex: r"_authToken\s*=\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        left_boundary: false,
        right_boundary: true,
        validate: accept,
    },
];

//! `google-api-key`: Google Cloud / Firebase / Maps API keys.

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5008",
    name: "google-api-key",
    title: "Google API key",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Finds Google API keys (Maps, Firebase, Cloud APIs) by their fixed prefix and length.",
    why: "An unrestricted API key bills its project for any enabled API and may read Firebase data; keys in manifests are rarely restricted to a referrer or IP.",
    fix: "Delete or regenerate the key in the Google Cloud console, add API and application restrictions to its replacement, and deliver it from a secret manager.",
    example: "stringData:\n  maps-api-key: AIzaQm7vX2pL9kR4tW8zB1nC5yH3jD6fP0sA2gE\n",
    references: &["https://cloud.google.com/docs/authentication/api-keys"],
};

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::GoogleApiKey,
    literals: &["AIza"],
    regex: r"AIza[0-9A-Za-z_-]{35}",
    left_boundary: true,
    right_boundary: true,
    validate: accept,
}];

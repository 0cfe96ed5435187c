//! `sendgrid-key`: SendGrid API keys.

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5011",
    name: "sendgrid-key",
    title: "SendGrid API key",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Finds SendGrid API keys (two dot-separated base64url parts after a fixed prefix).",
    why: "A SendGrid key sends mail from your verified domains, the ideal phishing channel, and may read contacts and templates.",
    fix: "Delete the key in SendGrid, remove it from the manifest and git history, and mount a restricted replacement from a secret manager.",
    example: "data:\n  SENDGRID_API_KEY: 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\n",
    references: &["https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys"],
};

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::SendgridKey,
    literals: &["SG."],
    regex: r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
    left_boundary: true,
    right_boundary: true,
    validate: accept,
}];

//! `slack-token` (bot, user, app, refresh and configuration tokens) and `slack-webhook`
//! (incoming webhooks, workflow and trigger URLs).

use rampart_model::{Category, RuleMeta, Severity};

use crate::family::{accept, Family, Pattern};

pub static TOKEN: RuleMeta = RuleMeta {
    id: "RMP5005",
    name: "slack-token",
    title: "Slack token",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Finds Slack bot, user, workspace, app-level, refresh and configuration tokens by their documented prefixes.",
    why: "A Slack token reads channels and direct messages and posts as the bot or user; chat history is full of credentials and internal links.",
    fix: "Revoke the token in the Slack app settings, remove it from the manifest and git history, and mount it from a Secret managed outside git.",
    example: "data:\n  SLACK_BOT_TOKEN: xoxb-482915730216-593810274615-Qm7vX2pL9kR4tW8zB1nC5yH3\n",
    references: &["https://api.slack.com/authentication/token-types"],
};

pub static WEBHOOK: RuleMeta = RuleMeta {
    id: "RMP5006",
    name: "slack-webhook",
    title: "Slack webhook URL",
    severity: Severity::Medium,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Finds Slack incoming-webhook, workflow and trigger URLs; the URL itself is the credential.",
    why: "Anyone holding the URL can post into the channel as your integration, which makes convincing phishing and alert spoofing easy.",
    fix: "Regenerate the webhook in Slack, remove the URL from the manifest and git history, and read it from a Secret managed outside git.",
    example: "metadata:\n  annotations:\n    alerts/slack: https://hooks.slack.com/services/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\n",
    references: &["https://api.slack.com/messaging/webhooks"],
};

pub static PATTERNS: &[Pattern] = &[
    Pattern {
        family: Family::SlackToken,
        literals: &["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxo-"],
        regex: r"xox[bpaors]-[0-9]{1,16}-[0-9A-Za-z-]{8,}",
        left_boundary: true,
        right_boundary: true,
        validate: accept,
    },
    Pattern {
        family: Family::SlackToken,
        literals: &["xoxe.xox", "xoxe-"],
        regex: r"(?i)xoxe\.xox[bp]-\d-[A-Z0-9]{163,166}|xoxe-\d-[A-Z0-9]{146}",
        left_boundary: true,
        right_boundary: true,
        validate: accept,
    },
    Pattern {
        family: Family::SlackToken,
        literals: &["xapp-"],
        regex: r"(?i)xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+",
        left_boundary: true,
        right_boundary: true,
        validate: accept,
    },
    Pattern {
        family: Family::SlackWebhook,
        literals: &["hooks.slack.com"],
        regex: r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}",
        left_boundary: false,
        right_boundary: true,
        validate: accept,
    },
];

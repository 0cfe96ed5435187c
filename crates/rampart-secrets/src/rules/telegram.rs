//! `telegram-bot-token`: Telegram Bot API tokens (`<bot id>:AA…`, 35 characters after the
//! colon; the secret part of current tokens starts with `A`).

use rampart_model::{Category, RuleMeta, Severity};

use crate::detect::entropy::shannon;
use crate::family::{Family, Pattern, Verdict};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5039",
    name: "telegram-bot-token",
    title: "Telegram bot token",
    severity: Severity::Medium,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Finds Telegram Bot API tokens (a numeric bot id, a colon and a 35-character secret) in any string of any manifest, in comments and in files that do not parse.",
    why: "The token is the bot: whoever holds it reads the messages sent to the bot (alerts, chat-ops commands) and speaks in its name.",
    fix: "Revoke the token with BotFather (/revoke), remove it from the manifest and git history, and deliver the new token through a Secret managed outside git.",
    example: "env:\n  - name: TELEGRAM_BOT_TOKEN\n    value: 123456789:AA…\n",
    references: &["https://core.telegram.org/bots/api#authorizing-your-bot"],
};

/// The secret part is random: a run of repeated or sequential characters is not a token.
fn random_secret(m: &str) -> Verdict {
    let secret = m.rsplit(':').next().unwrap_or("");
    if shannon(secret) >= 4.0 {
        Verdict::Accept(None)
    } else {
        Verdict::Reject
    }
}

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::TelegramBotToken,
    literals: &[":A"],
    // The id starts after a non-word character or the `bot` of an API URL; the capture group is
    // the token.
    regex: r"(?:^|[^A-Za-z0-9_]|bot)([0-9]{8,10}:A[A-Za-z0-9_-]{34})",
    left_boundary: false,
    right_boundary: true,
    validate: random_secret,
}];

#[cfg(test)]
mod tests {
    use crate::detect::tokens::find;
    use crate::family::Family;

    #[test]
    fn shapes() {
        assert_eq!(
            find("https://api.telegram.org/bot123456789:AAHk7vQ2xLm9RtZ3wBn5Cy8Dp1Fs4Gj6Kq0/sendMessage")[0].family,
            Family::TelegramBotToken
        );
        assert!(find("123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").is_empty());
        assert!(find("x123456789:AAHk7vQ2xLm9RtZ3wBn5Cy8Dp1Fs4Gj6Kq0").is_empty());
    }
}

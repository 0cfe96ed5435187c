//! Value families: the rule names of findings that report a credential, and their precedence.

use rampart_model::{RuleMeta, Severity};

use crate::rules;

/// A value family from the fixed vocabulary (`secrets.md` §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    PrivateKey,
    AwsAccessKey,
    GithubToken,
    GitlabToken,
    SlackToken,
    SlackWebhook,
    StripeKey,
    GoogleApiKey,
    AzureStorageKey,
    NpmToken,
    SendgridKey,
    Jwt,
    OpenaiKey,
    AnthropicKey,
    VaultToken,
    TerraformToken,
    DigitaloceanToken,
    HuggingfaceToken,
    PypiToken,
    TwilioKey,
    MailchimpKey,
    TelegramBotToken,
    AgeSecretKey,
    BootstrapToken,
    AwsSecretKey,
    DockerConfigAuth,
    BasicAuthUrl,
    SecretInGit,
    GenericPassword,
    HighEntropy,
    LastAppliedSecret,
}

impl Family {
    /// Every family, the single list the lookups below derive from.
    pub const ALL: [Family; 31] = [
        Family::PrivateKey,
        Family::AwsAccessKey,
        Family::GithubToken,
        Family::GitlabToken,
        Family::SlackToken,
        Family::SlackWebhook,
        Family::StripeKey,
        Family::GoogleApiKey,
        Family::AzureStorageKey,
        Family::NpmToken,
        Family::SendgridKey,
        Family::Jwt,
        Family::OpenaiKey,
        Family::AnthropicKey,
        Family::VaultToken,
        Family::TerraformToken,
        Family::DigitaloceanToken,
        Family::HuggingfaceToken,
        Family::PypiToken,
        Family::TwilioKey,
        Family::MailchimpKey,
        Family::TelegramBotToken,
        Family::AgeSecretKey,
        Family::BootstrapToken,
        Family::AwsSecretKey,
        Family::DockerConfigAuth,
        Family::BasicAuthUrl,
        Family::SecretInGit,
        Family::GenericPassword,
        Family::HighEntropy,
        Family::LastAppliedSecret,
    ];

    /// The family whose rule name is `name`.
    pub fn from_name(name: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.meta().name == name)
    }

    /// Lower is more specific (§5.6): for one located value only the lowest rank is reported.
    pub fn rank(self) -> u8 {
        match self {
            Family::PrivateKey => 0,
            Family::AwsAccessKey
            | Family::GithubToken
            | Family::GitlabToken
            | Family::SlackToken
            | Family::SlackWebhook
            | Family::StripeKey
            | Family::GoogleApiKey
            | Family::AzureStorageKey
            | Family::NpmToken
            | Family::SendgridKey
            | Family::Jwt
            | Family::OpenaiKey
            | Family::AnthropicKey
            | Family::VaultToken
            | Family::TerraformToken
            | Family::DigitaloceanToken
            | Family::HuggingfaceToken
            | Family::PypiToken
            | Family::TwilioKey
            | Family::MailchimpKey
            | Family::TelegramBotToken
            | Family::AgeSecretKey
            | Family::BootstrapToken => 1,
            Family::AwsSecretKey => 2,
            Family::DockerConfigAuth => 3,
            Family::BasicAuthUrl => 4,
            Family::SecretInGit => 5,
            Family::GenericPassword => 6,
            Family::HighEntropy => 7,
            Family::LastAppliedSecret => 8,
        }
    }

    /// Families that may win over `secret-in-git` inside a Secret (§3 step 1), plus URLs.
    pub fn is_specific(self) -> bool {
        self.rank() <= Family::BasicAuthUrl.rank()
    }

    pub fn meta(self) -> &'static RuleMeta {
        match self {
            Family::PrivateKey => &rules::private_key::META,
            Family::AwsAccessKey => &rules::aws::ACCESS_KEY,
            Family::AwsSecretKey => &rules::aws::SECRET_KEY,
            Family::GithubToken => &rules::github::META,
            Family::GitlabToken => &rules::gitlab::META,
            Family::SlackToken => &rules::slack::TOKEN,
            Family::SlackWebhook => &rules::slack::WEBHOOK,
            Family::StripeKey => &rules::stripe::META,
            Family::GoogleApiKey => &rules::google::META,
            Family::AzureStorageKey => &rules::azure::META,
            Family::NpmToken => &rules::npm::META,
            Family::SendgridKey => &rules::sendgrid::META,
            Family::Jwt => &rules::jwt::META,
            Family::OpenaiKey => &rules::openai::META,
            Family::AnthropicKey => &rules::anthropic::META,
            Family::VaultToken => &rules::vault::META,
            Family::TerraformToken => &rules::terraform::META,
            Family::DigitaloceanToken => &rules::digitalocean::META,
            Family::HuggingfaceToken => &rules::huggingface::META,
            Family::PypiToken => &rules::pypi::META,
            Family::TwilioKey => &rules::twilio::META,
            Family::MailchimpKey => &rules::mailchimp::META,
            Family::TelegramBotToken => &rules::telegram::META,
            Family::AgeSecretKey => &rules::age::META,
            Family::BootstrapToken => &rules::bootstrap_token::META,
            Family::DockerConfigAuth => &rules::docker_config::META,
            Family::BasicAuthUrl => &rules::basic_auth_url::META,
            Family::SecretInGit => &rules::secret_in_git::META,
            Family::GenericPassword => &rules::generic_password::META,
            Family::HighEntropy => &rules::high_entropy::META,
            Family::LastAppliedSecret => &rules::last_applied::META,
        }
    }

    /// Words for messages; never a prefix or any other part of a value.
    pub fn noun(self) -> &'static str {
        self.meta().title
    }
}

/// What a token pattern's validator says about a regex match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Reject,
    Accept(Option<Severity>),
}

/// One regular-expression shape of a token family.
#[derive(Debug)]
pub struct Pattern {
    pub family: Family,
    /// Literals, one of which every match contains (the Aho-Corasick prefilter).
    pub literals: &'static [&'static str],
    pub regex: &'static str,
    /// Require a non-word character (or the text's edge) before the match.
    pub left_boundary: bool,
    /// Require that the match is not followed by `[A-Za-z0-9]`.
    pub right_boundary: bool,
    pub validate: fn(&str) -> Verdict,
}

/// A validator that accepts every match.
pub fn accept(_: &str) -> Verdict {
    Verdict::Accept(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut names: Vec<&str> = Family::ALL.iter().map(|f| f.meta().name).collect();
        for f in Family::ALL {
            assert_eq!(Family::from_name(f.meta().name), Some(f));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Family::ALL.len());
    }

    /// Every rule is either a value family (listed in `ALL`) or a posture rule over objects.
    #[test]
    fn every_value_rule_is_a_family() {
        let posture: Vec<&str> = rules::POSTURE.iter().map(|r| r.id).collect();
        for r in rules::ALL {
            assert!(
                Family::from_name(r.name).is_some() != posture.contains(&r.id),
                "{} {} must be exactly one of a family or a posture rule",
                r.id,
                r.name
            );
        }
    }
}

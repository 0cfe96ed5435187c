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
    AwsSecretKey,
    DockerConfigAuth,
    BasicAuthUrl,
    SecretInGit,
    GenericPassword,
    HighEntropy,
    LastAppliedSecret,
}

impl Family {
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
            | Family::Jwt => 1,
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

//! Suppressions for `rampart audit detect --config FILE` (YAML):
//!
//! ```yaml
//! suppress:                 # hides findings of every rule
//!   users: ["ci-bot", "system:serviceaccount:argocd:*"]
//!   namespaces: ["sandbox-*"]
//! rules:                    # hides findings of one rule
//!   RMP6101:
//!     users: ["oncall@example.com"]
//!     namespaces: ["dev"]
//! disabled: [RMP6126]       # turns rules off
//! ```
//!
//! `users` match the authenticated caller (`user.username`), never the impersonated
//! identity, so impersonating a suppressed user hides nothing. `namespaces` match
//! `objectRef.namespace`. A `*` in a pattern matches any run of characters.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Who and where not to report.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub namespaces: Vec<String>,
}

impl Scope {
    fn covers(&self, user: &str, namespace: &str) -> bool {
        self.users.iter().any(|p| glob(p, user))
            || (!namespace.is_empty() && self.namespaces.iter().any(|p| glob(p, namespace)))
    }
}

/// The detection configuration file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DetectConfig {
    #[serde(default)]
    pub suppress: Scope,
    #[serde(default)]
    pub rules: BTreeMap<String, Scope>,
    #[serde(default)]
    pub disabled: Vec<String>,
}

/// A configuration file that could not be read as one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid detect configuration: {0}")]
pub struct ConfigError(pub String);

impl DetectConfig {
    /// Parses the YAML text of a configuration file; unknown rule ids are errors (a typo
    /// would silently suppress nothing).
    pub fn parse(text: &str, known_ids: &[&str]) -> Result<Self, ConfigError> {
        let cfg: Option<DetectConfig> =
            serde_saphyr::from_str(text).map_err(|e| ConfigError(e.to_string()))?;
        let cfg = cfg.unwrap_or_default();
        for id in cfg.rules.keys().chain(&cfg.disabled) {
            if !known_ids.contains(&id.as_str()) {
                return Err(ConfigError(format!("unknown rule id `{id}`")));
            }
        }
        Ok(cfg)
    }

    pub(crate) fn disabled(&self, id: &str) -> bool {
        self.disabled.iter().any(|d| d == id)
    }

    /// True when a finding of `id` on this caller and namespace is to be hidden.
    pub(crate) fn suppressed(&self, id: &str, user: &str, namespace: &str) -> bool {
        self.suppress.covers(user, namespace)
            || self
                .rules
                .get(id)
                .is_some_and(|s| s.covers(user, namespace))
    }
}

/// `*` matches any run of characters; everything else literally.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("ci-bot", "ci-bot"));
        assert!(!glob("ci-bot", "ci-bot2"));
        assert!(glob(
            "system:serviceaccount:argocd:*",
            "system:serviceaccount:argocd:server"
        ));
        assert!(glob("*@example.com", "a@example.com"));
        assert!(glob("a*b*c", "aXbYc"));
        assert!(!glob("a*b*c", "aXc"));
        assert!(!glob("ab*ab", "ab"));
        assert!(glob("*", ""));
    }

    #[test]
    fn parses_and_checks_ids() {
        let ids = ["RMP6101", "RMP6126"];
        let cfg = DetectConfig::parse(
            "suppress:\n  users: [ci-bot]\nrules:\n  RMP6101:\n    namespaces: [dev]\ndisabled: [RMP6126]\n",
            &ids,
        )
        .unwrap();
        assert!(cfg.suppressed("RMP6102", "ci-bot", "x"));
        assert!(cfg.suppressed("RMP6101", "alice", "dev"));
        assert!(!cfg.suppressed("RMP6102", "alice", "dev"));
        assert!(cfg.disabled("RMP6126"));
        assert!(DetectConfig::parse("disabled: [RMP9999]\n", &ids).is_err());
        assert!(DetectConfig::parse("suppres: {}\n", &ids).is_err());
        assert_eq!(
            DetectConfig::parse("", &ids).unwrap(),
            DetectConfig::default()
        );
    }
}

//! `PodSecurityConfiguration` (`pod-security.admission.config.k8s.io/{v1,v1beta1,v1alpha1}`):
//! defaults and exemptions, decoded strictly and validated as upstream does.

use std::collections::HashSet;
use std::fmt;

use serde_json::{Map, Value};

use super::policy::Policy;
use crate::level::{Level, LevelVersion, ParseError, Version};

const GROUP: &str = "pod-security.admission.config.k8s.io";
const VERSIONS: [&str; 3] = ["v1", "v1beta1", "v1alpha1"];

/// Every problem found in a configuration, one per line (upstream aggregates them).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError(pub Vec<String>);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid PodSecurityConfiguration: {}", self.0.join("; "))
    }
}

/// A validated configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSecurityConfiguration {
    pub defaults: Policy,
    pub exempt_usernames: Vec<String>,
    pub exempt_runtime_classes: Vec<String>,
    pub exempt_namespaces: Vec<String>,
}

impl Default for PodSecurityConfiguration {
    /// What an absent or empty file means: everything privileged, nothing exempt.
    fn default() -> Self {
        Self {
            defaults: Policy::privileged(),
            exempt_usernames: Vec::new(),
            exempt_runtime_classes: Vec::new(),
            exempt_namespaces: Vec::new(),
        }
    }
}

impl PodSecurityConfiguration {
    /// Decodes and validates a `PodSecurityConfiguration` document, or an
    /// `apiserver.config.k8s.io` `AdmissionConfiguration` whose `PodSecurity` plugin embeds one.
    /// `null` (an empty file) is the default configuration.
    pub fn from_value(doc: &Value) -> Result<Self, ConfigError> {
        let Some(top) = doc.as_object() else {
            return if doc.is_null() {
                Ok(Self::default())
            } else {
                Err(ConfigError(vec!["the document must be a mapping".into()]))
            };
        };
        if top.get("kind").and_then(Value::as_str) == Some("AdmissionConfiguration") {
            return Self::from_admission_configuration(top);
        }
        let mut errs = Vec::new();
        check_type_meta(top, &mut errs);
        known_fields(
            top,
            "",
            &["apiVersion", "kind", "defaults", "exemptions"],
            &mut errs,
        );
        let defaults = match top.get("defaults") {
            None | Some(Value::Null) => Policy::privileged(),
            Some(Value::Object(d)) => parse_defaults(d, &mut errs),
            Some(_) => {
                errs.push("defaults: must be a mapping".into());
                Policy::privileged()
            }
        };
        let mut cfg = Self {
            defaults,
            ..Self::default()
        };
        match top.get("exemptions") {
            None | Some(Value::Null) => {}
            Some(Value::Object(e)) => {
                known_fields(
                    e,
                    "exemptions.",
                    &["usernames", "runtimeClasses", "namespaces"],
                    &mut errs,
                );
                cfg.exempt_usernames = string_list(e, "usernames", &mut errs, |s| {
                    (!s.is_empty()).then_some(()).ok_or("must be non-empty")
                });
                cfg.exempt_runtime_classes =
                    string_list(e, "runtimeClasses", &mut errs, dns1123_subdomain);
                cfg.exempt_namespaces = string_list(e, "namespaces", &mut errs, dns1123_label);
            }
            Some(_) => errs.push("exemptions: must be a mapping".into()),
        }
        if errs.is_empty() {
            Ok(cfg)
        } else {
            Err(ConfigError(errs))
        }
    }

    fn from_admission_configuration(top: &Map<String, Value>) -> Result<Self, ConfigError> {
        let plugins = top.get("plugins").and_then(Value::as_array);
        let plugin = plugins
            .into_iter()
            .flatten()
            .find(|p| p.get("name").and_then(Value::as_str) == Some("PodSecurity"));
        match plugin.and_then(|p| p.get("configuration")) {
            Some(c) => Self::from_value(c),
            None => Err(ConfigError(vec![
                "AdmissionConfiguration has no PodSecurity plugin with an embedded configuration (a `path` to another file is not followed)".into(),
            ])),
        }
    }
}

fn check_type_meta(top: &Map<String, Value>, errs: &mut Vec<String>) {
    match top.get("apiVersion").and_then(Value::as_str) {
        Some(av)
            if av
                .split_once('/')
                .is_some_and(|(g, v)| g == GROUP && VERSIONS.contains(&v)) => {}
        Some(av) => errs.push(format!(
            "apiVersion: unsupported value {av:?}: must be {GROUP}/v1, /v1beta1 or /v1alpha1"
        )),
        None => errs.push("apiVersion: Required value".into()),
    }
    match top.get("kind").and_then(Value::as_str) {
        Some("PodSecurityConfiguration") => {}
        Some(k) => errs.push(format!(
            "kind: unsupported value {k:?}: must be PodSecurityConfiguration"
        )),
        None => errs.push("kind: Required value".into()),
    }
}

/// Strict decoding: an unknown (for example misspelt) field is an error.
fn known_fields(m: &Map<String, Value>, prefix: &str, known: &[&str], errs: &mut Vec<String>) {
    for k in m.keys() {
        if !known.contains(&k.as_str()) {
            errs.push(format!("{prefix}{k}: unknown field"));
        }
    }
}

fn parse_defaults(d: &Map<String, Value>, errs: &mut Vec<String>) -> Policy {
    known_fields(
        d,
        "defaults.",
        &[
            "enforce",
            "enforce-version",
            "audit",
            "audit-version",
            "warn",
            "warn-version",
        ],
        errs,
    );
    let mut mode = |level_key: &str, version_key: &str| {
        let text = |key: &str, errs: &mut Vec<String>| match d.get(key) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                errs.push(format!("defaults.{key}: must be a string"));
                String::new()
            }
        };
        let level_text = text(level_key, errs);
        let version_text = text(version_key, errs);
        // Empty means privileged / latest.
        let level = if level_text.is_empty() {
            Ok(Level::Privileged)
        } else {
            level_text.parse::<Level>()
        };
        let version = if version_text.is_empty() {
            Ok(Version::Latest)
        } else {
            version_text.parse::<Version>()
        };
        let mut report = |key: &str, value: &str, e: &ParseError| {
            errs.push(format!(
                "defaults.{key}: Invalid value: {value:?}: {}",
                e.short()
            ));
        };
        if let Err(e) = &level {
            report(level_key, &level_text, e);
        }
        if let Err(e) = &version {
            report(version_key, &version_text, e);
        }
        LevelVersion::new(
            level.unwrap_or(Level::Privileged),
            version.unwrap_or(Version::Latest),
        )
    };
    Policy {
        enforce: mode("enforce", "enforce-version"),
        audit: mode("audit", "audit-version"),
        warn: mode("warn", "warn-version"),
    }
}

fn string_list(
    m: &Map<String, Value>,
    key: &str,
    errs: &mut Vec<String>,
    valid: fn(&str) -> Result<(), &'static str>,
) -> Vec<String> {
    let items = match m.get(key) {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(a)) => a,
        Some(_) => {
            errs.push(format!("exemptions.{key}: must be a list of strings"));
            return Vec::new();
        }
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(s) = item.as_str() else {
            errs.push(format!("exemptions.{key}[{i}]: must be a string"));
            continue;
        };
        if let Err(why) = valid(s) {
            errs.push(format!(
                "exemptions.{key}[{i}]: Invalid value: {s:?}: {why}"
            ));
        } else if !seen.insert(s) {
            errs.push(format!("exemptions.{key}[{i}]: Duplicate value: {s:?}"));
        } else {
            out.push(s.to_string());
        }
    }
    out
}

fn label_ok(l: &str) -> bool {
    let b = l.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// A namespace name: a lower-case RFC 1123 label of at most 63 characters.
pub(crate) fn dns1123_label(s: &str) -> Result<(), &'static str> {
    if s.len() <= 63 && label_ok(s) {
        Ok(())
    } else {
        Err("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character")
    }
}

/// A RuntimeClass name: a lower-case RFC 1123 subdomain of at most 253 characters.
fn dns1123_subdomain(s: &str) -> Result<(), &'static str> {
    let ok = s.len() <= 253 && s.split('.').all(label_ok);
    if ok {
        Ok(())
    } else {
        Err("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_defaults_and_exemptions() {
        let cfg = PodSecurityConfiguration::from_value(&json!({
            "apiVersion": "pod-security.admission.config.k8s.io/v1",
            "kind": "PodSecurityConfiguration",
            "defaults": {"enforce": "baseline", "audit": "restricted", "audit-version": "v1.30"},
            "exemptions": {"namespaces": ["kube-system"], "runtimeClasses": ["kata.io"], "usernames": ["a"]}
        }));
        let cfg = cfg.unwrap_or_default();
        assert_eq!(cfg.defaults.enforce.to_string(), "baseline:latest");
        assert_eq!(cfg.defaults.audit.to_string(), "restricted:v1.30");
        assert_eq!(cfg.defaults.warn.to_string(), "privileged:latest");
        assert_eq!(cfg.exempt_namespaces, vec!["kube-system"]);
    }

    #[test]
    fn rejects_unknown_fields_bad_values_and_duplicates() {
        let err = PodSecurityConfiguration::from_value(&json!({
            "apiVersion": "pod-security.admission.config.k8s.io/v1beta1",
            "kind": "PodSecurityConfiguration",
            "deflaults": {},
            "defaults": {"enforce": "strict", "warn-version": "v1.05"},
            "exemptions": {"namespaces": ["Kube", "a", "a"], "usernames": [""]}
        }))
        .err()
        .map(|e| e.0)
        .unwrap_or_default();
        let text = err.join("\n");
        for want in [
            "deflaults: unknown field",
            "defaults.enforce: Invalid value: \"strict\"",
            "defaults.warn-version: Invalid value: \"v1.05\"",
            "exemptions.namespaces[0]: Invalid value: \"Kube\"",
            "exemptions.namespaces[2]: Duplicate value: \"a\"",
            "exemptions.usernames[0]: Invalid value: \"\": must be non-empty",
        ] {
            assert!(text.contains(want), "missing {want:?} in\n{text}");
        }
        assert!(
            PodSecurityConfiguration::from_value(&json!({"kind": "PodSecurityConfiguration"}))
                .is_err()
        );
    }

    #[test]
    fn reads_the_admission_configuration_wrapper() {
        let cfg = PodSecurityConfiguration::from_value(&json!({
            "apiVersion": "apiserver.config.k8s.io/v1", "kind": "AdmissionConfiguration",
            "plugins": [{"name": "PodSecurity", "configuration": {
                "apiVersion": "pod-security.admission.config.k8s.io/v1alpha1",
                "kind": "PodSecurityConfiguration", "defaults": {"enforce": "restricted"}}}]
        }));
        assert_eq!(
            cfg.map(|c| c.defaults.enforce.level).ok(),
            Some(Level::Restricted)
        );
        assert_eq!(
            PodSecurityConfiguration::from_value(&Value::Null),
            Ok(PodSecurityConfiguration::default())
        );
    }
}

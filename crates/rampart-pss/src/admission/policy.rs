//! The effective policy of a namespace: configured defaults overridden by its
//! `pod-security.kubernetes.io/*` labels, with upstream's fallbacks for invalid values.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::level::{Level, LevelVersion, ParseError, Version};

pub const ENFORCE_LABEL: &str = "pod-security.kubernetes.io/enforce";
pub const ENFORCE_VERSION_LABEL: &str = "pod-security.kubernetes.io/enforce-version";
pub const AUDIT_LABEL: &str = "pod-security.kubernetes.io/audit";
pub const AUDIT_VERSION_LABEL: &str = "pod-security.kubernetes.io/audit-version";
pub const WARN_LABEL: &str = "pod-security.kubernetes.io/warn";
pub const WARN_VERSION_LABEL: &str = "pod-security.kubernetes.io/warn-version";

/// The level and version of each mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Policy {
    pub enforce: LevelVersion,
    pub audit: LevelVersion,
    pub warn: LevelVersion,
}

impl Policy {
    /// Every mode `privileged:latest`.
    pub fn privileged() -> Self {
        let p = LevelVersion::new(Level::Privileged, Version::Latest);
        Self {
            enforce: p,
            audit: p,
            warn: p,
        }
    }

    /// All three modes are privileged: nothing can be rejected, recorded or warned about.
    pub fn fully_privileged(&self) -> bool {
        [self.enforce, self.audit, self.warn]
            .iter()
            .all(|m| m.level == Level::Privileged)
    }
}

/// Read access to a namespace's labels, whatever map the caller keeps them in.
pub trait Labels {
    fn label(&self, key: &str) -> Option<&str>;
    /// No labels at all (then the defaults apply unchanged).
    fn is_empty(&self) -> bool;
}

impl Labels for BTreeMap<String, String> {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
    fn is_empty(&self) -> bool {
        BTreeMap::is_empty(self)
    }
}

impl<S: std::hash::BuildHasher> Labels for HashMap<String, String, S> {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
    fn is_empty(&self) -> bool {
        HashMap::is_empty(self)
    }
}

/// A JSON object such as `metadata.labels`; non-string values read as absent.
impl Labels for serde_json::Map<String, serde_json::Value> {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(serde_json::Value::as_str)
    }
    fn is_empty(&self) -> bool {
        serde_json::Map::is_empty(self)
    }
}

/// No labels.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoLabels;

impl Labels for NoLabels {
    fn label(&self, _key: &str) -> Option<&str> {
        None
    }
    fn is_empty(&self) -> bool {
        true
    }
}

/// An invalid `pod-security.kubernetes.io/*` label value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelError {
    pub label: &'static str,
    pub value: String,
    pub reason: &'static str,
}

impl fmt::Display for LabelError {
    /// Upstream's field error: `metadata.labels[<key>]: Invalid value: "<v>": <reason>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "metadata.labels[{}]: Invalid value: {:?}: {}",
            self.label, self.value, self.reason
        )
    }
}

/// Upstream's aggregate of field errors: one error alone, or `[e1, e2]`.
pub fn aggregate(errors: &[LabelError]) -> String {
    match errors {
        [one] => one.to_string(),
        many => format!(
            "[{}]",
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Resolves the effective policy (spec `admission.md` §2.3): labels override defaults; an
/// invalid enforce level becomes `restricted`, an invalid audit or warn level `privileged`, an
/// invalid version `latest`; warn follows a stricter, valid enforce label when it has none.
pub fn resolve(defaults: &Policy, labels: &dyn Labels) -> (Policy, Vec<LabelError>) {
    let mut p = *defaults;
    let mut errors = Vec::new();
    if labels.is_empty() {
        return (p, errors);
    }
    let level = |key: &'static str, on_error: Level, slot: &mut Level, errors: &mut Vec<_>| {
        let v = labels.label(key)?;
        match v.parse::<Level>() {
            Ok(l) => {
                *slot = l;
                Some(true)
            }
            Err(e) => {
                *slot = on_error;
                errors.push(err(key, v, &e));
                Some(false)
            }
        }
    };
    let enforce_valid = level(
        ENFORCE_LABEL,
        Level::Restricted,
        &mut p.enforce.level,
        &mut errors,
    ) == Some(true);
    version(
        labels,
        ENFORCE_VERSION_LABEL,
        &mut p.enforce.version,
        &mut errors,
    );
    level(
        AUDIT_LABEL,
        Level::Privileged,
        &mut p.audit.level,
        &mut errors,
    );
    version(
        labels,
        AUDIT_VERSION_LABEL,
        &mut p.audit.version,
        &mut errors,
    );
    let has_warn = level(
        WARN_LABEL,
        Level::Privileged,
        &mut p.warn.level,
        &mut errors,
    )
    .is_some();
    let has_warn_version = version(labels, WARN_VERSION_LABEL, &mut p.warn.version, &mut errors);
    if !has_warn && enforce_valid && p.enforce.level > p.warn.level {
        p.warn.level = p.enforce.level;
        if !has_warn_version {
            p.warn.version = p.enforce.version;
        }
    }
    (p, errors)
}

/// Reads a version label into `slot` (`latest` when invalid); true when the label is present.
fn version(
    labels: &dyn Labels,
    key: &'static str,
    slot: &mut Version,
    errors: &mut Vec<LabelError>,
) -> bool {
    let Some(v) = labels.label(key) else {
        return false;
    };
    match v.parse::<Version>() {
        Ok(ver) => *slot = ver,
        Err(e) => {
            *slot = Version::Latest;
            errors.push(err(key, v, &e));
        }
    }
    true
}

fn err(label: &'static str, value: &str, e: &ParseError) -> LabelError {
    LabelError {
        label,
        value: value.to_string(),
        reason: e.short(),
    }
}

/// The label errors a Namespace CREATE or UPDATE would be rejected for (422 Invalid).
pub fn validate_labels(labels: &dyn Labels) -> Vec<LabelError> {
    resolve(&Policy::privileged(), labels).1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn warn_follows_a_stricter_enforce_label() {
        let defaults = Policy::privileged();
        let (p, errs) = resolve(
            &defaults,
            &labels(&[
                (ENFORCE_LABEL, "baseline"),
                (ENFORCE_VERSION_LABEL, "v1.29"),
            ]),
        );
        assert!(errs.is_empty());
        assert_eq!(p.warn.to_string(), "baseline:v1.29");
        assert_eq!(p.audit.to_string(), "privileged:latest");
        let (p, _) = resolve(
            &defaults,
            &labels(&[(ENFORCE_LABEL, "baseline"), (WARN_VERSION_LABEL, "v1.2")]),
        );
        assert_eq!(p.warn.to_string(), "baseline:v1.2");
        let (p, _) = resolve(
            &defaults,
            &labels(&[(ENFORCE_LABEL, "baseline"), (WARN_LABEL, "privileged")]),
        );
        assert_eq!(p.warn.level, Level::Privileged);
    }

    #[test]
    fn invalid_labels_fail_closed_for_enforce_and_open_for_audit_and_warn() {
        let (p, errs) = resolve(
            &Policy::privileged(),
            &labels(&[
                (ENFORCE_LABEL, "strict"),
                (AUDIT_LABEL, "x"),
                (WARN_LABEL, "y"),
                (AUDIT_VERSION_LABEL, "1.2"),
            ]),
        );
        assert_eq!(p.enforce.level, Level::Restricted);
        assert_eq!(p.audit.level, Level::Privileged);
        assert_eq!(p.warn.level, Level::Privileged);
        assert_eq!(errs.len(), 4);
        assert_eq!(
            errs[0].to_string(),
            "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted"
        );
        assert!(aggregate(&errs).starts_with('['));
        // An invalid enforce label does not drag warn along.
        let (p, _) = resolve(&Policy::privileged(), &labels(&[(ENFORCE_LABEL, "bad")]));
        assert_eq!(p.warn.level, Level::Privileged);
    }
}

//! Running the checks of a level at a version, as upstream's check registry does.

use crate::check::{CheckId, Violation};
use crate::level::{Level, LevelVersion, Version, NEWEST_MINOR};
use crate::pod::Pod;

/// Evaluates pods. Holds the version ceiling: the newest known minor, or the minor an API
/// server emulates (then `latest` and every newer request evaluate as that minor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluator {
    ceiling: u64,
}

impl Default for Evaluator {
    fn default() -> Self {
        Self {
            ceiling: NEWEST_MINOR,
        }
    }
}

impl Evaluator {
    /// Evaluates as an API server of the newest known version.
    pub fn new() -> Self {
        Self::default()
    }

    /// Evaluates as an API server emulating Kubernetes 1.`minor`.
    pub fn emulating(minor: u64) -> Self {
        Self {
            ceiling: minor.min(NEWEST_MINOR),
        }
    }

    /// The newest minor version this evaluator applies.
    pub fn ceiling(&self) -> u64 {
        self.ceiling
    }

    /// The minor version `version` evaluates as.
    pub fn effective_minor(&self, version: Version) -> u64 {
        version.effective_minor(self.ceiling)
    }

    /// Whether `id` runs at `level` and `version` (after overrides), in run order.
    pub fn runs(&self, id: CheckId, level: Level, version: Version) -> bool {
        let minor = self.effective_minor(version);
        if level == Level::Privileged || id.since() > minor || id.level() > level {
            return false;
        }
        if level == Level::Restricted && id.level() == Level::Baseline {
            return !CheckId::ALL.iter().any(|r| {
                r.overrides()
                    .is_some_and(|(base, from)| base == id && from <= minor && r.since() <= minor)
            });
        }
        true
    }

    /// The checks that run at `lv`, in upstream's order.
    pub fn checks(&self, lv: LevelVersion) -> impl Iterator<Item = CheckId> + '_ {
        CheckId::ALL
            .into_iter()
            .filter(move |id| self.runs(*id, lv.level, lv.version))
    }

    /// The verdict for `pod` at `lv`.
    pub fn evaluate(&self, lv: LevelVersion, pod: &Pod<'_>) -> Verdict {
        let minor = self.effective_minor(lv.version);
        let mut violations = Vec::new();
        for id in self.checks(lv) {
            if let Some(f) = id.variant(minor).and_then(|check| check(pod)) {
                violations.push(Violation {
                    check: id,
                    reason: f.reason,
                    detail: f.detail,
                    locations: f.locations,
                });
            }
        }
        Verdict {
            level_version: lv,
            violations,
        }
    }

    /// Every check of `lv.level` and below that exists at the version, ignoring overrides
    /// (a superset of [`Evaluator::evaluate`] at restricted; identical below).
    pub fn evaluate_all(&self, lv: LevelVersion, pod: &Pod<'_>) -> Verdict {
        let mut violations = Vec::new();
        if lv.level != Level::Privileged {
            for id in CheckId::ALL.into_iter().filter(|id| id.level() <= lv.level) {
                violations.extend(self.run_check(id, lv.version, pod));
            }
        }
        Verdict {
            level_version: lv,
            violations,
        }
    }

    /// Runs one check's variant for `version` whatever the level and overrides say (used to
    /// tell whether an overridden baseline check would have failed). `None` when the check
    /// does not exist at that version or passes.
    pub fn run_check(&self, id: CheckId, version: Version, pod: &Pod<'_>) -> Option<Violation> {
        let minor = self.effective_minor(version);
        let f = id.variant(minor)?(pod)?;
        Some(Violation {
            check: id,
            reason: f.reason,
            detail: f.detail,
            locations: f.locations,
        })
    }
}

/// The outcome of evaluating one pod at one level and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub level_version: LevelVersion,
    /// Failed checks in upstream's run order.
    pub violations: Vec<Violation>,
}

impl Verdict {
    pub fn allowed(&self) -> bool {
        self.violations.is_empty()
    }

    /// `reason (detail), reason (detail)`, as upstream aggregates them.
    pub fn details(&self) -> String {
        self.violations
            .iter()
            .map(Violation::summary)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `violates PodSecurity "<level>:<version>": <details>` (the enforce message).
    pub fn message(&self) -> String {
        format!(
            "violates PodSecurity \"{}\": {}",
            self.level_version,
            self.details()
        )
    }

    /// `would violate PodSecurity "<level>:<version>": <details>` (warnings and audit).
    pub fn would_violate(&self) -> String {
        format!(
            "would violate PodSecurity \"{}\": {}",
            self.level_version,
            self.details()
        )
    }
}

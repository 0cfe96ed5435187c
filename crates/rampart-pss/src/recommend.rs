//! The strictest level a pod satisfies today, and what blocks the next one: the basis of
//! `rampart pss level` and of a namespace's recommended `enforce` label.

use crate::check::Violation;
use crate::evaluate::Evaluator;
use crate::level::{Level, LevelVersion, Version};
use crate::pod::Pod;

/// The strictest level `pod` satisfies at `version`, with the violations of the next stricter
/// level (empty at restricted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Satisfied {
    pub level: Level,
    pub blocking: Vec<Violation>,
}

/// Evaluates restricted, then baseline; privileged always holds.
pub fn strictest_level(ev: &Evaluator, version: Version, pod: &Pod<'_>) -> Satisfied {
    let restricted = ev.evaluate(LevelVersion::new(Level::Restricted, version), pod);
    if restricted.allowed() {
        return Satisfied {
            level: Level::Restricted,
            blocking: Vec::new(),
        };
    }
    let baseline = ev.evaluate(LevelVersion::new(Level::Baseline, version), pod);
    if baseline.allowed() {
        Satisfied {
            level: Level::Baseline,
            blocking: restricted.violations,
        }
    } else {
        Satisfied {
            level: Level::Privileged,
            blocking: baseline.violations,
        }
    }
}

/// The `enforce` label a namespace can take without rejecting any of its pods: the least
/// strict of their levels (`restricted` for a namespace without pods).
pub fn namespace_level(levels: impl IntoIterator<Item = Level>) -> Level {
    levels.into_iter().min().unwrap_or(Level::Restricted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pod::PodInput;
    use serde_json::json;

    #[test]
    fn picks_the_strictest_satisfied_level() {
        let spec = json!({"hostIPC": true, "containers": [{"name": "a"}]});
        let pod = Pod::decode(PodInput {
            metadata: None,
            spec: Some(&spec),
            is_pod: true,
        });
        let s = pod.map(|p| strictest_level(&Evaluator::new(), Version::Latest, &p));
        let s = s.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.level, Level::Privileged);
        assert_eq!(
            s.blocking.first().map(|v| v.check.as_str()),
            Some("hostNamespaces")
        );
        assert_eq!(
            namespace_level([Level::Restricted, Level::Baseline]),
            Level::Baseline
        );
        assert_eq!(namespace_level([]), Level::Restricted);
    }
}

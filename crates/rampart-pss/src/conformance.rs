//! Judging Rampart against upstream's generated fixtures (`<level>/<version>/{pass,fail}/
//! <check><n>.yaml`): a `pass` fixture must be allowed; a `fail` fixture must be forbidden with
//! its check accounted for — reported, or, at restricted, replaced by the restricted check that
//! overrides it while the baseline check itself would fail (spec §6).

use std::path::Path;

use crate::check::CheckId;
use crate::evaluate::{Evaluator, Verdict};
use crate::level::{Level, LevelVersion, Version};
use crate::pod::Pod;

/// What a fixture's path says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    pub level_version: LevelVersion,
    pub expect_allowed: bool,
    /// The check a `fail` fixture is about (from its file name).
    pub check: Option<CheckId>,
}

impl Case {
    /// Reads `<level>/<version>/<pass|fail>/<name>.yaml`; `None` for any other path.
    pub fn from_path(path: &Path) -> Option<Case> {
        let name = |p: &Path| p.file_name().and_then(|s| s.to_str()).map(str::to_string);
        let stem = path.file_stem()?.to_str()?;
        let outcome = path.parent()?;
        let version = outcome.parent()?;
        let level = version.parent()?;
        let level: Level = name(level)?.parse().ok()?;
        let version: Version = name(version)?.parse().ok()?;
        let expect_allowed = match name(outcome)?.as_str() {
            "pass" => true,
            "fail" => false,
            _ => return None,
        };
        let check = CheckId::parse_lowercase(stem.trim_end_matches(|c: char| c.is_ascii_digit()));
        Some(Case {
            level_version: LevelVersion::new(level, version),
            expect_allowed,
            check,
        })
    }

    /// Evaluates `pod` and says whether the verdict agrees with the fixture.
    pub fn judge(&self, ev: &Evaluator, pod: &Pod<'_>) -> (bool, Verdict) {
        let verdict = ev.evaluate(self.level_version, pod);
        let ok = if self.expect_allowed {
            verdict.allowed()
        } else {
            self.check
                .is_some_and(|id| accounted_for(ev, self.level_version, id, &verdict, pod))
        };
        (ok, verdict)
    }
}

fn accounted_for(
    ev: &Evaluator,
    lv: LevelVersion,
    id: CheckId,
    v: &Verdict,
    pod: &Pod<'_>,
) -> bool {
    let reported = |c: CheckId| v.violations.iter().any(|x| x.check == c);
    reported(id)
        || (lv.level == Level::Restricted
            && !ev.runs(id, lv.level, lv.version)
            && CheckId::ALL
                .iter()
                .any(|r| r.overrides().is_some_and(|(base, _)| base == id) && reported(*r))
            && ev.run_check(id, lv.version, pod).is_some())
}

//! Runs every upstream-generated fixture under `../shared/conformance/pss/<level>/<version>/
//! {pass,fail}/`: `pass` must be allowed; `fail` must be forbidden with the check named by the
//! file's prefix accounted for (reported, or — at restricted — replaced by the restricted check
//! that overrides it while the baseline check itself would fail; spec §6).

use std::path::{Path, PathBuf};

use rampart_manifest::{load_paths, LoadOptions};
use rampart_pss::template::builtin_pod;
use rampart_pss::{CheckId, Evaluator, Level, LevelVersion, Pod, Version};

fn shared_root() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/pss"
    ))
}

/// (level, version, expect pass, file stem) from `<level>/<version>/<pass|fail>/<stem>.yaml`.
fn case_of(path: &Path) -> Option<(Level, Version, bool, String)> {
    let stem = path.file_stem()?.to_str()?.to_string();
    let outcome = path.parent()?;
    let version = outcome.parent()?;
    let level = version.parent()?;
    let name = |p: &Path| p.file_name().and_then(|s| s.to_str()).map(str::to_string);
    Some((
        name(level)?.parse().ok()?,
        name(version)?.parse().ok()?,
        match name(outcome)?.as_str() {
            "pass" => true,
            "fail" => false,
            _ => return None,
        },
        stem,
    ))
}

/// The check a fail fixture is about: the stem without its trailing case number.
fn check_of(stem: &str) -> Option<CheckId> {
    CheckId::parse_lowercase(stem.trim_end_matches(|c: char| c.is_ascii_digit()))
}

#[test]
fn every_upstream_fixture_agrees() {
    let root = shared_root();
    if !root.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the PSS conformance suite is missing at {}",
            root.display()
        );
        eprintln!("note: {} is absent; conformance not run", root.display());
        return;
    }
    let loaded = load_paths(&[root], &LoadOptions::default());
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let ev = Evaluator::new();
    let (mut passed, mut failures) = (0usize, Vec::new());
    for obj in &loaded.objects {
        let path = Path::new(obj.file());
        let Some((level, version, expect_pass, stem)) = case_of(path) else {
            failures.push(format!("{}: not a fixture path", obj.file()));
            continue;
        };
        let lv = LevelVersion::new(level, version);
        let pod = builtin_pod(&obj.json)
            .and_then(Result::ok)
            .ok_or("not a pod".to_string())
            .and_then(|t| Pod::decode(t.input).map_err(|e| e.to_string()));
        let pod = match pod {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{}: {e}", obj.file()));
                continue;
            }
        };
        let verdict = ev.evaluate(lv, &pod);
        let ok = if expect_pass {
            verdict.allowed()
        } else {
            let Some(id) = check_of(&stem) else {
                failures.push(format!("{}: unknown check prefix", obj.file()));
                continue;
            };
            let reported = |c: CheckId| verdict.violations.iter().any(|v| v.check == c);
            reported(id)
                || (level == Level::Restricted
                    && CheckId::ALL.iter().any(|r| {
                        r.overrides().is_some_and(|(base, _)| base == id)
                            && reported(*r)
                            && !ev.runs(id, level, version)
                            && ev.run_check(id, version, &pod).is_some()
                    }))
        };
        if ok {
            passed += 1;
        } else {
            failures.push(format!(
                "{} at {lv}: expected {}, got {}",
                obj.file(),
                if expect_pass { "allowed" } else { "forbidden" },
                if verdict.allowed() {
                    "allowed".to_string()
                } else {
                    verdict.details()
                }
            ));
        }
    }
    let total = passed + failures.len();
    println!("pss conformance: {passed}/{total} fixtures agree");
    assert!(
        failures.is_empty(),
        "{} of {total} fixtures disagree:\n{}",
        failures.len(),
        failures[..failures.len().min(30)].join("\n")
    );
    assert!(total > 0, "no fixtures found under the conformance root");
}

//! Runs every upstream-generated fixture under `../shared/conformance/pss/<level>/<version>/
//! {pass,fail}/`: `pass` must be allowed; `fail` must be forbidden with the check named by the
//! file's prefix accounted for (reported, or — at restricted — replaced by the restricted check
//! that overrides it while the baseline check itself would fail; spec §6).

use std::path::{Path, PathBuf};

use rampart_pss::conformance::Case;

use rampart_manifest::{load_paths, LoadOptions};
use rampart_pss::template::builtin_pod;
use rampart_pss::{Evaluator, Pod};

fn shared_root() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/pss"
    ))
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
        let Some(case) = Case::from_path(path) else {
            failures.push(format!("{}: not a fixture path", obj.file()));
            continue;
        };
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
        if !case.expect_allowed && case.check.is_none() {
            failures.push(format!("{}: unknown check prefix", obj.file()));
            continue;
        }
        let (ok, verdict) = case.judge(&ev, &pod);
        let lv = case.level_version;
        let expect_pass = case.expect_allowed;
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

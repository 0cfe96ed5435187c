//! Every case of `../shared/conformance/rbac/`: each `expected.txt` line answered by the
//! library over the case's `resources.yaml` alone (no bootstrap set).

use std::path::{Path, PathBuf};

use rampart_manifest::{load_paths, LoadOptions};
use rampart_rbac::query::Query;
use rampart_rbac::Cluster;

fn suite() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/rbac"
    ));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the RBAC conformance suite is missing at {}",
        dir.display()
    );
    eprintln!("note: {} not found; conformance skipped", dir.display());
    None
}

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn every_conformance_line_passes() {
    let Some(dir) = suite() else { return };
    let (mut passed, mut failures) = (0, Vec::new());
    let all = cases(&dir);
    assert!(!all.is_empty(), "no cases in {}", dir.display());
    for case in &all {
        let loaded = load_paths(&[case.join("resources.yaml")], &LoadOptions::default());
        assert!(
            loaded.errors.is_empty(),
            "{}: {:?}",
            case.display(),
            loaded.errors
        );
        let cluster = Cluster::from_objects(&loaded.objects, false);
        assert!(
            cluster.errors.is_empty(),
            "{}: {:?}",
            case.display(),
            cluster.errors
        );
        let text = std::fs::read_to_string(case.join("expected.txt")).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let q = match Query::parse(line) {
                Ok(Some(q)) => q,
                Ok(None) => continue,
                Err(e) => panic!("{}:{}: {e}", case.display(), n + 1),
            };
            let got = q.answer(&cluster.policy).map(|a| a.render());
            if got.as_deref().ok() == q.expected.as_deref() {
                passed += 1;
            } else {
                failures.push(format!(
                    "{}:{}: {line}\n    got {got:?}",
                    case.display(),
                    n + 1
                ));
            }
        }
    }
    eprintln!(
        "rbac conformance: {passed} passed, {} failed, {} cases",
        failures.len(),
        all.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

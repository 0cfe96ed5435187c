//! Runs every case of `../shared/conformance/cis/` through the library: each `expected.txt`
//! line `CHECK pass|fail` must match (`warn`, an unscored failed test, counts as `fail`).

use std::path::{Path, PathBuf};

use rampart_cis::{evaluate, HostFs, StatTable, Status};

fn suite() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/cis"
    ));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "conformance suite missing at {}",
        dir.display()
    );
    eprintln!(
        "note: {} not found; conformance cases skipped",
        dir.display()
    );
    None
}

/// Runs one case; returns (checked, mismatches).
pub fn run_case(case: &Path) -> (usize, Vec<String>) {
    let stat_text = std::fs::read_to_string(case.join("stat.txt")).unwrap_or_default();
    let (table, errors) = StatTable::parse(&stat_text);
    assert!(errors.is_empty(), "{}: {errors:?}", case.display());
    let report = evaluate(&HostFs::new(case, Some(table)));
    let expected = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
    let mut checked = 0;
    let mut bad = Vec::new();
    for line in expected
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let mut parts = line.split_whitespace();
        let (Some(id), Some(want)) = (parts.next(), parts.next()) else {
            continue;
        };
        checked += 1;
        let got = report.get(id).map(|c| match c.status {
            Status::Warn => "fail",
            s => s.as_str(),
        });
        if got != Some(want) {
            let c = report.get(id);
            bad.push(format!(
                "{}: {id} expected {want}, got {got:?} ({})",
                case.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                c.map(|c| c.evidence.clone()).unwrap_or_default()
            ));
        }
    }
    (checked, bad)
}

#[test]
fn every_conformance_case_passes() {
    let Some(dir) = suite() else { return };
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read suite")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("expected.txt").is_file())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    let mut total = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let (n, bad) = run_case(case);
        total += n;
        failures.extend(bad);
    }
    println!(
        "cis conformance: {} cases, {total} checks, {} mismatches",
        cases.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The sample nodes in `resources/test/nodes/` (kubeadm default, hardened, RPM worker) hold
/// their own `expected.txt`, so this suite means something without `../shared`.
#[test]
fn sample_nodes_pass() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../resources/test/nodes"
    ));
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("sample nodes")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("expected.txt").is_file())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 3,
        "sample nodes missing in {}",
        dir.display()
    );
    for case in &cases {
        let (n, bad) = run_case(case);
        assert!(n > 20, "{}: too few expectations", case.display());
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

//! Runs every case of `../shared/conformance/secrets/` through the library, exactly as the
//! suite's README says: the multiset of `(line, name)` of `category: secrets` findings must
//! equal `expected.txt` (or be empty for `none`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rampart_manifest::{load_paths, LoadOptions};
use rampart_model::Category;
use rampart_secrets::{scan, ScanOptions};

fn suite() -> Option<PathBuf> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/secrets"
    ));
    if dir.is_dir() {
        return Some(dir.to_path_buf());
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "conformance suite missing at {} (required when CI=true)",
        dir.display()
    );
    eprintln!(
        "note: {} not found; conformance cases skipped",
        dir.display()
    );
    None
}

fn expected(case: &Path) -> BTreeMap<(u32, String), usize> {
    let text = std::fs::read_to_string(case.join("expected.txt")).unwrap_or_default();
    let mut out = BTreeMap::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "none")
    {
        let mut parts = line.split_whitespace();
        let n: u32 = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let name = parts.next().unwrap_or("").to_string();
        *out.entry((n, name)).or_insert(0) += 1;
    }
    out
}

#[test]
fn every_case_passes() {
    let Some(dir) = suite() else { return };
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    let mut failures = Vec::new();
    for case in &cases {
        let loaded = load_paths(&[case.join("manifest.yaml")], &LoadOptions::default());
        let findings = scan(&loaded, &ScanOptions::default());
        let mut got = BTreeMap::new();
        for f in findings.iter().filter(|f| f.category == Category::Secrets) {
            *got.entry((f.line, f.name.to_string())).or_insert(0) += 1;
        }
        let want = expected(case);
        if got != want {
            let name = case
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            failures.push(format!("{name}: expected {want:?}, got {got:?}"));
        }
    }
    println!(
        "{} / {} cases pass",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

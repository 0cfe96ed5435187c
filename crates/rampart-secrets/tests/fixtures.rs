//! Every secrets rule fires exactly on the lines marked `# expect: RULE-ID` in its
//! `resources/test/fixtures/secrets/<ID>/fires.*` and nowhere in `passes.*`. `.yml` fixtures
//! belong to optional rules and run with them enabled. These fixtures live in the repository,
//! so this test is meaningful without `../shared`.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rampart_manifest::{load_paths, LoadOptions};
use rampart_secrets::{all_rules, scan, ScanOptions};

fn root() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../resources/test/fixtures/secrets"
    ))
    .to_path_buf()
}

fn fixture(dir: &Path, stem: &str) -> Option<PathBuf> {
    ["yaml", "yml"]
        .iter()
        .map(|e| dir.join(format!("{stem}.{e}")))
        .find(|p| p.is_file())
}

fn expected(text: &str, id: &str) -> BTreeSet<u32> {
    text.lines()
        .zip(1u32..)
        .filter(|(l, _)| {
            l.split("# expect:")
                .nth(1)
                .is_some_and(|ids| ids.split([',', ' ']).any(|x| x.trim() == id))
        })
        .map(|(_, n)| n)
        .collect()
}

fn lines_of(file: &Path, id: &str) -> BTreeSet<u32> {
    let loaded = load_paths(&[file.to_path_buf()], &LoadOptions::default());
    assert!(
        loaded.errors.is_empty(),
        "{}: {:?}",
        file.display(),
        loaded.errors
    );
    let optional = file.extension().is_some_and(|e| e == "yml");
    let opts = ScanOptions {
        optional_rules: optional,
        ..ScanOptions::default()
    };
    scan(&loaded, &opts)
        .into_iter()
        .filter(|f| f.rule == id)
        .map(|f| f.line)
        .collect()
}

#[test]
fn every_rule_fires_where_marked_and_only_there() {
    let mut problems = Vec::new();
    for rule in all_rules() {
        let dir = root().join(rule.id);
        let (Some(fires), Some(passes)) = (fixture(&dir, "fires"), fixture(&dir, "passes")) else {
            problems.push(format!(
                "{}: missing fixtures in {}",
                rule.id,
                dir.display()
            ));
            continue;
        };
        let want = expected(&std::fs::read_to_string(&fires).unwrap(), rule.id);
        if want.is_empty() {
            problems.push(format!(
                "{}: no `# expect:` line in {}",
                rule.id,
                fires.display()
            ));
        }
        let got = lines_of(&fires, rule.id);
        if got != want {
            problems.push(format!(
                "{} {}: reported on {got:?}, expected {want:?}",
                rule.id, rule.name
            ));
        }
        let clean = lines_of(&passes, rule.id);
        if !clean.is_empty() {
            problems.push(format!(
                "{} {}: passes fixture fired on {clean:?}",
                rule.id, rule.name
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Optional rules (`.yml` fixtures) stay silent in a default scan: they are not in the fixed
/// vocabulary of `secrets.md` §2, so a default finding would be a false positive there.
#[test]
fn optional_rules_are_off_by_default() {
    let mut noisy = Vec::new();
    for rule in all_rules() {
        let Some(fires) = fixture(&root().join(rule.id), "fires") else {
            continue;
        };
        if fires.extension().is_none_or(|e| e != "yml") {
            continue;
        }
        let loaded = load_paths(std::slice::from_ref(&fires), &LoadOptions::default());
        let n = scan(&loaded, &ScanOptions::default())
            .iter()
            .filter(|f| f.rule == rule.id)
            .count();
        if n > 0 {
            noisy.push(format!(
                "{} {}: {n} findings by default",
                rule.id, rule.name
            ));
        }
    }
    assert!(noisy.is_empty(), "{}", noisy.join("\n"));
}

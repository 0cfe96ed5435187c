//! Every rule in the registry has a firing and a non-firing fixture, and `rampart scan` reports
//! the firing one exactly on the lines marked `# expect: RULE-ID` (and nowhere in the other).
//!
//! Layout: `resources/test/fixtures/<category>/<RULE-ID>/fires.yaml` and `passes.yaml`. Rules
//! whose input is not a manifest (audit-log detections, runtime events) keep their fixtures in
//! the same layout, exercised by their own crate's tests; here only their presence is checked.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rampart() -> Command {
    let mut c = Command::cargo_bin("rampart").unwrap_or_else(|e| panic!("binary: {e}"));
    c.current_dir(repo());
    c
}

fn registry() -> Vec<Value> {
    let out = rampart()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("rules json: {e}"))
}

/// Lines carrying `# expect: ID` (several ids may be comma-separated).
fn expected_lines(text: &str, id: &str) -> BTreeSet<u64> {
    text.lines()
        .zip(1u64..)
        .filter(|(l, _)| {
            l.split("# expect:")
                .nth(1)
                .is_some_and(|ids| ids.split([',', ' ']).any(|x| x.trim() == id))
        })
        .map(|(_, n)| n)
        .collect()
}

fn scan_lines(file: &Path, id: &str, category: &str) -> BTreeSet<u64> {
    let mut cmd = rampart();
    cmd.args(["scan", "--format", "json", "--no-progress"]);
    if category == "pss" {
        cmd.args(["--pss", "restricted"]);
    }
    let out = cmd.arg(file).output().unwrap_or_else(|e| panic!("{e}"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: scan output is not JSON ({e}): {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == id)
        .filter_map(|f| f["line"].as_u64())
        .collect()
}

fn find_with_stem(dir: &Path, stem: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_stem().is_some_and(|s| s == stem))
}

/// Rules no input fixture can trigger, and the test that covers each instead.
const TESTED_ELSEWHERE: &[(&str, &str)] = &[(
    "RMP8099",
    "raised from the agent's kernel drop counters; crates/rampart/tests/agent.rs forces ring-buffer drops",
)];

#[test]
fn every_rule_has_fixtures_and_fires_exactly_where_marked() {
    let rules = registry();
    let mut problems = Vec::new();
    for r in &rules {
        let id = r["id"].as_str().unwrap_or_default();
        let category = r["category"].as_str().unwrap_or_default();
        if TESTED_ELSEWHERE.iter().any(|(rule, _)| *rule == id) {
            continue;
        }
        let dir = repo()
            .join("resources/test/fixtures")
            .join(category)
            .join(id);
        let (Some(fires), Some(passes)) = (
            find_with_stem(&dir, "fires"),
            find_with_stem(&dir, "passes"),
        ) else {
            problems.push(format!(
                "{id}: missing {}/fires.* or passes.*",
                dir.display()
            ));
            continue;
        };
        // Runtime fixtures are events and audit detections take logs: their crates run them.
        if category == "runtime" || fires.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&fires).unwrap_or_default();
        let want = expected_lines(&text, id);
        if want.is_empty() {
            problems.push(format!(
                "{id}: {} has no `# expect: {id}` line",
                fires.display()
            ));
        }
        let got = scan_lines(&fires, id, category);
        if got != want {
            problems.push(format!(
                "{id}: {} reported on lines {got:?}, expected {want:?}",
                fires.display()
            ));
        }
        let clean = scan_lines(&passes, id, category);
        if !clean.is_empty() {
            problems.push(format!(
                "{id}: {} must not fire but did on lines {clean:?}",
                passes.display()
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

#[test]
fn registry_ids_and_names_are_unique_and_documented() {
    let rules = registry();
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for r in &rules {
        let id = r["id"].as_str().unwrap_or_default();
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
        let name = r["name"].as_str().unwrap_or_default();
        assert!(names.insert(name.to_string()), "duplicate name {name}");
        assert!(id.starts_with("RMP") && id.len() == 7, "bad id {id}");
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "name {name} is not kebab-case"
        );
        for key in ["title", "what", "why", "fix"] {
            assert!(
                r[key].as_str().is_some_and(|s| !s.trim().is_empty()),
                "{id}: empty {key}"
            );
        }
    }
}

#[test]
fn rules_doc_is_current() {
    let out = rampart()
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let generated = String::from_utf8_lossy(&out.stdout).into_owned();
    let path = repo().join("docs/rules.md");
    if std::env::var_os("RAMPART_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("{e}"));
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/rules.md is stale: run `RAMPART_UPDATE_DOCS=1 cargo test -p rampart --test rule_fixtures rules_doc_is_current`"
    );
}

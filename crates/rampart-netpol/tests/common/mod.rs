//! Shared helpers for the case-driven tests: reading `expected.txt` files and case folders.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// One line of an `expected.txt`: `SRC -> DST PORT/PROTO allow|deny`.
#[derive(Debug, Clone)]
pub struct CaseQuery {
    pub line: usize,
    pub from: String,
    pub to: String,
    pub port: String,
    pub allow: bool,
}

pub fn parse_expected(text: &str) -> Vec<CaseQuery> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = l.split_whitespace().collect();
        assert!(
            parts.len() == 5 && parts[1] == "->",
            "line {}: cannot parse `{l}`",
            i + 1
        );
        let allow = match parts[4] {
            "allow" => true,
            "deny" => false,
            v => panic!("line {}: verdict `{v}`", i + 1),
        };
        out.push(CaseQuery {
            line: i + 1,
            from: parts[0].to_string(),
            to: parts[2].to_string(),
            port: parts[3].to_string(),
            allow,
        });
    }
    out
}

/// Case folders (holding `resources.yaml` and `expected.txt`) under `root`, sorted.
pub fn case_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("expected.txt").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// `<repo>/../shared/conformance/netpol`, or `None` (a failure under `CI=true`).
pub fn shared_suite() -> Option<PathBuf> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/netpol"
    ));
    if dir.is_dir() {
        return Some(dir.to_path_buf());
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the shared conformance suite is missing at {}",
        dir.display()
    );
    eprintln!(
        "note: {} not found; shared conformance skipped",
        dir.display()
    );
    None
}

/// This crate's own cases.
pub fn own_cases() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cases")).to_path_buf()
}

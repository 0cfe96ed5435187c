//! Shared by the conformance tests of this crate and of the binary: where the shared suite
//! lives, and the `expected.txt` line formats.
#![allow(dead_code)]

use std::path::PathBuf;

/// `<repo>/../shared/conformance/audit`, or `None` (with a note) when it is absent outside CI.
/// In CI a missing suite is a failure, never a skip.
pub fn suite() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/audit"
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
        "note: {} is absent; conformance cases skipped",
        dir.display()
    );
    None
}

/// One `eval … => LEVEL omit=… rule=… [omf=…]` line.
#[derive(Debug, Clone)]
pub struct Query {
    /// The flags after `eval`, as given.
    pub args: Vec<String>,
    pub level: String,
    /// Omitted stages in lifecycle order.
    pub omit: Vec<String>,
    pub rule: Option<usize>,
    pub omf: Option<bool>,
}

pub fn parse_queries(text: &str) -> Vec<Query> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (lhs, rhs) = l
                .split_once("=>")
                .unwrap_or_else(|| panic!("no `=>` in {l}"));
            let mut args: Vec<String> = lhs.split_whitespace().map(String::from).collect();
            assert_eq!(args.first().map(String::as_str), Some("eval"), "{l}");
            args.remove(0);
            let mut parts = rhs.split_whitespace();
            let level = parts.next().unwrap_or_default().to_string();
            let mut q = Query {
                args,
                level,
                omit: Vec::new(),
                rule: None,
                omf: None,
            };
            for p in parts {
                if let Some(v) = p.strip_prefix("omit=") {
                    if v != "-" {
                        q.omit = v.split(',').map(String::from).collect();
                    }
                } else if let Some(v) = p.strip_prefix("rule=") {
                    q.rule = if v == "-" {
                        None
                    } else {
                        Some(v.parse().unwrap_or_else(|_| panic!("rule in {l}")))
                    };
                } else if let Some(v) = p.strip_prefix("omf=") {
                    q.omf = Some(v == "true");
                } else {
                    panic!("unknown field {p} in {l}");
                }
            }
            q
        })
        .collect()
}

/// `AUDIT_ID => TECHNIQUE` pairs.
pub fn parse_pairs(text: &str) -> std::collections::BTreeSet<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once("=>"))
        .map(|(a, t)| (a.trim().to_string(), t.trim().to_string()))
        .collect()
}

/// Every policy case directory, sorted.
pub fn policy_cases(suite: &std::path::Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(suite.join("policy"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("policy.yaml").is_file())
        .collect();
    cases.sort();
    cases
}

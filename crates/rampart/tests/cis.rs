//! `rampart cis check` through the real binary: the JSON contract of `interfaces.md`, exit codes,
//! every conformance case of `../shared/conformance/cis/` and the sample nodes in
//! `resources/test/nodes/`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn check_json(case: &Path) -> (Value, i32) {
    let mut cmd = Command::cargo_bin("rampart").expect("binary");
    cmd.args(["cis", "check", "--root"])
        .arg(case)
        .arg("--format")
        .arg("json");
    if case.join("stat.txt").is_file() {
        cmd.arg("--stat-file").arg(case.join("stat.txt"));
    }
    let out = cmd.output().expect("run");
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{}: bad JSON: {e}", case.display()));
    (json, out.status.code().unwrap_or(-1))
}

/// Compares every `expected.txt` line; returns mismatches.
fn compare(case: &Path) -> (usize, Vec<String>) {
    let (json, code) = check_json(case);
    let checks = json["checks"].as_array().expect("checks array");
    for c in checks {
        for key in ["id", "title", "status", "evidence"] {
            assert!(
                c[key].is_string(),
                "{}: check without {key}: {c}",
                case.display()
            );
        }
        assert!(c["file"].is_string() || c["file"].is_null());
        assert!(c["line"].is_u64() || c["line"].is_null());
        assert!(matches!(
            c["status"].as_str(),
            Some("pass" | "fail" | "warn" | "manual" | "skip")
        ));
    }
    let any_fail = checks.iter().any(|c| c["status"] == "fail");
    assert_eq!(code, i32::from(any_fail), "{}: exit code", case.display());
    let expected = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
    let mut n = 0;
    let mut bad = Vec::new();
    for line in expected
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let mut it = line.split_whitespace();
        let (Some(id), Some(want)) = (it.next(), it.next()) else {
            continue;
        };
        n += 1;
        let got = checks
            .iter()
            .find(|c| c["id"] == id)
            .and_then(|c| c["status"].as_str())
            .map(|s| if s == "warn" { "fail" } else { s });
        if got != Some(want) {
            bad.push(format!(
                "{}: {id} expected {want}, got {got:?}",
                case.display()
            ));
        }
    }
    (n, bad)
}

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("expected.txt").is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn conformance_suite_through_the_cli() {
    let dir = repo().join("../shared/conformance/cis");
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "conformance suite missing at {}",
            dir.display()
        );
        eprintln!("note: {} not found; skipped", dir.display());
        return;
    }
    let all = cases(&dir);
    assert!(!all.is_empty());
    let (mut total, mut bad) = (0, Vec::new());
    for c in &all {
        let (n, b) = compare(c);
        total += n;
        bad.extend(b);
    }
    println!(
        "cis conformance via CLI: {} cases, {total} checks, {} mismatches",
        all.len(),
        bad.len()
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn sample_nodes_through_the_cli() {
    let all = cases(&repo().join("resources/test/nodes"));
    assert!(all.len() >= 3, "sample nodes missing");
    for c in &all {
        let (n, bad) = compare(c);
        assert!(n > 0);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

#[test]
fn formats_and_usage_errors() {
    let node = repo().join("resources/test/nodes/kubeadm-default");
    for (format, marker) in [
        ("text", "kube-apiserver (1.2)"),
        ("sarif", "\"version\": \"2.1.0\""),
        ("junit", "<testsuites"),
    ] {
        let out = Command::cargo_bin("rampart")
            .expect("binary")
            .args(["cis", "check", "--format", format, "--stat-file"])
            .arg(node.join("stat.txt"))
            .arg("--root")
            .arg(&node)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(marker),
            "{format}"
        );
    }
    let bad_stat = tempfile::NamedTempFile::new().expect("tmp");
    std::fs::write(bad_stat.path(), "644 root:root relative/path\n").expect("write");
    Command::cargo_bin("rampart")
        .expect("binary")
        .args(["cis", "check", "--format", "json", "--root"])
        .arg(&node)
        .arg("--stat-file")
        .arg(bad_stat.path())
        .assert()
        .code(2);
    Command::cargo_bin("rampart")
        .expect("binary")
        .args(["cis", "check", "--root", "/nonexistent/rampart-node"])
        .assert()
        .code(2);
}

#[test]
fn scan_reports_cluster_rules_on_static_pods() {
    let node = repo().join("resources/test/nodes/kubeadm-default/etc/kubernetes/manifests");
    let out = Command::cargo_bin("rampart")
        .expect("binary")
        .args(["scan", "--format", "json"])
        .arg(&node)
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["category"] == "cluster")
        .filter_map(|f| f["rule"].as_str())
        .collect();
    for want in ["RMP7101", "RMP7115", "RMP7202", "RMP7301"] {
        assert!(rules.contains(&want), "{want} missing from {rules:?}");
    }
    assert!(
        !rules.contains(&"RMP7106"),
        "kubeadm's Node,RBAC is compliant"
    );
}

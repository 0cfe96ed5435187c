//! `rampart audit` through the real CLI and its JSON contract: every policy case and the
//! detection case of the shared conformance suite (and this repository's own cases), output
//! formats, suppression, stdin and `--follow`.
#![allow(clippy::unwrap_used)]

#[path = "../../rampart-audit/tests/support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rampart() -> Command {
    Command::cargo_bin("rampart").unwrap()
}

fn eval_case(dir: &Path) -> usize {
    let policy = dir.join("policy.yaml");
    let queries =
        support::parse_queries(&std::fs::read_to_string(dir.join("expected.txt")).unwrap());
    for q in &queries {
        let out = rampart()
            .args(["audit", "eval", "--policy"])
            .arg(&policy)
            .args(&q.args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{:?}: {}",
            q.args,
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let ctx = format!("{}: {:?}", dir.display(), q.args);
        assert_eq!(v["level"], q.level.as_str(), "{ctx}");
        let omit: Vec<String> = v["omitStages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        assert_eq!(omit, q.omit, "{ctx}");
        assert_eq!(
            v["rule"].as_u64().map(|r| usize::try_from(r).unwrap()),
            q.rule,
            "{ctx}"
        );
        assert!(v["omitManagedFields"].is_boolean(), "{ctx}");
        if let Some(omf) = q.omf {
            assert_eq!(v["omitManagedFields"], omf, "{ctx}");
        }
    }
    queries.len()
}

#[test]
fn policy_conformance_through_the_cli() {
    let own = repo().join("crates/rampart-audit/tests/fixtures/policy");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&own)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    if let Some(suite) = support::suite() {
        cases.extend(support::policy_cases(&suite));
    }
    let n: usize = cases.iter().map(|c| eval_case(c)).sum();
    eprintln!(
        "{} policy cases, {n} eval queries through the CLI: all pass",
        cases.len()
    );
}

fn detect_json(args: &[&str], input: Option<&Path>) -> (Value, i32) {
    let mut cmd = rampart();
    cmd.args(["audit", "detect", "--format", "json"]).args(args);
    if let Some(p) = input {
        cmd.arg(p);
    }
    let out = cmd.output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (v, out.status.code().unwrap_or(-1))
}

fn pairs(v: &Value) -> BTreeSet<(String, String)> {
    let mut set = BTreeSet::new();
    for f in v["findings"].as_array().unwrap() {
        assert_eq!(f["category"], "audit");
        assert!(f["line"].as_u64().unwrap() > 0);
        let id = f["audit_id"].as_str().unwrap().to_string();
        for m in f["mitre"].as_array().unwrap() {
            set.insert((id.clone(), m.as_str().unwrap().to_string()));
        }
    }
    set
}

#[test]
fn detect_conformance_through_the_cli() {
    let Some(suite) = support::suite() else {
        return;
    };
    let dir = suite.join("detect");
    let expected =
        support::parse_pairs(&std::fs::read_to_string(dir.join("expected.txt")).unwrap());
    let (v, code) = detect_json(&[], Some(&dir.join("log.jsonl")));
    assert_eq!(code, 1);
    let got = pairs(&v);
    assert_eq!(
        got,
        expected,
        "missing {:?}\nextra {:?}",
        expected.difference(&got).collect::<Vec<_>>(),
        got.difference(&expected).collect::<Vec<_>>()
    );
    assert_eq!(v["version"], 1);
    assert_eq!(
        v["summary"]["findings"].as_u64(),
        Some(v["findings"].as_array().unwrap().len() as u64)
    );
    // Objects are the requests' objects.
    let exec = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "RMP6101")
        .unwrap();
    assert_eq!(exec["object"]["kind"], "Pod");
    assert!(!exec["object"]["name"].as_str().unwrap().is_empty());
}

fn fixture(id: &str, name: &str) -> PathBuf {
    repo()
        .join("resources/test/fixtures/audit")
        .join(id)
        .join(name)
}

#[test]
fn detect_reads_stdin_and_writes_text_and_sarif() {
    let log = std::fs::read(fixture("RMP6101", "fires.jsonl")).unwrap();
    let out = rampart()
        .args(["audit", "detect", "--format", "json"])
        .write_stdin(log.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 2);
    assert_eq!(v["findings"][0]["file"], "-");
    let out = rampart()
        .args(["audit", "detect", "-"])
        .write_stdin(log.clone())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("RMP6101") && text.contains("fire-attach-ws"),
        "{text}"
    );
    let out = rampart()
        .args(["audit", "detect", "--format", "sarif"])
        .write_stdin(log)
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
    let clean = std::fs::read(fixture("RMP6101", "passes.jsonl")).unwrap();
    let out = rampart()
        .args(["audit", "detect", "--format", "json"])
        .write_stdin(clean)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn detect_config_suppresses_and_rejects_typos() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("detect.yaml");
    std::fs::write(
        &cfg,
        "suppress:\n  users: [alice@example.com]\nrules:\n  RMP6101:\n    namespaces: [nowhere]\n",
    )
    .unwrap();
    let log = fixture("RMP6101", "fires.jsonl");
    let (v, _) = detect_json(&["--config", cfg.to_str().unwrap()], Some(&log));
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["audit_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["fire-attach-ws"]);
    std::fs::write(&cfg, "disabled: [RMP9999]\n").unwrap();
    let out = rampart()
        .args(["audit", "detect", "--config"])
        .arg(&cfg)
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RMP9999"));
}

#[test]
fn unreadable_log_and_strict_mode() {
    let out = rampart()
        .args(["audit", "detect", "/nonexistent/audit.log"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = rampart()
        .args(["audit", "detect", "--strict"])
        .write_stdin("garbage ResponseComplete\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[E6001]: -:1:"));
    let out = rampart()
        .args(["audit", "detect"])
        .write_stdin("garbage ResponseComplete\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn eval_reports_bad_policies_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("policy.yaml");
    std::fs::write(&p, "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n- level: Everything\n").unwrap();
    let out = rampart()
        .args(["audit", "eval", "--policy"])
        .arg(&p)
        .args(["--user", "u", "--verb", "get", "--path", "/x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("policy.yaml:5:"), "{err}");
    let out = rampart()
        .args(["audit", "eval", "--policy"])
        .arg(&p)
        .args(["--user", "u", "--verb", "get"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a target is required");
}

#[test]
fn scan_reports_audit_lints() {
    let out = rampart()
        .args(["scan", "--format", "json"])
        .arg(fixture("RMP6004", "fires.yaml"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let shadowed = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "RMP6004")
        .count();
    assert_eq!(shadowed, 3);
}

#[test]
fn follow_prints_findings_as_lines_are_appended() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    std::fs::write(&path, "").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("rampart");
    let mut child = std::process::Command::new(bin)
        .args([
            "audit",
            "detect",
            "--follow",
            "--poll-ms",
            "20",
            "--format",
            "json",
        ])
        .arg(&path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let events = std::fs::read_to_string(fixture("RMP6101", "fires.jsonl")).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    f.write_all(events.as_bytes()).unwrap();
    f.flush().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut ids = Vec::new();
    while ids.len() < 2 && Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            let v: Value = serde_json::from_str(&line).unwrap();
            ids.push(v["audit_id"].as_str().unwrap().to_string());
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(ids, ["fire-exec-post", "fire-attach-ws"]);
}

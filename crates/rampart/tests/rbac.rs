//! `rampart rbac …` through the real binary: every conformance line via the JSON contract,
//! plus the other subcommands' formats and exit codes.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rampart_rbac::query::{Asker, Query};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rampart() -> Command {
    let mut c = Command::cargo_bin("rampart").unwrap_or_else(|e| panic!("binary: {e}"));
    c.current_dir(repo());
    c
}

fn json(cmd: &mut Command) -> (Value, i32) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code().unwrap_or(-1))
}

/// The CLI arguments of a query line.
fn args(q: &Query) -> Vec<String> {
    let mut a: Vec<String> = vec!["rbac".into()];
    match &q.asker {
        Asker::User { user, groups } => {
            a.extend(["can-i".into(), "--as".into(), user.clone()]);
            for g in groups {
                a.extend(["--as-group".into(), g.clone()]);
            }
        }
        Asker::Anyone => a.push("who-can".into()),
    }
    a.extend([q.verb.clone(), q.target.clone()]);
    if let Some(s) = &q.subresource {
        a.extend(["--subresource".into(), s.clone()]);
    }
    if let Some(n) = &q.namespace {
        a.extend(["-n".into(), n.clone()]);
    }
    a.extend(["--format".into(), "json".into()]);
    a
}

/// The answer in `expected.txt` form, read from the JSON contract.
fn answer(v: &Value, q: &Query) -> String {
    match q.asker {
        Asker::User { .. } => match v["allowed"].as_bool() {
            Some(true) => "allow".into(),
            Some(false) => "deny".into(),
            None => format!("bad JSON {v}"),
        },
        Asker::Anyone => {
            let subjects: Vec<String> = v["subjects"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| match s["kind"].as_str() {
                    Some("ServiceAccount") => format!(
                        "ServiceAccount:{}/{}",
                        s["namespace"].as_str().unwrap_or(""),
                        s["name"].as_str().unwrap_or("")
                    ),
                    k => format!("{}:{}", k.unwrap_or(""), s["name"].as_str().unwrap_or("")),
                })
                .collect();
            if subjects.is_empty() {
                "-".into()
            } else {
                subjects.join(",")
            }
        }
    }
}

fn run_cases(dir: &Path, extra: &[&str]) -> (usize, Vec<String>) {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    cases.sort();
    let (mut passed, mut failures) = (0, Vec::new());
    for case in cases {
        let text = std::fs::read_to_string(case.join("expected.txt")).unwrap_or_default();
        let bootstrap = case.file_name().is_some_and(|n| n == "bootstrap");
        for line in text.lines() {
            let Ok(Some(q)) = Query::parse(line) else {
                continue;
            };
            let mut cmd = rampart();
            cmd.args(args(&q))
                .args(extra)
                .arg(case.join("resources.yaml"));
            if bootstrap {
                cmd.arg("--with-bootstrap");
            }
            let (v, code) = json(&mut cmd);
            let got = answer(&v, &q);
            if code == 0 && Some(got.as_str()) == q.expected.as_deref() {
                passed += 1;
            } else {
                failures.push(format!(
                    "{}: {line}\n    exit {code}, got {got}",
                    case.display()
                ));
            }
        }
    }
    (passed, failures)
}

#[test]
fn conformance_through_the_cli() {
    let dir = repo().join("../shared/conformance/rbac");
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "missing {}",
            dir.display()
        );
        eprintln!("note: {} not found; skipped", dir.display());
        return;
    }
    let (passed, failures) = run_cases(&dir, &[]);
    eprintln!(
        "rbac conformance via CLI: {passed} passed, {} failed",
        failures.len()
    );
    assert!(
        passed > 300 && failures.is_empty(),
        "{}",
        failures.join("\n")
    );
}

#[test]
fn own_semantic_cases_through_the_cli() {
    let (passed, failures) = run_cases(&repo().join("resources/test/fixtures/rbac/semantics"), &[]);
    assert!(
        passed > 50 && failures.is_empty(),
        "{}",
        failures.join("\n")
    );
}

#[test]
fn can_i_explains_with_binding_role_and_rule() {
    let (v, code) = json(rampart().args([
        "rbac",
        "can-i",
        "--as",
        "system:serviceaccount:ci:deployer",
        "delete",
        "nodes/n1",
        "--format",
        "json",
        "resources/test/fixtures/rbac/escalation/cluster.yaml",
    ]));
    assert_eq!(code, 0);
    assert_eq!(v["allowed"], true);
    assert_eq!(v["by"][0]["binding"], "deployer-admin");
    assert_eq!(v["by"][0]["role"], "everything");
    assert_eq!(v["by"][0]["rule"], 0);
    assert_eq!(v["groups"][1], "system:serviceaccounts:ci");
}

#[test]
fn non_resource_urls_take_no_namespace() {
    let out = rampart()
        .args([
            "rbac",
            "can-i",
            "--as",
            "a",
            "get",
            "/healthz",
            "-n",
            "x",
            "resources/test/fixtures/rbac/escalation/cluster.yaml",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn strict_fails_on_invalid_rbac_objects() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let f = dir.path().join("bad.yaml");
    std::fs::write(&f, "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n- verbs: get\n").unwrap_or_else(|e| panic!("{e}"));
    let out = rampart()
        .args(["rbac", "who-can", "get", "pods"])
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.yaml:5:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = rampart()
        .args(["rbac", "who-can", "get", "pods", "--strict"])
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn escalations_in_every_format() {
    let file = "resources/test/fixtures/rbac/escalation/cluster.yaml";
    let (v, code) = json(rampart().args(["rbac", "escalations", "--format", "json", file]));
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["to_cluster_admin"], 6);
    let out = rampart()
        .args(["rbac", "escalations", "--format", "dot", file])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("digraph"));
    let out = rampart()
        .args(["rbac", "escalations", "--subject", "User:bob", file])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("User:bob\n") && !text.contains("User:alice"),
        "{text}"
    );
}

#[test]
fn from_audit_writes_loadable_least_privilege_yaml() {
    let out = rampart()
        .args([
            "rbac",
            "from-audit",
            "resources/test/fixtures/rbac/from-audit/audit.jsonl",
            "--user",
            "alice",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let f = dir.path().join("alice.yaml");
    std::fs::write(&f, &out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let (v, _) = json(
        rampart()
            .args([
                "rbac",
                "can-i",
                "--as",
                "alice",
                "patch",
                "deployments.apps/web",
                "--subresource",
                "scale",
                "-n",
                "shop",
                "--format",
                "json",
            ])
            .arg(&f),
    );
    assert_eq!(v["allowed"], true);
    let (v, _) = json(
        rampart()
            .args([
                "rbac", "can-i", "--as", "alice", "delete", "pods", "-n", "shop", "--format",
                "json",
            ])
            .arg(&f),
    );
    assert_eq!(v["allowed"], false);
}

#[test]
fn scan_reports_rbac_rules_on_the_rule_line() {
    let (v, code) = json(rampart().args([
        "scan",
        "--format",
        "json",
        "--no-progress",
        "resources/test/fixtures/rbac/RMP3001/fires.yaml",
    ]));
    assert_eq!(code, 1);
    let lines: Vec<u64> = v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == "RMP3001")
        .filter_map(|f| f["line"].as_u64())
        .collect();
    assert_eq!(lines, [5, 6, 12, 15]);
}

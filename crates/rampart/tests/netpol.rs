//! `rampart netpol` through the real binary: every conformance query via the `can-reach` JSON
//! contract, plus the matrix, diff and usage errors.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn rampart() -> Command {
    Command::cargo_bin("rampart").unwrap_or_else(|e| panic!("binary: {e}"))
}

fn netpol_crate() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rampart-netpol")
}

fn shared_suite() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/netpol");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "missing {}",
        dir.display()
    );
    eprintln!(
        "note: {} not found; shared conformance skipped",
        dir.display()
    );
    None
}

fn case_dirs(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.join("expected.txt").is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn json(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Runs every query of every case under `root`; returns (queries, failures).
fn run_cases(root: &Path) -> (usize, Vec<String>) {
    let mut total = 0;
    let mut failures = Vec::new();
    for dir in case_dirs(root) {
        let resources = dir.join("resources.yaml");
        let text = std::fs::read_to_string(dir.join("expected.txt")).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 5, "{}:{}", dir.display(), n + 1);
            let (port, proto) = f[3].split_once('/').unwrap_or((f[3], "TCP"));
            let v = json(
                rampart()
                    .args([
                        "netpol",
                        "can-reach",
                        "--from",
                        f[0],
                        "--to",
                        f[2],
                        "--port",
                        port,
                        "--protocol",
                        proto,
                        "--format",
                        "json",
                    ])
                    .arg(&resources),
            );
            total += 1;
            let want = f[4] == "allow";
            if v["allowed"] != Value::Bool(want) {
                failures.push(format!(
                    "{}:{}: {l}: got {}",
                    dir.display(),
                    n + 1,
                    v["allowed"]
                ));
            }
            assert!(v["egress"]["by"].is_array() && v["ingress"]["by"].is_array());
        }
    }
    (total, failures)
}

#[test]
fn conformance_through_the_cli() {
    let mut roots = vec![netpol_crate().join("tests/data/cases")];
    roots.extend(shared_suite());
    for root in roots {
        let (total, failures) = run_cases(&root);
        assert!(total > 0);
        assert!(
            failures.is_empty(),
            "{} of {total} failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
        eprintln!("{}: {total} queries pass through the CLI", root.display());
    }
}

#[test]
fn can_reach_names_the_deciding_rule() {
    let case = netpol_crate().join("tests/data/cases/anp-tiers-and-port-forms/resources.yaml");
    let v = json(
        rampart()
            .args([
                "netpol",
                "can-reach",
                "--from",
                "team/worker",
                "--to",
                "team/api",
                "--port",
                "7100",
                "--format",
                "json",
            ])
            .arg(&case),
    );
    assert_eq!(v["allowed"], false);
    assert_eq!(v["ingress"]["tier"], "AdminNetworkPolicy");
    assert_eq!(v["ingress"]["by"][0]["name"], "early");
    assert_eq!(v["ingress"]["by"][0]["rule"], 2);
    let text = rampart()
        .args([
            "netpol",
            "can-reach",
            "--from",
            "mon/prom",
            "--to",
            "team/api",
            "--port",
            "53",
            "--protocol",
            "udp",
        ])
        .arg(&case)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let s = String::from_utf8_lossy(&text.stdout);
    assert!(
        s.contains("DENIED") && s.contains("Pass") && s.contains("team/only-worker"),
        "{s}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let case = netpol_crate().join("tests/data/cases/np-peer-and-versus-or/resources.yaml");
    for args in [
        vec!["--from", "srv/nope", "--to", "srv/client", "--port", "80"],
        vec!["--from", "8.8.8.8", "--to", "srv/client", "--port", "80"],
        vec![
            "--from",
            "srv/client",
            "--to",
            "srv/and-target",
            "--port",
            "80",
            "--protocol",
            "ICMP",
        ],
        vec![
            "--from",
            "srv/client",
            "--to",
            "srv/and-target",
            "--port",
            "0",
        ],
    ] {
        let out = rampart()
            .args(["netpol", "can-reach"])
            .args(&args)
            .arg(&case)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn matrix_and_diff() {
    let cases = netpol_crate().join("tests/data/cases");
    let before = cases.join("np-ports-named-endport-protocols/resources.yaml");
    let v = json(
        rampart()
            .args(["netpol", "matrix", "--format", "json"])
            .arg(&before),
    );
    assert_eq!(v["summary"]["pods"], 3);
    assert_eq!(v["summary"]["allowed_pairs"], 2);
    assert!(v["reachability"].is_array() && v["destinations"].is_array());
    let filtered = json(
        rampart()
            .args([
                "netpol", "matrix", "--format", "json", "--from", "open", "--to", "locked/*",
            ])
            .arg(&before),
    );
    assert!(filtered["sources"]
        .as_array()
        .is_some_and(|s| s.iter().all(|e| e["id"] == "p/client")));
    // Removing every policy opens connections and closes none.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(&before).unwrap_or_default();
    let pods_only: String = text
        .split("\n---\n")
        .filter(|d| !d.contains("kind: NetworkPolicy"))
        .collect::<Vec<_>>()
        .join("\n---\n");
    let after = dir.path().join("after.yaml");
    std::fs::write(&after, pods_only).unwrap_or_else(|e| panic!("{e}"));
    let d = json(
        rampart()
            .args(["netpol", "diff", "--format", "json"])
            .arg(&before)
            .arg("--against")
            .arg(&after),
    );
    assert_eq!(d["summary"]["closed"], 0);
    assert!(d["summary"]["opened"].as_u64().is_some_and(|n| n > 0));
    let d2 = json(
        rampart()
            .args(["netpol", "diff", "--format", "json"])
            .arg(&after)
            .arg("--against")
            .arg(&before),
    );
    assert_eq!(d2["summary"]["opened"], 0);
    assert_eq!(d["summary"]["opened"], d2["summary"]["closed"]);
}

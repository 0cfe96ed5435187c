//! The workload rules through the real CLI: `rampart scan --format json` carries every field
//! of the finding contract for them, and the hardened demo manifest is clean.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scan(path: &str) -> (Value, i32) {
    let out = Command::cargo_bin("rampart")
        .unwrap_or_else(|e| panic!("binary: {e}"))
        .current_dir(repo())
        .args(["scan", "--format", "json", "--no-progress", path])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().unwrap_or(-1))
}

#[test]
fn privileged_container_finding_has_the_full_contract() {
    let (v, code) = scan("examples/workloads/node-agent-daemonset.yaml");
    assert_eq!(code, 1, "findings mean exit code 1");
    let findings = v["findings"].as_array().cloned().unwrap_or_default();
    let f = findings
        .iter()
        .find(|f| f["rule"] == "RMP1016")
        .unwrap_or_else(|| panic!("no RMP1016 in {findings:#?}"));
    assert_eq!(f["name"], "privileged-container");
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["category"], "workload");
    assert_eq!(f["file"], "examples/workloads/node-agent-daemonset.yaml");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(25), Some(11))
    );
    assert_eq!(f["container"], "agent");
    assert_eq!(
        f["path"],
        "spec.template.spec.containers[0].securityContext.privileged"
    );
    assert_eq!(f["object"]["kind"], "DaemonSet");
    assert_eq!(f["object"]["namespace"], "kube-system");
    assert_eq!(f["object"]["name"], "node-agent");
    assert_eq!(f["object"]["apiVersion"], "apps/v1");
    assert!(f["mitre"]
        .as_array()
        .is_some_and(|m| m.iter().any(|t| t == "T1611")));
    assert!(f["remediation"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(f["message"].as_str().is_some_and(|m| m.contains("agent")));
    // Pod-level findings carry no container.
    let host_pid = findings.iter().find(|f| f["rule"] == "RMP1017");
    assert!(host_pid.is_some_and(|f| f.get("container").is_none()));
}

#[test]
fn hardened_demo_workload_is_clean() {
    let (v, code) = scan("examples/workloads/hardened-web.yaml");
    let workload: Vec<_> = v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["category"] == "workload")
        .collect();
    assert!(workload.is_empty(), "{workload:#?}");
    assert_eq!(code, 0);
}

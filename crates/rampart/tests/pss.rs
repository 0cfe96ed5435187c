//! `rampart pss` through the real CLI and its JSON contract: every upstream conformance
//! fixture directory, exit codes, usage errors, admission configuration and `pss level`.

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

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn fixture(name: &str) -> PathBuf {
    repo().join("resources/test/fixtures/pss/cases").join(name)
}

/// The restricted check that replaces a baseline one, if any.
fn replacement(check: &str) -> Option<&'static str> {
    Some(match check {
        "hostPathVolumes" => "restrictedVolumes",
        "capabilities_baseline" => "capabilities_restricted",
        "seccompProfile_baseline" => "seccompProfile_restricted",
        "procMount" => "procMount_restricted",
        _ => return None,
    })
}

#[test]
fn conformance_fixtures_through_the_cli_json_contract() {
    let root = repo().join("../shared/conformance/pss");
    if !root.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "missing {}",
            root.display()
        );
        eprintln!(
            "note: {} is absent; CLI conformance not run",
            root.display()
        );
        return;
    }
    let mut checked = 0;
    let mut problems = Vec::new();
    for level in ["baseline", "restricted"] {
        let mut versions: Vec<PathBuf> = std::fs::read_dir(root.join(level))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        versions.sort();
        for vdir in versions {
            let version = vdir
                .file_name()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            let out = rampart()
                .args([
                    "pss",
                    "check",
                    "--level",
                    level,
                    "--version",
                    &version,
                    "--format",
                    "json",
                ])
                .arg(vdir.join("pass"))
                .arg(vdir.join("fail"))
                .output()
                .unwrap_or_else(|e| panic!("{e}"));
            let entries = json_of(&out);
            let entries = entries.as_array().cloned().unwrap_or_default();
            let any_fail = entries.iter().any(|e| e["allowed"] == false);
            assert_eq!(
                out.status.code(),
                Some(if any_fail { 1 } else { 0 }),
                "{level} {version}"
            );
            for e in &entries {
                checked += 1;
                let file = e["file"].as_str().unwrap_or_default();
                let ids: Vec<&str> = e["violations"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v["check"].as_str())
                    .collect();
                for v in e["violations"].as_array().into_iter().flatten() {
                    assert!(
                        v["reason"].as_str().is_some_and(|r| !r.is_empty()),
                        "{file}: empty reason"
                    );
                }
                let ok = if file.contains("/pass/") {
                    e["allowed"] == true
                } else {
                    let stem = Path::new(file)
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .unwrap_or_default();
                    let prefix = stem.trim_end_matches(|c: char| c.is_ascii_digit());
                    let named = |id: &str| id.eq_ignore_ascii_case(prefix);
                    e["allowed"] == false
                        && (ids.iter().any(|id| named(id))
                            || (level == "restricted"
                                && ids.iter().any(|id| {
                                    [
                                        "hostPathVolumes",
                                        "capabilities_baseline",
                                        "seccompProfile_baseline",
                                        "procMount",
                                    ]
                                    .iter()
                                    .any(|b| named(b) && replacement(b) == Some(id))
                                })))
                };
                if !ok {
                    problems.push(format!("{file} at {level} {version}: {e}"));
                }
            }
        }
    }
    assert!(checked > 0);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems[..problems.len().min(20)].join("\n")
    );
    println!("CLI conformance: {checked} fixtures");
}

#[test]
fn malformed_levels_and_versions_are_usage_errors() {
    let f = fixture("ephemeral-privileged.yaml");
    for (level, version) in [
        ("baseline", "v1.05"),
        ("baseline", "v0.9"),
        ("baseline", "1.25"),
        ("baseline", "v1.25.0"),
        ("Baseline", "latest"),
        ("strict", "v1.2"),
    ] {
        let out = rampart()
            .args(["pss", "check", "--level", level, "--version", version])
            .arg(&f)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(2), "{level} {version}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("must be"), "{err}");
    }
    let out = rampart()
        .args(["pss", "check"])
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn newer_versions_evaluate_as_the_newest_and_exit_codes_follow_verdicts() {
    let f = fixture("sysctl-notsent-lowat.yaml");
    for (version, code) in [
        ("v1.36", 1),
        ("v1.37", 0),
        ("v1.99", 0),
        ("v1.1000", 0),
        ("latest", 0),
    ] {
        let out = rampart()
            .args([
                "pss",
                "check",
                "--level",
                "baseline",
                "--version",
                version,
                "-f",
                "json",
            ])
            .arg(&f)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(code), "{version}");
        assert_eq!(json_of(&out)[0]["allowed"], code == 0);
    }
    let out = rampart()
        .args([
            "pss",
            "check",
            "--level",
            "baseline",
            "--emulate",
            "v1.36",
            "-f",
            "json",
        ])
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn invalid_objects_are_input_errors_and_strict_makes_them_fatal() {
    let f = fixture("run-as-user-bool.yaml");
    let out = rampart()
        .args(["pss", "check", "--level", "restricted", "-f", "json"])
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_of(&out), serde_json::json!([]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("run-as-user-bool.yaml:9:5:")
            && err.contains("spec.securityContext.runAsUser"),
        "{err}"
    );
    let out = rampart()
        .args([
            "pss",
            "check",
            "--strict",
            "--level",
            "restricted",
            "-f",
            "json",
        ])
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn admission_config_level_and_sarif() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cfg = dir.path().join("psa.yaml");
    std::fs::write(&cfg, "apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: baseline\n  warn: restricted\nexemptions:\n  namespaces: [kube-system]\n").unwrap_or_else(|e| panic!("{e}"));
    let objs = dir.path().join("objs.yaml");
    std::fs::write(&objs, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: shop\nspec:\n  hostPID: true\n  containers:\n  - name: c\n    image: x\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  hostPID: true\n  containers:\n  - name: c\n    image: x\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: s\n  namespace: kube-system\nspec:\n  hostPID: true\n  containers:\n  - name: c\n    image: x\n").unwrap_or_else(|e| panic!("{e}"));
    let out = rampart()
        .args(["pss", "check", "--admission-config"])
        .arg(&cfg)
        .args(["-f", "json"])
        .arg(&objs)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v[0]["allowed"], true, "shop is labelled privileged");
    assert!(v[0]["warnings"][0]
        .as_str()
        .is_some_and(|w| w.starts_with("would violate PodSecurity \"restricted:latest\"")));
    assert_eq!(
        v[1]["allowed"], false,
        "default namespace uses the baseline default"
    );
    assert_eq!(v[1]["violations"][0]["check"], "hostNamespaces");
    assert!(v[1]["enforce"]["message"].as_str().is_some_and(
        |m| m.starts_with("pods \"b\" is forbidden: violates PodSecurity \"baseline:latest\"")
    ));
    assert_eq!(v[2]["exempt"], "namespace");

    let out = rampart()
        .args(["pss", "level", "-f", "json"])
        .arg(&objs)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    let shop = v["namespaces"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|n| n["namespace"] == "shop")
        .cloned()
        .unwrap_or_default();
    assert_eq!(shop["level"], "privileged");
    assert_eq!(
        shop["recommended_labels"]["pod-security.kubernetes.io/enforce"],
        "privileged"
    );

    let out = rampart()
        .args(["pss", "check", "--level", "baseline", "-f", "sarif"])
        .arg(&objs)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(results.iter().any(|r| r["ruleId"] == "RMP2002"));
}

#[test]
fn custom_resources_only_on_request() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let f = dir.path().join("rollout.yaml");
    std::fs::write(&f, "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\nspec:\n  template:\n    spec:\n      hostIPC: true\n      containers:\n      - name: c\n        image: x\n").unwrap_or_else(|e| panic!("{e}"));
    let out = rampart()
        .args(["pss", "check", "--level", "baseline", "-f", "json"])
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json_of(&out), serde_json::json!([]));
    let out = rampart()
        .args([
            "pss",
            "check",
            "--level",
            "baseline",
            "--include-crds",
            "-f",
            "json",
        ])
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_of(&out)[0]["violations"][0]["check"], "hostNamespaces");
}

#[test]
fn conformance_subcommand_agrees_on_every_fixture() {
    let root = repo().join("../shared/conformance/pss");
    if !root.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "missing {}",
            root.display()
        );
        return;
    }
    let out = rampart()
        .args(["pss", "conformance", "-f", "json"])
        .arg(&root)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert!(v["total"].as_u64().is_some_and(|t| t > 0));
    assert_eq!(v["agree"], v["total"]);
}

#[test]
fn dry_run_of_a_namespace_label_lists_offending_pods() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let f = dir.path().join("pods.yaml");
    let pod = |n: &str, owner: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {n}\n  namespace: shop\n  ownerReferences:\n  - {{apiVersion: apps/v1, kind: ReplicaSet, name: rs, uid: {owner}, controller: true}}\nspec:\n  hostPID: true\n  containers:\n  - name: c\n    image: x\n---\n")
    };
    std::fs::write(
        &f,
        pod("web-b", "u1") + &pod("web-a", "u1") + &pod("other", "u2"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = rampart()
        .args([
            "pss",
            "dry-run",
            "shop",
            "--enforce",
            "baseline",
            "-f",
            "json",
        ])
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert_eq!(
        v["warnings"],
        serde_json::json!([
            "existing pods in namespace \"shop\" violate the new PodSecurity enforce level \"baseline:latest\"",
            "other (and 2 other pods): host namespaces"
        ])
    );
}

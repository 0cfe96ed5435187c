//! Robustness over the shared corpus of ~20,000 real objects: no panic, valid JSON, and every
//! unparsable document reported as an error with its location. Needs `../shared/corpus`;
//! under `CI=true` its absence is a failure.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

#[test]
fn scans_the_whole_corpus_without_a_panic() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if !corpus.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "corpus missing under CI: {}",
            corpus.display()
        );
        eprintln!(
            "note: {} absent; corpus robustness test skipped",
            corpus.display()
        );
        return;
    }
    let out = Command::cargo_bin("rampart")
        .unwrap_or_else(|e| panic!("binary: {e}"))
        .args(["scan", "--format", "json", "--no-progress"])
        .arg(&corpus)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        // 1: findings. The corpus's invalid documents (duplicate keys, Secret data that is not
        // base64) are reported as errors, but each was still scanned in full, so not exit 2.
        out.status.code() == Some(1),
        "exit {:?}: {stderr}",
        out.status.code()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"));
    let summary = &v["summary"];
    assert!(summary["files"].as_u64().unwrap_or(0) > 9_000, "{summary}");
    assert!(
        summary["objects"].as_u64().unwrap_or(0) > 20_000,
        "{summary}"
    );
    let errors = v["errors"].as_array().cloned().unwrap_or_default();
    // The corpus has 10 files with duplicate mapping keys (which kubectl rejects) and one Secret
    // with plain text under `data`.
    assert!(
        (5..=40).contains(&errors.len()),
        "{} errors: {errors:#?}",
        errors.len()
    );
    for e in &errors {
        assert!(e["file"].as_str().is_some_and(|f| !f.is_empty()), "{e}");
        assert_eq!(e["scanned"], true, "an input the scan could not read: {e}");
        if e["code"] == "E0003" {
            assert!(
                e["line"].as_u64().unwrap_or(0) > 0,
                "parse error without a line: {e}"
            );
            assert!(
                e["column"].as_u64().unwrap_or(0) > 0,
                "parse error without a column: {e}"
            );
        }
    }
    for f in v["findings"].as_array().into_iter().flatten() {
        assert!(
            f["line"].as_u64().unwrap_or(0) > 0,
            "finding without a line: {f}"
        );
    }
}

/// A duplicate key is an input error the scan still reads in full: reported with
/// `"scanned": true`, the exit code left to the findings; `--strict` makes it exit 2.
#[test]
fn scanned_input_errors_leave_the_exit_code_to_findings_unless_strict() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("dup.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  name: q\nspec:\n  containers:\n  - name: c\n    image: nginx\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let scan = |strict: bool| {
        let mut cmd = Command::cargo_bin("rampart").unwrap_or_else(|e| panic!("binary: {e}"));
        cmd.args(["scan", "--format", "json", "--no-progress"]);
        if strict {
            cmd.arg("--strict");
        }
        cmd.arg(&file).output().unwrap_or_else(|e| panic!("{e}"))
    };
    let out = scan(false);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["errors"][0]["code"], "E0003");
    assert_eq!(v["errors"][0]["scanned"], true);
    assert_eq!(v["errors"][0]["line"], 5);
    // The last value wins: findings name the object `q`.
    assert_eq!(v["findings"][0]["object"]["name"], "q");
    assert_eq!(scan(true).status.code(), Some(2));
}

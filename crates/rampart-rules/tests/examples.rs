//! The README demo manifests under `examples/workloads/`: the hardened one is clean, and the
//! findings of the others — rule, line, column, container, path — are pinned by a snapshot.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/workloads")
}

fn findings(name: &str) -> Vec<rampart_model::Finding> {
    let path = examples().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(!text.is_empty(), "missing example {}", path.display());
    let (_, objects, errors) = rampart_manifest::load_text(name, text);
    assert!(errors.is_empty(), "{name}: {errors:?}");
    rampart_rules::check(&objects)
}

#[test]
fn hardened_example_is_clean() {
    let f = findings("hardened-web.yaml");
    assert!(f.is_empty(), "hardened example has findings: {f:#?}");
}

#[test]
fn bad_examples_findings_are_pinned() {
    let mut out = String::new();
    for name in [
        "node-agent-daemonset.yaml",
        "nightly-report-cronjob.yaml",
        "debug-toolbox-pod.yaml",
        "exposed-services.yaml",
    ] {
        for f in findings(name) {
            let path = f.path.as_ref().map(ToString::to_string).unwrap_or_default();
            let container = f.container.as_deref().unwrap_or("-");
            let _ = writeln!(
                out,
                "{}:{}:{} {} {} [{container}] {path}",
                f.file, f.line, f.column, f.rule, f.name
            );
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn columns_point_at_the_offending_key() {
    let f = findings("node-agent-daemonset.yaml");
    let at = |rule: &str| {
        f.iter()
            .filter(|x| x.rule == rule)
            .map(|x| (x.line, x.column))
            .collect::<Vec<_>>()
    };
    // `privileged: true` is line 25, the key at column 11.
    assert_eq!(at("RMP1016"), [(25, 11)]);
    // `hostPID: true` at line 17, column 7.
    assert_eq!(at("RMP1017"), [(17, 7)]);
    // The socket's `path:` key.
    assert_eq!(at("RMP1022"), [(40, 11)]);
    // Missing readOnlyRootFilesystem points at the container's securityContext key.
    assert_eq!(at("RMP1005"), [(24, 9)]);
    // Missing CPU limit points at the `limits` key.
    assert_eq!(at("RMP1033"), [(35, 11)]);
}

//! Rampart's own semantic cases, in the conformance format, under
//! `resources/test/fixtures/rbac/semantics/<case>/{resources.yaml,expected.txt}`: they cover
//! every rule of the authorizer without `../shared`. The case named `bootstrap` runs with the
//! bootstrap set.

use std::path::Path;

use rampart_manifest::{load_paths, LoadOptions};
use rampart_rbac::query::Query;
use rampart_rbac::Cluster;

fn run(case: &str) -> Cluster {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../resources/test/fixtures/rbac/semantics")
        .join(case);
    let loaded = load_paths(&[dir.join("resources.yaml")], &LoadOptions::default());
    assert!(loaded.errors.is_empty(), "{case}: {:?}", loaded.errors);
    let cluster = Cluster::from_objects(&loaded.objects, case == "bootstrap");
    let text = std::fs::read_to_string(dir.join("expected.txt")).unwrap_or_default();
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in text.lines().enumerate() {
        let Some(q) = Query::parse(line).unwrap_or_else(|e| panic!("{case}:{}: {e}", n + 1)) else {
            continue;
        };
        count += 1;
        let got = q.answer(&cluster.policy).map(|a| a.render());
        if got.as_deref().ok() != q.expected.as_deref() {
            failures.push(format!("{case}:{}: {line}\n    got {got:?}", n + 1));
        }
    }
    assert!(count > 0, "{case}: no queries");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    cluster
}

#[test]
fn aggregation() {
    let c = run("aggregation");
    assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
    assert!(c.errors[0].message.contains("loop-a, loop-b"));
}

#[test]
fn scoping() {
    assert!(run("scoping").errors.is_empty());
}

#[test]
fn matching() {
    run("matching");
}

#[test]
fn identity() {
    run("identity");
}

#[test]
fn bootstrap() {
    run("bootstrap");
}

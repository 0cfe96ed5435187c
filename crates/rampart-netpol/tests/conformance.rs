//! Every query of every case (the shared conformance suite and this crate's own cases) through
//! the library: `allowed` must equal the expected verdict.

mod common;

use std::path::Path;

use rampart_manifest::{load_paths, LoadOptions};
use rampart_netpol::{evaluate, Cluster, EvalOptions, PortProto, Query, Target};

fn run_case(dir: &Path) -> (usize, Vec<String>) {
    let loaded = load_paths(&[dir.join("resources.yaml")], &LoadOptions::default());
    assert!(
        loaded.errors.is_empty(),
        "{}: {:?}",
        dir.display(),
        loaded.errors
    );
    let cluster = Cluster::from_objects(&loaded.objects);
    assert!(
        cluster.issues.is_empty(),
        "{}: {:?}",
        dir.display(),
        cluster.issues
    );
    let text = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    let queries = common::parse_expected(&text);
    let mut failures = Vec::new();
    for q in &queries {
        let Ok(Target::Pod(from)) = cluster.resolve(&q.from) else {
            panic!("{}:{}: unknown source {}", dir.display(), q.line, q.from)
        };
        let to = cluster.resolve(&q.to).expect("destination");
        let port: PortProto = q.port.parse().expect("port");
        let v = evaluate(&cluster, EvalOptions::default(), &Query { from, to, port });
        if v.allowed != q.allow {
            failures.push(format!(
                "{}:{}: {} -> {} {} expected {} got {}\n  egress: {}\n  ingress: {}",
                dir.file_name().and_then(|n| n.to_str()).unwrap_or(""),
                q.line,
                q.from,
                q.to,
                q.port,
                q.allow,
                v.allowed,
                v.egress.explanation,
                v.ingress.explanation
            ));
        }
    }
    (queries.len(), failures)
}

fn run_all(root: &Path) -> (usize, usize) {
    let dirs = common::case_dirs(root);
    assert!(!dirs.is_empty(), "no cases in {}", root.display());
    let mut total = 0;
    let mut failures = Vec::new();
    for d in &dirs {
        let (n, f) = run_case(d);
        total += n;
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} of {total} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    (dirs.len(), total)
}

#[test]
fn shared_conformance_suite() {
    let Some(root) = common::shared_suite() else {
        return;
    };
    let (cases, queries) = run_all(&root);
    eprintln!("shared conformance: {cases} cases, {queries} queries, all pass");
}

#[test]
fn own_cases() {
    let (cases, queries) = run_all(&common::own_cases());
    eprintln!("own cases: {cases} cases, {queries} queries, all pass");
}

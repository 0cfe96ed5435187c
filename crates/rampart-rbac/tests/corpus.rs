//! Robustness: every analysis over the ~20,000 real objects of `../shared/corpus` finishes
//! without a panic, and the RBAC objects in it load.

use std::path::PathBuf;

use rampart_manifest::{load_paths, LoadOptions};
use rampart_rbac::{escalation, lints, Cluster};

#[test]
fn whole_corpus_without_panics() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ));
    if !dir.is_dir() {
        eprintln!("note: {} not found; skipped", dir.display());
        return;
    }
    let loaded = load_paths(&[dir], &LoadOptions::default());
    for bootstrap in [false, true] {
        let cluster = Cluster::from_objects(&loaded.objects, bootstrap);
        assert!(
            cluster.policy.roles.len() > 100,
            "the corpus has RBAC objects"
        );
        let analysis = escalation::analyze(&cluster);
        let _ = escalation::render::Report::new(&analysis, &cluster.policy).text();
        let _ = escalation::render::dot(&analysis);
    }
    let findings = lints::scan(&loaded.objects);
    assert!(findings.iter().all(|f| f.line > 0 && !f.file.is_empty()));
    eprintln!(
        "corpus: {} objects, {} rbac findings",
        loaded.objects.len(),
        findings.len()
    );
}

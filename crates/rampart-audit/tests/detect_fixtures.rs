//! Every detection fires on exactly the events of its `fires.jsonl` whose audit ID starts
//! with `fire-` (at their line, with the rule's techniques) and on nothing in `passes.jsonl`
//! (`resources/test/fixtures/audit/<ID>/`).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rampart_audit::detect::{rules, DetectConfig, Detector, Emitted};
use rampart_model::Finding;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../resources/test/fixtures/audit")
}

fn run(file: &Path) -> Vec<Finding> {
    let mut det = Detector::new(DetectConfig::default());
    let mut found = Vec::new();
    det.run(
        std::fs::File::open(file).unwrap(),
        &file.display().to_string(),
        &mut |e| match e {
            Emitted::Finding(f) => found.push(*f),
            Emitted::Error(e) => panic!("{}: {e:?}", file.display()),
        },
    )
    .unwrap();
    found
}

/// (audit ID, 1-based line) of the ResponseComplete events whose ID starts with `fire-`.
fn marked(file: &Path) -> BTreeSet<(String, u32)> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .zip(1u32..)
        .filter_map(|(l, n)| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let id = v["auditID"].as_str()?.to_string();
            (id.starts_with("fire-") && v["stage"] == "ResponseComplete").then_some((id, n))
        })
        .collect()
}

#[test]
fn every_detection_fires_exactly_on_marked_events() {
    let mut problems = Vec::new();
    for meta in rules::metas() {
        let dir = fixtures().join(meta.id);
        let (fires, passes) = (dir.join("fires.jsonl"), dir.join("passes.jsonl"));
        if !fires.is_file() || !passes.is_file() {
            problems.push(format!(
                "{}: missing fixtures in {}",
                meta.id,
                dir.display()
            ));
            continue;
        }
        let mine: Vec<Finding> = run(&fires)
            .into_iter()
            .filter(|f| f.rule == meta.id)
            .collect();
        for f in &mine {
            let want: Vec<String> = meta.mitre.iter().map(|m| (*m).to_string()).collect();
            assert_eq!(f.mitre, want, "{}", meta.id);
            assert_eq!(f.category.as_str(), "audit");
            assert!(!f.message.is_empty());
        }
        let got: BTreeSet<(String, u32)> = mine
            .iter()
            .map(|f| (f.audit_id.clone().unwrap_or_default(), f.line))
            .collect();
        let want = marked(&fires);
        if want.is_empty() || got != want {
            problems.push(format!("{}: fired on {got:?}, expected {want:?}", meta.id));
        }
        let clean: Vec<_> = run(&passes)
            .into_iter()
            .filter(|f| f.rule == meta.id)
            .map(|f| f.audit_id)
            .collect();
        if !clean.is_empty() {
            problems.push(format!("{}: passes.jsonl fired on {clean:?}", meta.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn at_least_25_detections_with_unique_ids_and_techniques() {
    let metas = rules::metas();
    assert!(metas.len() >= 25);
    let ids: BTreeSet<_> = metas.iter().map(|m| m.id).collect();
    assert_eq!(ids.len(), metas.len());
    for m in metas {
        assert!(m.id.starts_with("RMP61"), "{}", m.id);
        assert!(!m.mitre.is_empty(), "{} has no MITRE technique", m.id);
        assert!(m.mitre.iter().all(|t| t.starts_with('T')));
    }
}

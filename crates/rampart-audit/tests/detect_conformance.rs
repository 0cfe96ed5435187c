//! The detection case of the shared conformance suite through the library: the set of
//! (audit ID, technique) pairs must equal `expected.txt`, and benign events produce nothing.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use rampart_audit::detect::{DetectConfig, Detector, Emitted};

pub fn pairs_of(log: &Path) -> (BTreeSet<(String, String)>, usize) {
    let mut det = Detector::new(DetectConfig::default());
    let mut pairs = BTreeSet::new();
    let mut errors = 0;
    let file = std::fs::File::open(log).unwrap();
    det.run(file, &log.display().to_string(), &mut |e| match e {
        Emitted::Finding(f) => {
            assert_eq!(f.category.as_str(), "audit");
            let id = f.audit_id.clone().unwrap();
            for m in f.mitre.iter() {
                pairs.insert((id.clone(), m.to_string()));
            }
        }
        Emitted::Error(_) => errors += 1,
    })
    .unwrap();
    (pairs, errors)
}

#[test]
fn shared_detect_case() {
    let Some(suite) = support::suite() else {
        return;
    };
    let dir = suite.join("detect");
    let expected =
        support::parse_pairs(&std::fs::read_to_string(dir.join("expected.txt")).unwrap());
    let (got, errors) = pairs_of(&dir.join("log.jsonl"));
    assert_eq!(errors, 0);
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:#?}\nextra {extra:#?}"
    );
    eprintln!("{} expected pairs: all found, nothing else", expected.len());
}

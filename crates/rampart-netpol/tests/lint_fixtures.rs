//! Every network lint fires exactly on the lines of its `fires.yaml` marked
//! `# expect: RULE-ID`, and not at all on its `passes.yaml`
//! (`resources/test/fixtures/network/<RULE-ID>/`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rampart_manifest::{load_paths, LoadOptions};
use rampart_netpol::lints;

fn fixtures() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../resources/test/fixtures/network"
    ))
    .to_path_buf()
}

fn expected(text: &str, id: &str) -> BTreeSet<u32> {
    (1u32..)
        .zip(text.lines())
        .filter(|(_, l)| {
            l.split("# expect:")
                .nth(1)
                .is_some_and(|ids| ids.split([',', ' ']).any(|x| x.trim() == id))
        })
        .map(|(n, _)| n)
        .collect()
}

fn reported(file: &Path, id: &str) -> (BTreeSet<u32>, Vec<String>) {
    let loaded = load_paths(&[file.to_path_buf()], &LoadOptions::default());
    assert!(
        loaded.errors.is_empty(),
        "{}: {:?}",
        file.display(),
        loaded.errors
    );
    let findings: Vec<_> = lints::run(&loaded.objects)
        .into_iter()
        .filter(|f| f.rule == id)
        .collect();
    for f in &findings {
        assert!(
            f.column > 0 && f.file.ends_with(".yaml"),
            "{id}: unplaced finding {f:?}"
        );
        assert_eq!(f.category.as_str(), "network");
    }
    (
        findings.iter().map(|f| f.line).collect(),
        findings
            .iter()
            .map(|f| format!("{}: {}", f.line, f.message))
            .collect(),
    )
}

#[test]
fn every_lint_fires_exactly_where_marked() {
    let mut problems = Vec::new();
    for meta in lints::rules() {
        let dir = fixtures().join(meta.id);
        let (fires, passes) = (dir.join("fires.yaml"), dir.join("passes.yaml"));
        let text = std::fs::read_to_string(&fires).unwrap_or_default();
        let want = expected(&text, meta.id);
        if want.is_empty() {
            problems.push(format!(
                "{}: no `# expect` line in {}",
                meta.id,
                fires.display()
            ));
            continue;
        }
        let (got, msgs) = reported(&fires, meta.id);
        if got != want {
            problems.push(format!(
                "{}: reported {got:?}, expected {want:?}\n  {}",
                meta.id,
                msgs.join("\n  ")
            ));
        }
        let (clean, msgs) = reported(&passes, meta.id);
        if !clean.is_empty() {
            problems.push(format!(
                "{}: passes.yaml fired on {clean:?}\n  {}",
                meta.id,
                msgs.join("\n  ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rule_metadata_is_complete_and_unique() {
    let rules = lints::rules();
    let mut ids = BTreeSet::new();
    for (i, r) in rules.iter().enumerate() {
        assert_eq!(
            r.id,
            format!("RMP40{:02}", i + 1),
            "ids are dense and ordered"
        );
        assert!(ids.insert(r.name), "duplicate name {}", r.name);
        assert!(
            !r.what.is_empty() && !r.why.is_empty() && !r.fix.is_empty() && !r.example.is_empty()
        );
        assert_eq!(r.category.as_str(), "network");
    }
}

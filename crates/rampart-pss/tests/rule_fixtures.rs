//! Every PSS rule (`RMP2001`–`RMP2019`) fires exactly on the lines its
//! `resources/test/fixtures/pss/<ID>/fires.yaml` marks `# expect: <ID>`, and never on
//! `passes.yaml`, in the view `rampart scan --pss restricted` uses.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rampart_manifest::load_text;
use rampart_pss::object::{findings, lint, object_pod};
use rampart_pss::{Evaluator, Level, LevelVersion, Version};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../resources/test/fixtures/pss")
}

fn lines_of(path: &Path, id: &str) -> (BTreeSet<u32>, BTreeSet<u32>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let want = text
        .lines()
        .zip(1u32..)
        .filter(|(l, _)| {
            l.split("# expect:")
                .nth(1)
                .is_some_and(|ids| ids.split([',', ' ']).any(|x| x.trim() == id))
        })
        .map(|(_, n)| n)
        .collect();
    let (_, objects, errors) = load_text(&path.display().to_string(), text);
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    let lv = LevelVersion::new(Level::Restricted, Version::Latest);
    let mut got = BTreeSet::new();
    for obj in &objects {
        let Some(Ok(op)) = object_pod(obj, true) else {
            panic!("{}: no decodable pod", path.display())
        };
        for f in findings(obj, &op, &lint(&Evaluator::new(), lv, &op.pod)) {
            assert_eq!(f.category.as_str(), "pss");
            assert!(f.column > 0 && f.file == obj.file());
            if f.rule == id {
                got.insert(f.line);
            }
        }
    }
    (want, got)
}

#[test]
fn every_rule_fires_where_marked() {
    let mut problems = Vec::new();
    for meta in rampart_pss::rules() {
        let d = dir().join(meta.id);
        let (want, got) = lines_of(&d.join("fires.yaml"), meta.id);
        if want.is_empty() || want != got {
            problems.push(format!(
                "{}: fires.yaml expected lines {want:?}, got {got:?}",
                meta.id
            ));
        }
        let (_, clean) = lines_of(&d.join("passes.yaml"), meta.id);
        if !clean.is_empty() {
            problems.push(format!("{}: passes.yaml fired on lines {clean:?}", meta.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rule_ids_follow_upstream_check_order() {
    let ids: Vec<_> = rampart_pss::rules().iter().map(|m| m.id).collect();
    let want: Vec<String> = (1..=19).map(|n| format!("RMP20{n:02}")).collect();
    assert_eq!(ids, want);
    for m in rampart_pss::rules() {
        assert!(m.name.starts_with("pss-") && !m.what.is_empty() && !m.fix.is_empty());
    }
}

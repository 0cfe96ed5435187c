//! Every policy lint fires exactly on the lines its `fires.yaml` marks `# expect: ID` and
//! nowhere in its `passes.yaml` (`resources/test/fixtures/audit/<ID>/`).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../resources/test/fixtures/audit")
}

fn lines_of(file: &Path, id: &str) -> BTreeSet<u32> {
    let text = std::fs::read_to_string(file).unwrap();
    let (_, objects, errors) = rampart_manifest::load_text(&file.display().to_string(), text);
    assert!(errors.is_empty(), "{}: {errors:?}", file.display());
    rampart_audit::lint::lint_objects(&objects)
        .into_iter()
        .filter(|f| f.rule == id)
        .inspect(|f| {
            assert_eq!(f.category.as_str(), "audit");
            assert_eq!(f.file, file.display().to_string());
        })
        .map(|f| f.line)
        .collect()
}

fn expected(file: &Path, id: &str) -> BTreeSet<u32> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .zip(1u32..)
        .filter(|(l, _)| {
            l.split("# expect:")
                .nth(1)
                .is_some_and(|ids| ids.split([',', ' ']).any(|x| x.trim() == id))
        })
        .map(|(_, n)| n)
        .collect()
}

#[test]
fn every_lint_fires_exactly_where_marked() {
    let mut problems = Vec::new();
    for meta in rampart_audit::lint::metas() {
        let dir = fixtures().join(meta.id);
        let (fires, passes) = (dir.join("fires.yaml"), dir.join("passes.yaml"));
        if !fires.is_file() || !passes.is_file() {
            problems.push(format!(
                "{}: missing fixtures in {}",
                meta.id,
                dir.display()
            ));
            continue;
        }
        let want = expected(&fires, meta.id);
        let got = lines_of(&fires, meta.id);
        if want.is_empty() || got != want {
            problems.push(format!("{}: fires on {got:?}, expected {want:?}", meta.id));
        }
        let clean = lines_of(&passes, meta.id);
        if !clean.is_empty() {
            problems.push(format!("{}: passes.yaml fires on {clean:?}", meta.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn lint_ids_are_in_range_and_documented() {
    for m in rampart_audit::lint::metas() {
        assert!(m.id.starts_with("RMP60"), "{}", m.id);
        assert_eq!(m.category.as_str(), "audit");
        assert!(
            !m.what.is_empty()
                && !m.why.is_empty()
                && !m.fix.is_empty()
                && !m.references.is_empty()
        );
    }
}

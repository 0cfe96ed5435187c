//! Every rbac rule fires exactly on the lines its `fires.yaml` marks `# expect: ID` and never
//! on its `passes.yaml` (`resources/test/fixtures/rbac/<ID>/`), run through the library.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rampart_manifest::{load_paths, LoadOptions};

fn dir(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../resources/test/fixtures/rbac")
        .join(id)
}

fn expected(text: &str, id: &str) -> BTreeSet<u32> {
    text.lines()
        .zip(1u32..)
        .filter(|(l, _)| {
            l.split("# expect:")
                .nth(1)
                .is_some_and(|ids| ids.split([',', ' ']).any(|x| x.trim() == id))
        })
        .map(|(_, n)| n)
        .collect()
}

fn reported(file: &Path, id: &str) -> BTreeSet<u32> {
    let loaded = load_paths(&[file.to_path_buf()], &LoadOptions::default());
    assert!(
        loaded.errors.is_empty(),
        "{}: {:?}",
        file.display(),
        loaded.errors
    );
    rampart_rbac::lints::scan(&loaded.objects)
        .into_iter()
        .filter(|f| f.rule == id)
        .inspect(|f| {
            assert_eq!(f.file, file.to_string_lossy());
            assert!(f.column > 0 && f.object.is_some(), "{f:?}");
        })
        .map(|f| f.line)
        .collect()
}

#[test]
fn every_rule_fires_where_marked_and_only_there() {
    let mut problems = Vec::new();
    for meta in rampart_rbac::lints::rules() {
        let (fires, passes) = (
            dir(meta.id).join("fires.yaml"),
            dir(meta.id).join("passes.yaml"),
        );
        let text = std::fs::read_to_string(&fires).unwrap_or_default();
        let want = expected(&text, meta.id);
        if want.is_empty() {
            problems.push(format!(
                "{}: no `# expect:` line in {}",
                meta.id,
                fires.display()
            ));
        }
        let got = reported(&fires, meta.id);
        if got != want {
            problems.push(format!("{}: fired on {got:?}, expected {want:?}", meta.id));
        }
        if !passes.is_file() {
            problems.push(format!("{}: missing {}", meta.id, passes.display()));
        }
        let clean = reported(&passes, meta.id);
        if !clean.is_empty() {
            problems.push(format!("{}: passes.yaml fired on {clean:?}", meta.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rule_metadata_is_complete() {
    let rules = rampart_rbac::lints::rules();
    let mut ids = BTreeSet::new();
    for r in &rules {
        assert!(ids.insert(r.id), "duplicate {}", r.id);
        assert!(
            r.id.starts_with("RMP30") && r.name.starts_with("rbac-"),
            "{}",
            r.id
        );
        for (k, v) in [
            ("title", r.title),
            ("what", r.what),
            ("why", r.why),
            ("fix", r.fix),
            ("example", r.example),
        ] {
            assert!(!v.trim().is_empty(), "{}: empty {k}", r.id);
        }
        assert!(!r.references.is_empty() && !r.mitre.is_empty(), "{}", r.id);
        // The example must itself trigger the rule.
        let (_, objects, errors) =
            rampart_manifest::load_text("example.yaml", r.example.to_string());
        assert!(
            errors.is_empty(),
            "{}: example does not parse: {errors:?}",
            r.id
        );
        assert!(
            rampart_rbac::lints::scan(&objects)
                .iter()
                .any(|f| f.rule == r.id),
            "{}: its example does not trigger it",
            r.id
        );
    }
}

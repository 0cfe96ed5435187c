//! Every scan rule has `resources/test/fixtures/cluster/<ID>/{fires,passes}.yaml`: `fires.yaml`
//! reports the rule exactly on the lines marked `# expect: <ID>`, `passes.yaml` not at all.

use std::collections::BTreeSet;
use std::path::PathBuf;

use rampart_cis::scan::{rules, scan};

fn fixture_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../resources/test/fixtures/cluster"
    ))
}

fn lines_of(rule: &str, path: &PathBuf) -> (BTreeSet<u32>, BTreeSet<u32>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let expected: BTreeSet<u32> = (1u32..)
        .zip(text.lines())
        .filter(|(_, l)| {
            l.split("# expect:")
                .nth(1)
                .is_some_and(|ids| ids.split(',').any(|id| id.trim() == rule))
        })
        .map(|(n, _)| n)
        .collect();
    let (_, objects, errors) = rampart_manifest::load_text(&path.display().to_string(), text);
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    let found: BTreeSet<u32> = scan(&objects)
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.line)
        .collect();
    (expected, found)
}

#[test]
fn every_rule_fires_and_passes_on_its_fixtures() {
    for rule in rules() {
        let dir = fixture_dir().join(rule.id);
        let (expected, found) = lines_of(rule.id, &dir.join("fires.yaml"));
        assert!(
            !expected.is_empty(),
            "{}: fires.yaml has no `# expect: {}`",
            rule.id,
            rule.id
        );
        assert_eq!(
            found, expected,
            "{}: lines reported vs expected in fires.yaml",
            rule.id
        );
        let (_, found) = lines_of(rule.id, &dir.join("passes.yaml"));
        assert!(
            found.is_empty(),
            "{}: passes.yaml reports lines {found:?}",
            rule.id
        );
    }
}

#[test]
fn every_fixture_directory_is_a_rule() {
    let ids: BTreeSet<&str> = rules().iter().map(|r| r.id).collect();
    for entry in std::fs::read_dir(fixture_dir()).expect("fixture dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(ids.contains(name.as_str()), "fixture {name} has no rule");
    }
}

#[test]
fn fixtures_fire_only_their_own_rule() {
    for rule in rules() {
        let path = fixture_dir().join(rule.id).join("fires.yaml");
        let text = std::fs::read_to_string(&path).expect("fixture");
        let (_, objects, _) = rampart_manifest::load_text("f.yaml", text);
        let others: Vec<String> = scan(&objects)
            .into_iter()
            .filter(|f| f.rule != rule.id)
            .map(|f| f.rule.to_string())
            .collect();
        assert!(
            others.is_empty(),
            "{}: other cluster rules fire too: {others:?}",
            rule.id
        );
    }
}

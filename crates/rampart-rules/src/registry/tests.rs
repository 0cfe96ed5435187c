use std::collections::HashSet;
use std::path::Path;

use rampart_model::Category;

use super::RULES;

#[test]
fn at_least_45_rules() {
    assert!(RULES.len() >= 45, "only {} rules", RULES.len());
}

#[test]
fn ids_are_unique_workload_ids_in_order() {
    let mut seen = HashSet::new();
    let mut last = "";
    for r in RULES {
        let m = r.meta;
        assert!(seen.insert(m.id), "duplicate id {}", m.id);
        assert!(
            m.id.len() == 7
                && m.id.starts_with("RMP1")
                && m.id[3..].bytes().all(|b| b.is_ascii_digit()),
            "{} is not an RMP1xxx id",
            m.id
        );
        assert!(m.id > last, "{} is out of order", m.id);
        last = m.id;
        assert_eq!(m.category, Category::Workload, "{}", m.id);
    }
}

#[test]
fn names_are_unique_kebab_case() {
    let mut seen = HashSet::new();
    for r in RULES {
        let n = r.meta.name;
        assert!(seen.insert(n), "duplicate name {n}");
        let kebab = !n.is_empty()
            && !n.starts_with('-')
            && !n.ends_with('-')
            && !n.contains("--")
            && n.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        assert!(kebab, "{n} is not kebab-case");
    }
}

#[test]
fn every_rule_is_documented() {
    for r in RULES {
        let m = r.meta;
        for (what, text) in [
            ("title", m.title),
            ("what", m.what),
            ("why", m.why),
            ("fix", m.fix),
            ("example", m.example),
        ] {
            assert!(!text.trim().is_empty(), "{} has no {what}", m.id);
        }
        assert!(!m.references.is_empty(), "{} has no references", m.id);
        for url in m.references {
            assert!(url.starts_with("https://"), "{}: bad reference {url}", m.id);
        }
        assert!(!m.mitre.is_empty(), "{} has no MITRE technique", m.id);
        for t in m.mitre {
            let ok = t.len() >= 5
                && t.starts_with('T')
                && t[1..].bytes().all(|b| b.is_ascii_digit() || b == b'.');
            assert!(ok, "{}: bad MITRE id {t}", m.id);
        }
    }
}

#[test]
fn every_rule_has_a_firing_and_a_passing_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../resources/test/fixtures/workload");
    for r in RULES {
        for f in ["fires.yaml", "passes.yaml"] {
            let p = root.join(r.meta.id).join(f);
            assert!(p.is_file(), "missing fixture {}", p.display());
        }
    }
}

#[test]
fn every_example_parses_as_yaml() {
    for r in RULES {
        let (_, _, errors) =
            rampart_manifest::load_text("example.yaml", r.meta.example.to_string());
        assert!(
            errors.is_empty(),
            "{}: example does not parse: {errors:?}",
            r.meta.id
        );
    }
}

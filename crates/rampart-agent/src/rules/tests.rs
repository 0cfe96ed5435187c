//! Rule-engine tests: every shipped rule against its fixtures in
//! `resources/test/fixtures/runtime/<RULE-ID>/{fires,passes}.yaml` (lists of events in the
//! agent's event model), plus the rule-file validator's errors and positions.

use std::path::PathBuf;

use super::*;
use crate::event::{process_name, Kind};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../resources/test/fixtures/runtime"
    ))
}

/// Loads a fixture file and fills what the process table would (`exe` and `name` of execs).
fn events(path: &std::path::Path) -> Vec<Event> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut evs: Vec<Event> =
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for ev in &mut evs {
        if ev.kind == Kind::Exec {
            if ev.exe.is_empty() {
                ev.exe = ev.path.clone();
            }
            if ev.name.is_empty() {
                ev.name = process_name(&ev.path, &ev.args, &ev.comm);
            }
        }
    }
    evs
}

fn shipped() -> &'static RuleSet {
    match builtin_rules() {
        Ok(r) => r,
        Err(errors) => panic!(
            "shipped rules do not compile:\n{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

#[test]
fn shipped_rules_compile_and_are_documented() {
    let set = shipped();
    assert!(set.len() >= 25, "only {} rules", set.len());
    let mut ids = std::collections::HashSet::new();
    let mut names = std::collections::HashSet::new();
    for m in set.metas() {
        assert!(
            m.id.starts_with("RMP8"),
            "{} is outside the runtime range",
            m.id
        );
        assert!(ids.insert(m.id), "duplicate id {}", m.id);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        assert!(!m.mitre.is_empty(), "{} has no MITRE technique", m.id);
        for (what, text) in [("desc", m.what), ("why", m.why), ("fix", m.fix)] {
            assert!(!text.is_empty(), "{} has no {what}", m.id);
        }
    }
}

#[test]
fn every_shipped_rule_fires_and_passes_on_its_fixtures() {
    let set = shipped();
    let mut failures = Vec::new();
    for m in set.metas() {
        let dir = fixtures_dir().join(m.id);
        for (file, must_fire) in [("fires.yaml", true), ("passes.yaml", false)] {
            let path = dir.join(file);
            assert!(path.exists(), "{} is missing", path.display());
            let evs = events(&path);
            assert!(!evs.is_empty(), "{} has no events", path.display());
            for (i, ev) in evs.iter().enumerate() {
                let fired = set.eval(ev).iter().any(|a| a.meta.id == m.id);
                if fired != must_fire {
                    failures.push(format!(
                        "{}: event #{} {}",
                        path.display(),
                        i + 1,
                        if must_fire { "did not fire" } else { "fired" }
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn alerts_render_their_output_template() {
    let set = shipped();
    let evs = events(&fixtures_dir().join("RMP8012/fires.yaml"));
    let alert = set
        .eval(&evs[0])
        .into_iter()
        .find(|a| a.meta.id == "RMP8012");
    let msg = alert.map(|a| a.message).unwrap_or_default();
    assert!(
        msg.starts_with("/etc/shadow read by cat (uid 0, container web)"),
        "{msg}"
    );
}

fn errors_of(text: &str) -> Vec<RuleError> {
    let mut files: Vec<(&str, &str)> = BUILTIN_FILES.to_vec();
    files.push(("custom.yaml", text));
    RuleSet::compile(&files).err().unwrap_or_default()
}

#[test]
fn validation_points_at_the_problem() {
    let text = "- rule: my-rule\n  id: X9001\n  severity: high\n  mitre: [T1059]\n  condition: spawned_process and proc.nmae = sh\n";
    let errs = errors_of(text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(
        (errs[0].file.as_str(), errs[0].line, errs[0].column),
        ("custom.yaml", 5, 34)
    );
    assert!(errs[0]
        .message
        .contains("unknown field or macro `proc.nmae`"));
    assert_eq!(
        errs[0].to_string(),
        "error[E8001]: custom.yaml:5:34: unknown field or macro `proc.nmae`"
    );
}

#[test]
fn validation_reports_each_kind_of_mistake() {
    let cases = [
        ("- rule: x\n  id: RMP9\n  severity: severe\n  condition: container\n", "unknown severity"),
        ("- rule: x\n  id: 9\n  severity: low\n  condition: container\n", "must be letters then digits"),
        ("- rule: Bad_Name\n  id: X1\n  severity: low\n  condition: container\n", "kebab-case"),
        ("- rule: x\n  id: X1\n  severity: low\n  mitre: [TA0001]\n  condition: container\n", "MITRE"),
        ("- rule: x\n  id: X1\n  severity: low\n", "has no `condition`"),
        ("- rule: x\n  id: X1\n  severity: low\n  condition: (container\n", "expected `)`"),
        ("- rule: x\n  id: X1\n  severity: low\n  condition: net.dport > high\n", "not a number"),
        ("- rule: x\n  id: X1\n  severity: low\n  condition: container\n  output: '%proc.nope'\n", "unknown field `%proc.nope`"),
        ("- rule: x\n  id: X1\n  severity: low\n  condition: container\n  colour: red\n", "unknown field"),
        ("- list: proc.name\n  items: [a]\n", "cannot be redefined"),
        ("- macro: m\n", "has no `condition`"),
        ("- list: l\n  items: [[a]]\n", "strings or numbers"),
        ("- rule: x\n  id: X1\n  severity: low\n  condition: container\n- rule: y\n  id: X1\n  severity: low\n  condition: container\n", "duplicate rule id"),
        ("- rule: x\n  list: y\n", "exactly one of"),
        ("key: [unclosed\n", ""),
    ];
    for (text, want) in cases {
        let errs = errors_of(text);
        assert!(!errs.is_empty(), "no error for {text:?}");
        assert!(
            errs.iter().any(|e| e.message.contains(want)),
            "{text:?}: {errs:?}"
        );
        assert!(
            errs.iter().all(|e| e.line > 0),
            "{text:?} lacks a line: {errs:?}"
        );
    }
}

#[test]
fn later_files_replace_and_disable_rules() {
    let text = "- rule: shell-in-container\n  id: RMP8001\n  severity: low\n  condition: container\n  enabled: false\n- rule: any-exec\n  id: X1\n  severity: info\n  mitre: [T1059]\n  condition: spawned_process and proc.name in (shell_binaries)\n";
    let mut files: Vec<(&str, &str)> = BUILTIN_FILES.to_vec();
    files.push(("custom.yaml", text));
    let set = RuleSet::compile(&files).unwrap_or_default();
    let ids: Vec<_> = set.metas().iter().map(|m| m.id).collect();
    assert!(!ids.contains(&"RMP8001"));
    assert!(ids.contains(&"X1"));
}

//! Runs every rule over its fixtures in `resources/test/fixtures/workload/<ID>/`.
//!
//! `fires.yaml` carries `# expect: <ID>` at the end of each line where a finding of that rule
//! must be reported; the set of lines the rule reports must be exactly those. `passes.yaml` must
//! give no finding of the rule. Both must load without input errors.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rampart_model::Finding;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../resources/test/fixtures/workload")
}

/// Lines whose `# expect:` comment names `id` (ids separated by spaces or commas).
fn expected_lines(text: &str, id: &str) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    for (n, line) in (1u32..).zip(text.lines()) {
        let Some((_, ids)) = line.split_once("# expect:") else {
            continue;
        };
        if ids
            .split(|c: char| c == ',' || c.is_whitespace())
            .any(|t| t == id)
        {
            out.insert(n);
        }
    }
    out
}

fn run(path: &Path) -> Result<(String, Vec<Finding>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (_, objects, errors) =
        rampart_manifest::load_text(&path.display().to_string(), text.clone());
    if !errors.is_empty() {
        return Err(format!("{}: input errors {errors:?}", path.display()));
    }
    Ok((text, rampart_rules::check(&objects)))
}

#[test]
fn every_rule_fires_exactly_on_expected_lines_and_passes_clean() {
    let mut failures = Vec::new();
    for meta in rampart_rules::rules() {
        let dir = fixtures().join(meta.id);
        match run(&dir.join("fires.yaml")) {
            Err(e) => failures.push(e),
            Ok((text, findings)) => {
                let want = expected_lines(&text, meta.id);
                if want.is_empty() {
                    failures.push(format!(
                        "{}: fires.yaml has no `# expect: {}`",
                        meta.id, meta.id
                    ));
                }
                let mine: Vec<&Finding> = findings.iter().filter(|f| f.rule == meta.id).collect();
                let got: BTreeSet<u32> = mine.iter().map(|f| f.line).collect();
                if got != want {
                    failures.push(format!(
                        "{}: fires.yaml lines {got:?}, expected {want:?}",
                        meta.id
                    ));
                }
                for f in mine {
                    if f.column == 0 || f.object.is_none() || f.path.is_none() || f.file.is_empty()
                    {
                        failures.push(format!("{}: finding not fully placed: {f:?}", meta.id));
                    }
                }
            }
        }
        match run(&dir.join("passes.yaml")) {
            Err(e) => failures.push(e),
            Ok((_, findings)) => {
                let lines: Vec<u32> = findings
                    .iter()
                    .filter(|f| f.rule == meta.id)
                    .map(|f| f.line)
                    .collect();
                if !lines.is_empty() {
                    failures.push(format!("{}: passes.yaml fires at lines {lines:?}", meta.id));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn container_findings_name_their_container() {
    // Rules about a container set `container`; pod- and object-level rules do not.
    let (_, findings) = run(&fixtures().join("RMP1016/fires.yaml")).unwrap_or_default();
    let names: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == "RMP1016")
        .map(|f| f.container.as_deref())
        .collect();
    assert_eq!(names, [Some("setup"), Some("agent")]);
    let (_, findings) = run(&fixtures().join("RMP1017/fires.yaml")).unwrap_or_default();
    assert!(findings
        .iter()
        .filter(|f| f.rule == "RMP1017")
        .all(|f| f.container.is_none()));
}

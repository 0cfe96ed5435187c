//! Table-driven cases from `resources/test/fixtures/pss/cases/*.yaml`: the version boundaries,
//! traps and message shapes the upstream fixtures do not pin (spec §7). Each file holds one
//! object and its expectations as comments:
//!
//! ```text
//! # pss: <level> <version> [emulate=v1.N] => allowed | error | <check> <check> …
//! # detail: <level> <version> <check> = <exact detail string>
//! ```
//!
//! `<check>`s are the exact, ordered list of reported check IDs.

use std::path::{Path, PathBuf};

use rampart_manifest::load_text;
use rampart_pss::object::object_pod;
use rampart_pss::{CheckId, Evaluator, LevelVersion};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../resources/test/fixtures/pss/cases")
}

fn parse_lv(level: &str, version: &str) -> LevelVersion {
    LevelVersion::new(
        level.parse().unwrap_or_else(|e| panic!("{e}")),
        version.parse().unwrap_or_else(|e| panic!("{e}")),
    )
}

fn run_file(path: &Path, problems: &mut Vec<String>) -> usize {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (_, objects, errors) = load_text(&path.display().to_string(), text.clone());
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    let obj = objects
        .first()
        .unwrap_or_else(|| panic!("{}: no object", path.display()));
    let decoded = object_pod(obj, true).unwrap_or_else(|| panic!("{}: no pod", path.display()));
    let mut count = 0;
    for line in text.lines() {
        if let Some(spec) = line.strip_prefix("# pss:") {
            count += 1;
            let (lhs, want) = spec
                .split_once("=>")
                .unwrap_or_else(|| panic!("bad line {line}"));
            let words: Vec<&str> = lhs.split_whitespace().collect();
            let lv = parse_lv(words[0], words[1]);
            let ev = match words.get(2).and_then(|w| w.strip_prefix("emulate=v1.")) {
                Some(m) => Evaluator::emulating(m.parse().unwrap_or_else(|e| panic!("{e}"))),
                None => Evaluator::new(),
            };
            let got = match &decoded {
                Err(e) => {
                    if want.trim() != "error" {
                        problems.push(format!(
                            "{}: {line}: input error {}",
                            path.display(),
                            e.message
                        ));
                    }
                    continue;
                }
                Ok(op) => ev.evaluate(lv, &op.pod),
            };
            let got_ids: Vec<&str> = got.violations.iter().map(|v| v.check.as_str()).collect();
            let want_ids: Vec<&str> = match want.trim() {
                "allowed" => Vec::new(),
                w => w.split_whitespace().collect(),
            };
            if got_ids != want_ids {
                problems.push(format!(
                    "{}: {line}: got {got_ids:?} ({})",
                    path.display(),
                    got.details()
                ));
            }
        } else if let Some(spec) = line.strip_prefix("# detail:") {
            count += 1;
            let (lhs, want) = spec
                .split_once(" = ")
                .unwrap_or_else(|| panic!("bad line {line}"));
            let words: Vec<&str> = lhs.split_whitespace().collect();
            let lv = parse_lv(words[0], words[1]);
            let id = CheckId::parse(words[2]).unwrap_or_else(|| panic!("unknown check in {line}"));
            let Ok(op) = &decoded else {
                problems.push(format!("{}: {line}: input error", path.display()));
                continue;
            };
            let got = Evaluator::new().evaluate(lv, &op.pod);
            let detail = got
                .violations
                .iter()
                .find(|v| v.check == id)
                .map(|v| v.summary());
            if detail.as_deref() != Some(want) {
                problems.push(format!("{}: {line}\n   got: {detail:?}", path.display()));
            }
        }
    }
    if count == 0 {
        problems.push(format!("{}: no `# pss:` expectation", path.display()));
    }
    count
}

#[test]
fn boundary_cases_hold() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for f in &files {
        checked += run_file(f, &mut problems);
    }
    println!("{checked} expectations in {} case files", files.len());
    assert!(checked > 0);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

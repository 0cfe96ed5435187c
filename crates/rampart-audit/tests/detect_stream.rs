//! Streaming behaviour: EventList documents, pretty-printed events, bad lines, chunk
//! boundaries, suppression, and following a growing file.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rampart_audit::detect::{follow, DetectConfig, Detector, Emitted, FollowOptions};
use rampart_model::{Finding, InputError};

fn fixture(id: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../resources/test/fixtures/audit")
        .join(id)
        .join(name)
}

fn run_text(text: &[u8], cfg: DetectConfig) -> (Vec<Finding>, Vec<InputError>) {
    let mut det = Detector::new(cfg);
    let (mut found, mut errors) = (Vec::new(), Vec::new());
    det.run(text, "log", &mut |e| match e {
        Emitted::Finding(f) => found.push(*f),
        Emitted::Error(e) => errors.push(e),
    })
    .unwrap();
    (found, errors)
}

fn events(id: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(fixture(id, "fires.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn ids(found: &[Finding]) -> Vec<String> {
    found.iter().map(|f| f.audit_id.clone().unwrap()).collect()
}

#[test]
fn event_list_documents_are_streamed() {
    let list = serde_json::json!({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "metadata": {}, "items": events("RMP6112")});
    let pretty = serde_json::to_string_pretty(&list).unwrap();
    let (found, errors) = run_text(pretty.as_bytes(), DetectConfig::default());
    assert!(errors.is_empty(), "{errors:?}");
    let bound: Vec<_> = found
        .iter()
        .filter(|f| f.rule == "RMP6112")
        .map(|f| f.audit_id.clone().unwrap())
        .collect();
    assert_eq!(bound, ["fire-bind-cr", "fire-bind-role"]);
    assert!(
        found.iter().all(|f| f.line > 1),
        "line numbers point into the document"
    );
    // The same list on one line is a JSON-lines log of one line.
    let compact = serde_json::to_string(&list).unwrap();
    let (found, _) = run_text(compact.as_bytes(), DetectConfig::default());
    assert_eq!(found.iter().filter(|f| f.rule == "RMP6112").count(), 2);
    assert!(found.iter().all(|f| f.line == 1));
}

#[test]
fn pretty_printed_events_and_arrays() {
    let evs = events("RMP6101");
    let mut text = String::new();
    for e in &evs {
        text.push_str(&serde_json::to_string_pretty(e).unwrap());
        text.push('\n');
    }
    let (found, errors) = run_text(text.as_bytes(), DetectConfig::default());
    assert!(errors.is_empty());
    assert_eq!(ids(&found), ["fire-exec-post", "fire-attach-ws"]);
    let array = serde_json::to_string_pretty(&evs).unwrap();
    let (found, _) = run_text(array.as_bytes(), DetectConfig::default());
    assert_eq!(ids(&found), ["fire-exec-post", "fire-attach-ws"]);
}

#[test]
fn bad_lines_are_reported_with_position_and_skipped() {
    let good = std::fs::read_to_string(fixture("RMP6101", "fires.jsonl")).unwrap();
    let text = format!("{{\"stage\":\"ResponseComplete\",\n{good}not json ResponseComplete\n\n");
    let (found, errors) = run_text(text.as_bytes(), DetectConfig::default());
    assert_eq!(ids(&found), ["fire-exec-post", "fire-attach-ws"]);
    let lines: Vec<u32> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [1, 6]);
    assert!(errors.iter().all(|e| e.code == "E6001" && e.column > 0));
    assert_eq!(found[0].line, 2);
}

#[test]
fn line_numbers_survive_chunk_boundaries() {
    // ~3 MiB of benign lines, then a finding: its line number must be exact.
    let filler = r#"{"kind":"Event","auditID":"x","stage":"ResponseComplete","verb":"get","user":{"username":"a"},"objectRef":{"resource":"pods","namespace":"a"},"responseStatus":{"code":200}}"#;
    let exec = std::fs::read_to_string(fixture("RMP6101", "fires.jsonl")).unwrap();
    let exec = exec.lines().next().unwrap();
    let n = 3 * (1 << 20) / filler.len() + 7;
    let mut text = String::new();
    for _ in 0..n {
        text.push_str(filler);
        text.push('\n');
    }
    text.push_str(exec);
    text.push('\n');
    text.push_str(filler); // no final newline
    let (found, errors) = run_text(text.as_bytes(), DetectConfig::default());
    assert!(errors.is_empty());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, u32::try_from(n + 1).unwrap());
}

#[test]
fn suppression_by_user_and_namespace() {
    let text = std::fs::read(fixture("RMP6101", "fires.jsonl")).unwrap();
    let ids_of = |yaml: &str| {
        let cfg = DetectConfig::parse(yaml, &["RMP6101", "RMP6126"]).unwrap();
        ids(&run_text(&text, cfg).0)
    };
    assert_eq!(ids_of(""), ["fire-exec-post", "fire-attach-ws"]);
    assert_eq!(
        ids_of("suppress:\n  users: [\"alice@*\"]\n"),
        ["fire-attach-ws"]
    );
    assert!(ids_of("suppress:\n  namespaces: [shop]\n").is_empty());
    assert!(
        ids_of("rules:\n  RMP6101:\n    users: [alice@example.com, bob@example.com]\n").is_empty()
    );
    assert!(ids_of("disabled: [RMP6101]\n").is_empty());
    assert_eq!(
        ids_of("rules:\n  RMP6126:\n    namespaces: [shop]\n").len(),
        2
    );
}

#[test]
fn suppressed_roles_are_still_remembered() {
    let text = std::fs::read(fixture("RMP6112", "fires.jsonl")).unwrap();
    let cfg =
        DetectConfig::parse("rules:\n  RMP6110:\n    users: [\"*\"]\n", &["RMP6110"]).unwrap();
    let (found, _) = run_text(&text, cfg);
    assert!(found.iter().all(|f| f.rule != "RMP6110"));
    assert_eq!(found.iter().filter(|f| f.rule == "RMP6112").count(), 2);
}

#[test]
fn follow_reads_lines_as_they_are_appended() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    let lines: Vec<String> = std::fs::read_to_string(fixture("RMP6101", "fires.jsonl"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    std::fs::write(&path, format!("{}\n", lines[2])).unwrap(); // a forbidden exec: nothing
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&writer_path)
            .unwrap();
        // A line written in two parts must be judged once, when complete.
        let (a, b) = lines[0].split_at(40);
        f.write_all(a.as_bytes()).unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(120));
        f.write_all(format!("{b}\n{}\n", lines[1]).as_bytes())
            .unwrap();
    });
    let mut det = Detector::new(DetectConfig::default());
    let mut found = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut count = 0usize;
    let opts = FollowOptions {
        poll: Duration::from_millis(20),
    };
    {
        let seen = std::cell::Cell::new(0usize);
        let mut stop = || seen.get() >= 2 || Instant::now() > deadline;
        follow(&mut det, &path, &opts, &mut stop, &mut |e| {
            if let Emitted::Finding(f) = e {
                found.push(*f);
                seen.set(seen.get() + 1);
            }
        })
        .unwrap();
        count += seen.get();
    }
    writer.join().unwrap();
    assert_eq!(count, 2);
    assert_eq!(ids(&found), ["fire-exec-post", "fire-attach-ws"]);
    assert_eq!(found[0].line, 2);
}

#[test]
fn follow_starts_over_after_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    let exec = std::fs::read_to_string(fixture("RMP6101", "fires.jsonl")).unwrap();
    let first = exec.lines().next().unwrap().to_string();
    std::fs::write(&path, format!("{first}\n{first}\n")).unwrap();
    let p2 = path.clone();
    let line = first.clone();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        std::fs::write(&p2, format!("{line}\n")).unwrap(); // rotated by truncation
    });
    let mut det = Detector::new(DetectConfig::default());
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let opts = FollowOptions {
        poll: Duration::from_millis(20),
    };
    {
        let n = std::cell::Cell::new(0usize);
        let mut stop = || n.get() >= 3 || Instant::now() > deadline;
        follow(&mut det, &path, &opts, &mut stop, &mut |e| {
            if let Emitted::Finding(f) = e {
                lines.push(f.line);
                n.set(n.get() + 1);
            }
        })
        .unwrap();
    }
    writer.join().unwrap();
    assert_eq!(lines, [1, 2, 1]);
}

/// The fast path (fields skipped, early exits) and the full parse agree on every fixture
/// log and on the shared conformance log.
#[test]
fn fast_path_agrees_with_full_parse() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../resources/test/fixtures/audit");
    let mut logs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .flat_map(|d| ["fires.jsonl", "passes.jsonl"].map(|f| d.path().join(f)))
        .filter(|p| p.is_file())
        .collect();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/audit/detect/log.jsonl");
    if shared.is_file() {
        logs.push(shared);
    }
    assert!(logs.len() >= 56);
    for log in logs {
        let text = std::fs::read(&log).unwrap();
        let run = |validate: bool| {
            let mut det = Detector::new(DetectConfig::default()).validating(validate);
            let mut out = Vec::new();
            det.run(&text[..], "log", &mut |e| {
                if let Emitted::Finding(f) = e {
                    out.push(*f);
                }
            })
            .unwrap();
            out
        };
        assert_eq!(run(false), run(true), "{}", log.display());
    }
}

//! The secrets engine through the real CLI: the shared conformance suite via `rampart scan` and
//! `rampart secrets scan` (JSON contract and exit codes), the masking guarantee over every
//! output format, parser diagnostics that must not quote secrets, and the inventory.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rampart() -> Command {
    let mut c = Command::cargo_bin("rampart").unwrap();
    c.current_dir(repo());
    c
}

/// The shared suite, or `None` (a failure when `CI=true`).
fn suite() -> Option<Vec<PathBuf>> {
    let dir = repo().join("../shared/conformance/secrets");
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{} missing (CI=true)",
            dir.display()
        );
        eprintln!(
            "note: {} not found; conformance through the CLI skipped",
            dir.display()
        );
        return None;
    }
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    Some(cases)
}

fn expected(case: &Path) -> BTreeMap<(u64, String), usize> {
    let text = std::fs::read_to_string(case.join("expected.txt")).unwrap();
    let mut out = BTreeMap::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "none")
    {
        let (n, name) = line.split_once(' ').unwrap();
        *out.entry((n.parse().unwrap(), name.trim().to_string()))
            .or_insert(0) += 1;
    }
    out
}

fn secrets_multiset(stdout: &[u8]) -> BTreeMap<(u64, String), usize> {
    let v: Value = serde_json::from_slice(stdout).unwrap();
    let mut got = BTreeMap::new();
    for f in v["findings"].as_array().unwrap() {
        if f["category"] == "secrets" {
            let key = (
                f["line"].as_u64().unwrap(),
                f["name"].as_str().unwrap().to_string(),
            );
            *got.entry(key).or_insert(0) += 1;
        }
    }
    got
}

/// Exit code the suite's README asks for.
fn wanted_exit(case: &Path, want: &BTreeMap<(u64, String), usize>) -> i32 {
    if case.ends_with("unparseable-yaml-still-scanned") {
        2
    } else if want.is_empty() {
        0
    } else {
        1
    }
}

/// `rampart scan` runs every engine, so its exit code also reflects workload, network and other
/// findings: only "secrets expected ⇒ non-zero" is checked here; the exact codes are checked
/// through `rampart secrets scan` below.
#[test]
fn conformance_through_rampart_scan() {
    let Some(cases) = suite() else { return };
    let mut failures = Vec::new();
    for case in &cases {
        let want = expected(case);
        let out = rampart()
            .args(["scan", "--format", "json", "--no-progress"])
            .arg(case.join("manifest.yaml"))
            .output()
            .unwrap();
        let got = secrets_multiset(&out.stdout);
        let code = out.status.code().unwrap_or(-1);
        if got != want || (!want.is_empty() && code == 0) || !(0..=2).contains(&code) {
            failures.push(format!(
                "{}: exit {code}, expected {want:?}, got {got:?}",
                case.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The suite's README: the unparseable case is also an invalid input, exit 2 per
/// `interfaces.md`, while the raw-text finding is still reported.
#[test]
fn rampart_scan_exits_2_on_the_unparseable_case() {
    let Some(cases) = suite() else { return };
    let case = cases
        .iter()
        .find(|c| c.ends_with("unparseable-yaml-still-scanned"))
        .unwrap();
    let out = rampart()
        .args(["scan", "--format", "json", "--no-progress"])
        .arg(case.join("manifest.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(secrets_multiset(&out.stdout), expected(case));
}

/// The same without the shared suite: a broken file is exit 2 for both commands, reported in
/// `errors`, and its token formats are still found.
#[test]
fn unparseable_input_is_exit_2_and_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  key: \"AKIAQ3WZ7XN2PLRT5VYH\n  other: [\n",
    )
    .unwrap();
    for cmd in [
        vec!["scan", "--format", "json", "--no-progress"],
        vec!["secrets", "scan", "--format", "json"],
    ] {
        let out = rampart().args(&cmd).arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd:?}");
        let got = secrets_multiset(&out.stdout);
        assert_eq!(
            got.get(&(4, "aws-access-key".to_string())),
            Some(&1),
            "{cmd:?}"
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(!v["errors"].as_array().unwrap().is_empty(), "{cmd:?}");
    }
}

#[test]
fn conformance_through_rampart_secrets_scan() {
    let Some(cases) = suite() else { return };
    let mut failures = Vec::new();
    for case in &cases {
        let want = expected(case);
        let out = rampart()
            .args(["secrets", "scan", "--format", "json"])
            .arg(case.join("manifest.yaml"))
            .output()
            .unwrap();
        let got = secrets_multiset(&out.stdout);
        let code = out.status.code().unwrap_or(-1);
        if got != want || code != wanted_exit(case, &want) {
            failures.push(format!(
                "{}: exit {code}, expected {want:?}, got {got:?}",
                case.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

const POSTURE: &[&str] = &[
    "sa-token-secret",
    "external-secret-no-refresh",
    "cluster-store-unscoped",
    "store-static-credentials",
    "sealed-secret-cluster-wide",
];

/// Runs of credential-like characters (letters and digits mixed, 8 or more).
fn runs(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || "\"'`,;=:@/?&(){}[]<>\\".contains(c))
        .filter(|r| r.len() >= 8)
        .filter(|r| r.chars().any(|c| c.is_ascii_digit()) && r.chars().any(char::is_alphabetic))
        .map(str::to_string)
        .collect()
}

/// Standard base64 to UTF-8 text (this crate has no base64 dependency; tests only).
fn decode_base64(s: &str) -> Option<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in s.trim_end_matches('=').bytes() {
        let v = u32::try_from(ALPHABET.iter().position(|&a| a == c)?).ok()?;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push(u8::try_from((bits >> nbits) & 0xff).ok()?);
        }
    }
    String::from_utf8(out).ok()
}

/// The values planted on a case's expected lines: the credential-like runs of the line (and of
/// their base64 decodings), and a PEM block's first body line.
fn planted(case: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(case.join("manifest.yaml")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for ((n, name), _) in expected(case) {
        if POSTURE.contains(&name.as_str()) {
            continue;
        }
        let Some(line) = usize::try_from(n).ok().and_then(|n| lines.get(n - 1)) else {
            continue;
        };
        if line.contains("-----BEGIN") {
            if let Some(body) = lines.get(usize::try_from(n).unwrap()) {
                out.push(body.trim().to_string());
            }
        }
        for r in runs(line) {
            if let Some(d) = decode_base64(&r) {
                out.extend(runs(&d));
            }
            out.push(r);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Every output of every command and format for one manifest, stdout and stderr.
fn all_outputs(manifest: &Path) -> Vec<(String, String)> {
    let mut outs = Vec::new();
    for format in ["text", "json", "sarif", "junit"] {
        for cmd in [vec!["scan", "--no-progress"], vec!["secrets", "scan"]] {
            let o = rampart()
                .args(&cmd)
                .args(["--format", format])
                .arg(manifest)
                .output()
                .unwrap();
            let label = format!("{} --format {format}", cmd.join(" "));
            outs.push((
                label.clone(),
                String::from_utf8_lossy(&o.stdout).into_owned(),
            ));
            outs.push((
                format!("{label} (stderr)"),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            ));
        }
    }
    for format in ["text", "json"] {
        let o = rampart()
            .args(["secrets", "inventory", "--format", format])
            .arg(manifest)
            .output()
            .unwrap();
        outs.push((
            format!("inventory {format}"),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        ));
        outs.push((
            format!("inventory {format} (stderr)"),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        ));
    }
    outs
}

#[test]
fn planted_values_never_appear_in_any_output() {
    let Some(cases) = suite() else { return };
    let mut leaks = Vec::new();
    let mut with_values = 0;
    for case in &cases {
        let secrets = planted(case);
        if secrets.is_empty() {
            continue;
        }
        with_values += 1;
        for (label, out) in all_outputs(&case.join("manifest.yaml")) {
            for s in &secrets {
                // The value, and any 12-character window of it.
                let chars: Vec<char> = s.chars().collect();
                let leaked = out.contains(s.as_str())
                    || chars
                        .windows(12)
                        .any(|w| out.contains(&w.iter().collect::<String>()));
                if leaked {
                    leaks.push(format!(
                        "{}: {label} shows part of a planted value",
                        case.display()
                    ));
                }
            }
        }
    }
    leaks.dedup();
    // Every case with a planted credential contributes values to look for.
    assert!(
        with_values >= 24,
        "only {with_values} cases yielded planted values"
    );
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

/// A secret at the place where each input breaks the parser.
const SECRET: &str = "Zq7xLm2Rk9vWp4tN8sHb";

fn broken_inputs() -> Vec<String> {
    let s = SECRET;
    vec![
        format!("a: \"{s}\n"),
        format!("a: '{s}\n"),
        format!("a: \"x\\q{s}\"\n"),
        format!("a: !!int {s}\n"),
        format!("a: !!float {s}\n"),
        format!("a: !!bool {s}\n"),
        format!("a: !!binary {s}@@\n"),
        format!("a: !!timestamp {s}\n"),
        format!("a: *{s}\n"),
        format!("a:\n\t{s}: 1\n"),
        format!("a: b: {s}\n"),
        format!("a: [{s}\n"),
        format!("a: {{k: {s}\n"),
        format!("- {s}\nk: v\n"),
        format!("a: |\n  {s}\n b\n"),
        format!("a: @{s}\n"),
        format!("a: `{s}\n"),
        format!("a: \"\\u12{s}\"\n"),
        format!("a: {s}\n  - x\n"),
        format!("{{\"a\": \"{s}\" \"b\"}}\n"),
        format!("a: [1, 2]]{s}\n"),
        format!("a: !<tag:{s}> x\n"),
        format!("password: {s}\n\tindented: x\n"),
    ]
}

fn leaks_secret(out: &str) -> bool {
    let chars: Vec<char> = SECRET.chars().collect();
    chars
        .windows(5)
        .any(|w| out.contains(&w.iter().collect::<String>()))
}

#[test]
fn parser_diagnostics_never_quote_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut leaks = Vec::new();
    for (i, text) in broken_inputs().iter().enumerate() {
        let file = dir.path().join(format!("broken{i}.yaml"));
        std::fs::write(&file, text).unwrap();
        for cmd in [
            vec!["scan", "--no-progress", "--format", "json"],
            vec!["secrets", "scan", "--format", "text"],
        ] {
            let o = rampart().args(&cmd).arg(&file).output().unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            if leaks_secret(&all) {
                leaks.push(format!("{:?} on input #{i}", cmd));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "diagnostics quote the input:\n{}",
        leaks.join("\n")
    );
}

/// Duplicate mapping keys: a key may be a credential, so the loader's message must not name it.
#[test]
fn duplicate_key_diagnostics_never_quote_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dup.yaml");
    std::fs::write(&file, format!("{SECRET}: 1\n{SECRET}: 2\n")).unwrap();
    let o = rampart()
        .args(["secrets", "scan"])
        .arg(&file)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!leaks_secret(&all), "{all}");
}

#[test]
fn inventory_lists_consumers_unused_and_missing_secrets() {
    let out = rampart()
        .args([
            "secrets",
            "inventory",
            "--format",
            "json",
            "resources/test/fixtures/secrets/inventory/cluster.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let secret = |name: &str| {
        v["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let db = secret("db");
    let vias: Vec<&str> = db["consumers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["via"].as_str())
        .collect();
    assert_eq!(vias, ["env", "env", "volume"]);
    assert_eq!(db["missing_keys"], serde_json::json!(["port"]));
    assert_eq!(secret("forgotten")["unused"], true);
    assert_eq!(secret("regcred")["consumers"][0]["via"], "imagePullSecrets");
    assert_eq!(secret("api-keys")["source"], "ExternalSecret");
    assert_eq!(secret("api-keys")["unused"], false);
    let missing: Vec<&str> = v["missing"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert_eq!(missing, ["api-tls", "feature-flags"]);
    assert_eq!(v["summary"]["unused"], 1);
}

#[test]
fn secrets_scan_exit_codes_and_formats() {
    let fixture = "resources/test/fixtures/secrets/RMP5003/fires.yaml";
    for format in ["text", "json", "sarif", "junit"] {
        rampart()
            .args(["secrets", "scan", "--format", format, fixture])
            .assert()
            .code(1);
    }
    rampart()
        .args([
            "secrets",
            "scan",
            "resources/test/fixtures/secrets/RMP5016/passes.yaml",
        ])
        .assert()
        .code(0);
    let out = rampart()
        .args(["secrets", "scan", "--format", "sarif", fixture])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &v["runs"][0]["results"][0];
    assert!(result["partialFingerprints"]["secretFingerprint/v1"]
        .as_str()
        .unwrap()
        .starts_with("hmac-sha256:"));
    // The salt changes fingerprints; the same salt keeps them.
    let fp = |salt: &str| {
        let o = rampart()
            .args([
                "secrets",
                "scan",
                "--format",
                "json",
                "--fingerprint-salt",
                salt,
                fixture,
            ])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v["findings"][0]["fingerprint"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(fp("team-a"), fp("team-a"));
    assert_ne!(fp("team-a"), fp("team-b"));
}

#[test]
fn baseline_hides_accepted_findings() {
    let fixture = "resources/test/fixtures/secrets/RMP5003/fires.yaml";
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("baseline.json");
    rampart()
        .args(["secrets", "scan", "--format", "json", "-o"])
        .arg(&report)
        .arg(fixture)
        .assert()
        .code(1);
    rampart()
        .args(["secrets", "scan", "--baseline"])
        .arg(&report)
        .arg(fixture)
        .assert()
        .code(0);
}

/// Secret `data` that is not base64: an input error at the entry, marked as scanned (so the
/// exit code is the findings' 1, not 2), the raw text still scanned, and neither the error nor
/// the finding quotes the value.
#[test]
fn invalid_base64_secret_data_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret.yaml");
    let value = "Zq7x#Lm2Rk9v!Wp4tN8s";
    std::fs::write(
        &file,
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  username: YWRtaW4=\n  password: \"{value}\"\n"
        ),
    )
    .unwrap();
    let out = rampart()
        .args(["secrets", "scan", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["code"], "E0501");
    assert_eq!(errors[0]["scanned"], true);
    assert_eq!(errors[0]["line"], 7);
    let got = secrets_multiset(&out.stdout);
    assert_eq!(got.get(&(7, "secret-in-git".to_string())), Some(&1));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0501"));
    let chars: Vec<char> = value.chars().collect();
    assert!(!chars
        .windows(5)
        .any(|w| all.contains(&w.iter().collect::<String>())));
}

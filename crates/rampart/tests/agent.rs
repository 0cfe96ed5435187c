//! `rampart agent` through the real CLI: rule validation and listing, the registry, and a short
//! live run on the host (root + eBPF: always in CI, which runs as root; elsewhere skipped with a
//! note when not root).

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

fn rampart() -> Command {
    Command::cargo_bin("rampart").expect("rampart binary")
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).expect("write rule file");
    p
}

#[test]
fn validate_accepts_a_good_rule_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(
        &dir,
        "ok.yaml",
        "- list: my_tools\n  items: [kubectl, helm]\n- rule: cluster-tool-in-container\n  id: X1001\n  title: Cluster tool run in a container\n  severity: medium\n  mitre: [T1609]\n  condition: spawned_process and container and proc.name in (my_tools)\n  output: \"%proc.name in %container.name\"\n",
    );
    let out = rampart()
        .args(["agent", "rules", "validate"])
        .arg(&f)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 added by this file"));
}

#[test]
fn validate_reports_errors_with_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = write(
        &dir,
        "bad.yaml",
        "- rule: typo\n  id: X1002\n  severity: high\n  mitre: [T1059]\n  condition: spawned_process and proc.nmae = sh\n- rule: bad-severity\n  id: X1003\n  severity: severe\n  condition: container\n",
    );
    let out = rampart()
        .args(["agent", "rules", "validate"])
        .arg(&f)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = f.display().to_string();
    assert!(
        stderr.contains(&format!(
            "error[E8001]: {name}:5:34: unknown field or macro `proc.nmae`"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{name}:8:13: unknown severity `severe`")),
        "{stderr}"
    );
}

#[test]
fn shipped_rules_are_in_the_registry() {
    let out = rampart()
        .args(["agent", "rules", "list"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().filter(|l| l.starts_with("RMP8")).count() >= 25,
        "{text}"
    );
    let out = rampart()
        .args(["explain", "RMP8006"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("reverse-shell"));
    let out = rampart()
        .args(["explain", "RMP8099"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("agent-events-dropped"));
}

#[test]
fn bad_duration_is_a_usage_error() {
    let out = rampart()
        .args(["agent", "--duration", "soon"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

/// Runs the agent on the host for a few seconds while a host process reads /etc/shadow, stops it
/// with SIGTERM, and checks the alert (host process: `container: null`) and the summary line.
#[test]
fn live_agent_reports_a_host_process_and_shuts_down_on_sigterm() {
    if !is_root() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the agent tests as root"
        );
        eprintln!("note: not root; the live agent test needs root and eBPF");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("alerts.jsonl");
    let mut agent = rampart()
        .args(["agent", "--output"])
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start agent");
    let mut stderr = agent.stderr.take().expect("stderr");
    // Wait for "watching" (the programs are attached) before acting.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let mut seen = String::new();
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            let _ = tx.send(seen.clone());
        }
    });
    let mut ready = false;
    while let Ok(s) = rx.recv_timeout(Duration::from_secs(60)) {
        if s.contains("watching with") {
            ready = true;
            break;
        }
        if s.contains("error") {
            let _ = agent.kill();
            panic!("agent failed: {s}");
        }
    }
    assert!(ready, "the agent did not start within 60 s");
    let _ = Command::new("cat")
        .arg("/etc/shadow")
        .stdout(Stdio::null())
        .status();
    std::thread::sleep(Duration::from_millis(1500));
    let _ = Command::new("kill")
        .args(["-TERM", &agent.id().to_string()])
        .status();
    let status = agent.wait().expect("agent exit");
    assert!(status.success(), "agent exited with {status}");
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let alert = lines
        .iter()
        .find(|v| v["rule"] == "RMP8012" && v["event"]["comm"] == "cat")
        .unwrap_or_else(|| panic!("no RMP8012 alert in {lines:?}"));
    assert_eq!(alert["category"], "runtime");
    assert!(alert["event"]["container"].is_null(), "{alert}");
    assert_eq!(alert["event"]["file"], "/etc/shadow");
    for key in [
        "time",
        "pid",
        "ppid",
        "uid",
        "comm",
        "exe",
        "args",
        "file",
        "remote",
        "container",
    ] {
        assert!(
            alert["event"].get(key).is_some(),
            "event lacks {key}: {alert}"
        );
    }
    let summary = &lines.last().expect("lines")["summary"];
    assert!(summary["events"].as_u64().unwrap_or(0) > 0, "{summary}");
    assert_eq!(summary["dropped"], 0);
    assert!(summary["alerts"].as_u64().unwrap_or(0) >= 1);
}

/// With a one-page ring buffer and a burst of file writes, the kernel must drop events, and the
/// agent must say so: a RMP8099 finding, the summary's `dropped`, and the metric.
#[test]
fn live_agent_reports_lost_events() {
    if !is_root() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the agent tests as root"
        );
        eprintln!("note: not root; the live agent test needs root and eBPF");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("alerts.jsonl");
    let mut agent = rampart()
        .args([
            "agent",
            "--ring-buffer-size",
            "4K",
            "--metrics-listen",
            "127.0.0.1:0",
            "--output",
        ])
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start agent");
    let stderr = agent.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut metrics_addr = String::new();
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("agent did not start");
        if let Some(a) = line.strip_prefix("serving metrics on http://") {
            metrics_addr = a.trim_end_matches("/metrics").to_string();
        }
        if line.contains("watching with") {
            break;
        }
    }
    // ~20 records fit in one page; 5,000 writes between two 20 ms drains overflow it.
    for i in 0..5000 {
        let _ = std::fs::write(dir.path().join(format!("f{}", i % 50)), b"x");
    }
    std::thread::sleep(Duration::from_millis(1500));
    let mut metrics = String::new();
    if let Ok(mut s) = std::net::TcpStream::connect(&metrics_addr) {
        use std::io::Write;
        let _ = write!(s, "GET /metrics HTTP/1.0\r\n\r\n");
        let _ = s.read_to_string(&mut metrics);
    }
    let _ = Command::new("kill")
        .args(["-TERM", &agent.id().to_string()])
        .status();
    assert!(agent.wait().expect("agent exit").success());
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let dropped = lines
        .last()
        .map(|v| v["summary"]["dropped"].as_u64().unwrap_or(0))
        .unwrap_or(0);
    assert!(dropped > 0, "no drops reported: {:?}", lines.last());
    let reported: u64 = lines
        .iter()
        .filter(|v| v["rule"] == "RMP8099")
        .map(|v| v["event"]["dropped"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(
        reported, dropped,
        "RMP8099 findings must add up to the summary's dropped"
    );
    let metric = metrics
        .lines()
        .find_map(|l| l.strip_prefix("rampart_agent_dropped_events_total "))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    assert!(
        metric > 0 && metric <= dropped,
        "metric {metric}, summary {dropped}\n{metrics}"
    );
}

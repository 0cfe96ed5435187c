//! `rampart webhook` through the real binary: certificates and manifests, start-up validation
//! with file:line:col errors, serving AdmissionReviews over HTTPS (every upstream PSS
//! conformance case when `../shared` is present), JSON logs and SIGTERM shutdown.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use rampart_webhook::client::{block_on, HttpsClient};
use serde_json::{json, Value};

fn rampart() -> Command {
    Command::cargo_bin("rampart").unwrap()
}

fn certs(dir: &Path) {
    let out = rampart()
        .args(["webhook", "certs", "--out"])
        .arg(dir)
        .args(["--dns", "localhost", "--dns", "127.0.0.1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn certs_and_manifests() {
    let dir = tempfile::tempdir().unwrap();
    certs(dir.path());
    for f in ["ca.crt", "ca.key", "tls.crt", "tls.key"] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("tls.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let out = rampart()
        .args([
            "webhook",
            "manifests",
            "--namespace",
            "guard",
            "--image",
            "rampart:test",
            "--ca-bundle",
        ])
        .arg(dir.path().join("ca.crt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("kind: ValidatingWebhookConfiguration"));
    assert!(text.contains("caBundle: LS0t"));
    assert!(text.contains("values: [\"guard\"]"));
    assert!(text.contains("image: rampart:test"));
    assert!(text.contains("sideEffects: None"));
    let out = rampart()
        .args(["webhook", "manifests", "--timeout-seconds", "60"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn invalid_configuration_stops_start_up_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    certs(dir.path());
    let psa = dir.path().join("psa.yaml");
    std::fs::write(
        &psa,
        "apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: strict\n",
    )
    .unwrap();
    let out = rampart()
        .args(["webhook", "serve", "--listen", "127.0.0.1:1"])
        .arg("--tls-cert")
        .arg(dir.path().join("tls.crt"))
        .arg("--tls-key")
        .arg(dir.path().join("tls.key"))
        .arg("--admission-config")
        .arg(&psa)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("psa.yaml:4:3: defaults.enforce: Invalid value: \"strict\""),
        "{err}"
    );
    let cfg = dir.path().join("rampart.yaml");
    std::fs::write(&cfg, "rules:\n  deny: {severity: severe}\n").unwrap();
    let out = rampart()
        .args(["webhook", "serve", "--listen", "127.0.0.1:1"])
        .arg("--tls-cert")
        .arg(dir.path().join("tls.crt"))
        .arg("--tls-key")
        .arg(dir.path().join("tls.key"))
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rampart.yaml:2:") && err.contains("unknown severity"),
        "{err}"
    );
    let out = rampart()
        .args([
            "webhook",
            "serve",
            "--listen",
            "127.0.0.1:1",
            "--tls-cert",
            "/nonexistent.crt",
            "--tls-key",
            "/nonexistent.key",
            "--namespaces",
            "/dev/null",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent.crt"));
}

struct Served {
    child: Child,
    port: u16,
    ca: PathBuf,
    log: PathBuf,
}

impl Drop for Served {
    fn drop(&mut self) {
        // Only matters when a test fails early; after a clean SIGTERM exit this is a no-op.
        let _ = self.child.kill();
    }
}

fn serve(dir: &Path, namespaces: &Path) -> Served {
    let port = free_port();
    // Logs go to a file: an unread pipe would fill up and stall the server.
    let log = dir.join("serve.log");
    let child = rampart()
        .args(["webhook", "serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--tls-cert")
        .arg(dir.join("tls.crt"))
        .arg("--tls-key")
        .arg(dir.join("tls.key"))
        .arg("--namespaces")
        .arg(namespaces)
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .spawn()
        .unwrap();
    let s = Served {
        child,
        port,
        ca: dir.join("ca.crt"),
        log,
    };
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    s
}

fn review(uid: &str, ns: &str, object: &Value) -> Value {
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": uid, "kind": {"group": "", "version": "v1", "kind": "Pod"},
        "resource": {"group": "", "version": "v1", "resource": "pods"},
        "name": object["metadata"]["name"], "namespace": ns, "operation": "CREATE",
        "userInfo": {"username": "alice"}, "object": object}})
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

#[test]
fn serves_conformance_cases_and_shuts_down_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    certs(dir.path());
    let shared = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/pss"
    ));
    // Cases: upstream's fixtures when present, otherwise the repository's PSS fixtures.
    let mut cases: Vec<(PathBuf, String, String, bool)> = Vec::new();
    if shared.is_dir() {
        let mut files = Vec::new();
        yaml_files(&shared, &mut files);
        files.sort();
        for f in files {
            let rel: Vec<String> = f
                .strip_prefix(&shared)
                .unwrap()
                .iter()
                .map(|s| s.to_string_lossy().to_string())
                .collect();
            if let [level, version, outcome, _] = rel.as_slice() {
                cases.push((f.clone(), level.clone(), version.clone(), outcome == "pass"));
            }
        }
    } else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "../shared missing under CI"
        );
        let root = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../resources/test/fixtures/pss"
        ));
        let mut files = Vec::new();
        yaml_files(&root, &mut files);
        files.sort();
        for f in files {
            let pass = f.file_name().is_some_and(|n| n == "passes.yaml");
            cases.push((f, "restricted".into(), "latest".into(), pass));
        }
    }
    let mut ns_yaml = String::new();
    let mut seen = std::collections::BTreeSet::new();
    for (_, level, version, _) in &cases {
        if seen.insert((level.clone(), version.clone())) {
            ns_yaml.push_str(&format!(
                "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {level}-{}\n  labels:\n    pod-security.kubernetes.io/enforce: {level}\n    pod-security.kubernetes.io/enforce-version: {version}\n",
                version.replace('.', "-")
            ));
        }
    }
    let ns_file = dir.path().join("ns.yaml");
    std::fs::write(&ns_file, ns_yaml).unwrap();
    let mut s = serve(dir.path(), &ns_file);
    let client = HttpsClient::new(&s.ca, "127.0.0.1", s.port, "localhost").unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    block_on(async {
        let mut conn = client.connect().await.unwrap();
        for (n, (file, level, version, pass)) in cases.iter().enumerate() {
            let text = std::fs::read_to_string(file).unwrap();
            let (_, objects, _) = rampart_manifest::load_text("case.yaml", text);
            for o in objects {
                if o.json["kind"] != "Pod" {
                    continue;
                }
                let ns = format!("{level}-{}", version.replace('.', "-"));
                let body = serde_json::to_vec(&review(&format!("u{n}"), &ns, &o.json)).unwrap();
                let r = conn.post_json("/validate", body).await.unwrap();
                assert_eq!(r.status, 200);
                let v = r.json();
                assert_eq!(v["response"]["uid"], format!("u{n}"));
                checked += 1;
                if v["response"]["allowed"] != *pass {
                    failures.push(format!("{}: {}", file.display(), v["response"]));
                }
            }
        }
        let r = conn.request("GET", "/metrics", &[], "").await.unwrap();
        let text = String::from_utf8_lossy(&r.body).to_string();
        assert!(
            text.contains(&format!(
                "rampart_webhook_requests_total{{code=\"200\"}} {checked}"
            )),
            "{text}"
        );
    })
    .unwrap();
    eprintln!(
        "{checked} cases through `rampart webhook serve`, {} failures",
        failures.len()
    );
    assert!(
        checked > 0 && failures.is_empty(),
        "{}",
        failures.join("\n")
    );
    // SIGTERM: graceful stop, exit 0, JSON logs on stderr.
    let status = Command::new("kill")
        .args(["-TERM", &s.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let code = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(code.success(), "{code:?}");
    let logs = std::fs::read_to_string(&s.log).unwrap();
    let lines: Vec<Value> = logs
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["message"] == "rampart webhook serving"),
        "{logs}"
    );
    assert!(lines.iter().any(|l| l["signal"] == "SIGTERM"), "{logs}");
    assert!(
        lines
            .iter()
            .any(|l| l["message"] == "admission denied" && l["code"] == 403),
        "{logs}"
    );
    assert!(lines
        .iter()
        .all(|l| l.get("timestamp").is_some() && l.get("level").is_some()));
}

//! Per-request cost of the admission API the webhook calls: decide a typical Pod CREATE
//! (restricted enforce, restricted audit and warn, one label set) many times.
//!
//! `cargo run --release -p rampart-pss --example admission_bench [N]`

use std::collections::BTreeMap;
use std::time::Instant;

use rampart_pss::admission::{AdmissionPolicy, PodSecurityConfiguration, Request};
use serde_json::json;

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let cfg = PodSecurityConfiguration::from_value(&json!({
        "apiVersion": "pod-security.admission.config.k8s.io/v1", "kind": "PodSecurityConfiguration",
        "defaults": {"enforce": "baseline", "audit": "restricted", "warn": "restricted"},
        "exemptions": {"namespaces": ["kube-system"], "usernames": ["system:serviceaccount:ops:admin"]}}))
    .unwrap_or_default();
    let policy = AdmissionPolicy::from_config(&cfg);
    let labels: BTreeMap<String, String> = [("pod-security.kubernetes.io/enforce", "restricted")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let compliant = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {
        "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "app", "image": "nginx", "ports": [{"containerPort": 8080}],
            "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}},
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}},
          {"name": "sidecar", "image": "envoy", "securityContext": {"allowPrivilegeEscalation": false,
            "capabilities": {"drop": ["ALL"]}}}],
        "volumes": [{"name": "cfg", "configMap": {"name": "web"}}, {"name": "tmp", "emptyDir": {}}]}});
    let violating = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bad"}, "spec": {
        "hostNetwork": true, "containers": [{"name": "app", "image": "nginx",
            "securityContext": {"privileged": true}}]}});
    for (what, obj) in [
        ("compliant pod (allowed)", &compliant),
        ("violating pod (denied)", &violating),
    ] {
        let req = Request {
            namespace: "shop",
            labels: &labels,
            username: "alice",
            object: obj,
        };
        let mut allowed = 0u32;
        let start = Instant::now();
        for _ in 0..n {
            allowed += u32::from(policy.evaluate(&req).allowed());
        }
        let per = start.elapsed().as_secs_f64() / f64::from(n);
        println!(
            "{what}: {:.2} µs per decision ({n} decisions, {allowed} allowed)",
            per * 1e6
        );
    }
}

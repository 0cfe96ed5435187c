//! RMP1052 `probe-host`: a probe or lifecycle hook makes the kubelet connect to another host.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1052",
    name: "probe-host",
    title: "Probe or lifecycle hook sets a host",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1090", "T1046"],
    what: "Reports `httpGet.host` and `tcpSocket.host` in `livenessProbe`, `readinessProbe`, \
           `startupProbe` and `lifecycle.postStart`/`preStop` of any container, whatever the \
           value.",
    why: "The kubelet performs these checks from the node. A host other than the pod's IP turns \
          them into a server-side request forgery: pod authors make the kubelet reach node-local \
          services or other networks, and learn from the results. Pod Security `baseline` \
          forbids it since Kubernetes 1.34.",
    fix: "Remove `host`; probes then target the pod's own IP. Check dependencies from inside \
          the application instead.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    livenessProbe:
      httpGet:
        host: 169.254.169.254
        path: /latest/meta-data/
        port: 80
",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        "https://github.com/kubernetes/kubernetes/issues/99425",
    ],
};

const HANDLERS: &[&[&str]] = &[
    &["livenessProbe"],
    &["readinessProbe"],
    &["startupProbe"],
    &["lifecycle", "postStart"],
    &["lifecycle", "preStop"],
];

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for c in &pod.containers {
        for keys in HANDLERS {
            let Some(h) = keys.iter().try_fold(c.json, |v, k| v.get(*k)) else {
                continue;
            };
            for action in ["httpGet", "tcpSocket"] {
                let host = h
                    .get(action)
                    .and_then(|a| a.get("host"))
                    .and_then(Value::as_str);
                let Some(host) = host.filter(|s| !s.is_empty()) else {
                    continue;
                };
                let mut path = c.path.clone();
                for k in keys.iter().chain(&[action, "host"]) {
                    path = path.key(*k);
                }
                let msg = format!(
                    "{} {} {action} targets host {host}",
                    c.label(),
                    keys.join(".")
                );
                out.report_in(&META, c, msg, path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn probes_and_hooks() {
        let y = pod("containers:\n- name: a\n  image: x\n  readinessProbe:\n    tcpSocket:\n      host: 10.0.0.1\n      port: 1\n  lifecycle:\n    preStop:\n      httpGet:\n        host: localhost\n        port: 1\n  livenessProbe:\n    httpGet:\n      port: 1\n");
        assert_eq!(lines(&META, &y), vec![11, 16]);
    }
}

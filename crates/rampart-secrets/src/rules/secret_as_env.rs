//! `secret-as-env` (optional, off by default): a container takes a Secret through environment
//! variables instead of a mounted file (CIS 5.4.1).

use rampart_manifest::{pod::pod_spec, Object};
use rampart_model::{Category, Finding, RuleMeta, Severity};
use serde_json::Value;

pub static META: RuleMeta = RuleMeta {
    id: "RMP5028",
    name: "secret-as-env",
    title: "Secret consumed as environment variables",
    severity: Severity::Info,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Optional rule (off by default; rampart secrets scan --all-rules): reports containers that read a Secret through env valueFrom.secretKeyRef or envFrom secretRef instead of a mounted volume.",
    why: "Environment variables leak through /proc/<pid>/environ, crash reports, child processes and debug endpoints, and never update without a restart; mounted files update in place.",
    fix: "Mount the Secret as a volume (without subPath, so rotations propagate) and have the application read the file.",
    example: "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: password}\n",
    references: &["https://kubernetes.io/docs/concepts/security/secrets-good-practices/"],
};

pub fn check(obj: &Object) -> Vec<Finding> {
    let Some(pod) = pod_spec(&obj.json) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in pod.containers() {
        let env = c.json.get("env").and_then(Value::as_array);
        for (i, e) in env.into_iter().flatten().enumerate() {
            if let Some(name) = e
                .pointer("/valueFrom/secretKeyRef/name")
                .and_then(Value::as_str)
            {
                let mut f = Finding::new(
                    &META,
                    format!("env var from Secret `{name}`; mount it as a file instead"),
                )
                .at(c
                    .path
                    .key("env")
                    .index(i)
                    .key("valueFrom")
                    .key("secretKeyRef"))
                .container(c.name);
                obj.place(&mut f);
                out.push(f);
            }
        }
        let env_from = c.json.get("envFrom").and_then(Value::as_array);
        for (i, e) in env_from.into_iter().flatten().enumerate() {
            if let Some(name) = e.pointer("/secretRef/name").and_then(Value::as_str) {
                let mut f = Finding::new(
                    &META,
                    format!("all keys of Secret `{name}` as env vars; mount it as files instead"),
                )
                .at(c.path.key("envFrom").index(i).key("secretRef"))
                .container(c.name);
                obj.place(&mut f);
                out.push(f);
            }
        }
    }
    out
}

//! RMP1023 `writable-host-path-mount`: a container mounts a hostPath volume read-write.

use std::collections::HashSet;

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};
use crate::support::host_path;

pub static META: RuleMeta = RuleMeta {
    id: "RMP1023",
    name: "writable-host-path-mount",
    title: "hostPath volume is mounted writable",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1611", "T1565.001"],
    what: "Reports each `volumeMounts` entry of any container that mounts a `hostPath` volume \
           without `readOnly: true`.",
    why: "A writable host mount lets the container plant files the node later executes or \
          trusts (cron jobs, systemd units, kubelet manifests, binaries) and tamper with node \
          data — persistence outside the container's life.",
    fix: "Add `readOnly: true` to the mount, or replace the hostPath with a volume type that \
          does not touch the node.",
    example: "\
spec:
  containers:
  - name: app
    image: registry.example/app:1.4.2
    volumeMounts:
    - name: host-data
      mountPath: /data
  volumes:
  - name: host-data
    hostPath:
      path: /srv/data
",
    references: &[
        "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        "https://kubernetes.io/docs/concepts/storage/volumes/#read-only-mounts",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    let host: HashSet<&str> = host_path::volumes(pod).map(|v| v.name).collect();
    if host.is_empty() {
        return;
    }
    for c in &pod.containers {
        let mounts = c
            .get("volumeMounts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for (i, m) in mounts.enumerate() {
            let name = m.get("name").and_then(Value::as_str).unwrap_or("");
            if !host.contains(name) || m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let at = m.get("mountPath").and_then(Value::as_str).unwrap_or("");
            let msg = format!(
                "{} mounts hostPath volume \"{name}\" writable at {at}",
                c.label()
            );
            out.report_in(
                &META,
                c,
                msg,
                c.path.key("volumeMounts").index(i).key("readOnly"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn read_only_mounts_pass() {
        let y = pod("containers:\n- name: a\n  image: x\n  volumeMounts:\n  - name: h\n    mountPath: /h\n  - name: h\n    mountPath: /r\n    readOnly: true\n  - name: e\n    mountPath: /e\nvolumes:\n- name: h\n  hostPath:\n    path: /srv\n- name: e\n  emptyDir: {}\n");
        assert_eq!(lines(&META, &y), vec![10]);
    }
}

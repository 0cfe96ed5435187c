//! RMP1024 `host-port`: a container binds a port on the node.

use rampart_model::{Category, RuleMeta, Severity};
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

pub static META: RuleMeta = RuleMeta {
    id: "RMP1024",
    name: "host-port",
    title: "Container binds a hostPort",
    severity: Severity::Medium,
    category: Category::Workload,
    mitre: &["T1133", "T1046"],
    what: "Reports container ports with a non-zero `hostPort`.",
    why: "A hostPort opens the port on the node's address, outside Services and often outside \
          NetworkPolicy, exposing the workload to everything that reaches the node; it also \
          limits scheduling to one such pod per node.",
    fix: "Remove `hostPort` and expose the workload with a Service (ClusterIP, or a \
          LoadBalancer/Ingress restricted to the clients that need it).",
    example: "\
spec:
  containers:
  - name: web
    image: registry.example/web:2.3
    ports:
    - containerPort: 8080
      hostPort: 80
",
    references: &[
        "https://kubernetes.io/docs/concepts/configuration/overview/#services",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    ],
};

pub fn check(ctx: &RuleContext<'_>, out: &mut Sink<'_>) {
    let Some(pod) = &ctx.pod else { return };
    for c in &pod.containers {
        let ports = c
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for (i, p) in ports.enumerate() {
            let Some(hp) = p
                .get("hostPort")
                .and_then(Value::as_i64)
                .filter(|h| *h != 0)
            else {
                continue;
            };
            let msg = format!("{} binds hostPort {hp}", c.label());
            out.report_in(&META, c, msg, c.path.key("ports").index(i).key("hostPort"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::testing::{lines, pod};

    #[test]
    fn zero_and_absent_host_ports_pass() {
        let y = pod("containers:\n- name: a\n  image: x\n  ports:\n  - containerPort: 80\n    hostPort: 80\n  - containerPort: 81\n    hostPort: 0\n  - containerPort: 82\n");
        assert_eq!(lines(&META, &y), vec![11]);
    }
}

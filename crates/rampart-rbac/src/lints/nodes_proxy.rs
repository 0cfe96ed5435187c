//! RMP3007 `rbac-nodes-proxy`: Role grants access to the kubelet API through nodes/proxy.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::{describe, grants, on_rule, role_rules, Ctx};

pub static META: RuleMeta = RuleMeta {
    id: "RMP3007",
    name: "rbac-nodes-proxy",
    title: "Role grants access to the kubelet API through nodes/proxy",
    severity: Severity::High,
    category: Category::Rbac,
    mitre: &["T1609", "T1611"],
    what: "Reports a rule that grants any verb on `nodes/proxy`.",
    why: "`nodes/proxy` reaches the kubelet API of every node: its `/exec`, `/run` and `/attach` endpoints run commands in any pod on the node, bypassing pod-level RBAC, admission and most audit policies. `get` alone is enough over websockets.",
    fix: "Use the metrics API or `nodes/metrics`/`nodes/stats` for monitoring instead; keep `nodes/proxy` for the API server's own kubelet client.",
    example: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-debugger}
rules:
- {apiGroups: [""], resources: [nodes/proxy], verbs: [get, create]}"#,
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/rbac/", "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/"],
};

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (role, i, rule) in role_rules(ctx.inv) {
        if grants(
            rule,
            &["get", "create", "proxy", "update", "patch", "delete"],
            "",
            &["nodes/proxy", "*/proxy"],
        ) {
            let msg = format!("{} grants `nodes/proxy`: its subjects can run commands in any pod through the kubelet API", describe(role));
            out.extend(on_rule(ctx, &META, role, i, msg));
        }
    }
}

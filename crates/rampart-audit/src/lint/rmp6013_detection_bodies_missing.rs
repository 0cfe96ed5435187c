//! RMP6013: writes that detections judge by their bodies are logged without them.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::PolicyCtx;
use crate::analysis::describe;
use crate::policy::Level;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6013",
    name: "audit-detection-bodies-missing",
    title: "Audit policy logs workload, RBAC, webhook or CSR writes without bodies",
    severity: Severity::Low,
    category: Category::Audit,
    mitre: &[],
    what: "Reports rules that decide creates and updates of pods and pod-making workloads, \
           RBAC roles and bindings, admission webhook configurations or \
           CertificateSigningRequests at `Metadata`.",
    why: "Privileged pods, escalation roles, bindings to cluster-admin and system:masters \
          certificates are only visible in the request body; at Metadata the log says an \
          object was written, not what it grants.",
    fix: "Log these writes at `Request` (their bodies hold no secret values).",
    example: "rules:\n- level: Metadata",
    references: &["https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy"],
};

const WRITES: [&str; 3] = ["create", "update", "patch"];

pub(crate) fn check(p: &PolicyCtx<'_>) -> Vec<Finding> {
    let classes = [
        p.class("", &["pods", "replicationcontrollers"], "", &WRITES),
        p.class(
            "apps",
            &["deployments", "daemonsets", "statefulsets", "replicasets"],
            "",
            &WRITES,
        ),
        p.class("batch", &["jobs", "cronjobs"], "", &WRITES),
        p.class(
            "rbac.authorization.k8s.io",
            &[
                "roles",
                "clusterroles",
                "rolebindings",
                "clusterrolebindings",
            ],
            "",
            &WRITES,
        ),
        p.class(
            "admissionregistration.k8s.io",
            &[
                "mutatingwebhookconfigurations",
                "validatingwebhookconfigurations",
            ],
            "",
            &WRITES,
        ),
        p.class(
            "certificates.k8s.io",
            &["certificatesigningrequests"],
            "",
            &WRITES,
        ),
        p.class(
            "certificates.k8s.io",
            &["certificatesigningrequests"],
            "approval",
            &WRITES,
        ),
    ];
    p.deciders(&classes, |l| l == Level::Metadata)
        .into_iter()
        .map(|(i, req)| {
            p.finding(
                &META,
                &format!("rules[{i}]"),
                format!(
                    "rule {i} logs `{}` without its body: what it grants cannot be checked",
                    describe(&req)
                ),
            )
        })
        .collect()
}

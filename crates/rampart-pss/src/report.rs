//! The JSON shapes of `rampart pss check` (the contract in `interfaces.md`), built from loaded
//! objects, verdicts and admission decisions.

use std::collections::BTreeMap;

use rampart_manifest::Object;
use serde_json::{json, Value};

use crate::admission::Decision;
use crate::check::Violation;
use crate::evaluate::Verdict;

/// `{"kind", "namespace", "name"}`.
pub fn object_json(obj: &Object) -> Value {
    json!({"kind": obj.id.kind, "namespace": obj.id.namespace, "name": obj.id.name})
}

/// `[{"check", "reason", "detail"}, …]` in upstream order.
pub fn violations_json(vs: &[Violation]) -> Value {
    vs.iter()
        .map(|v| json!({"check": v.check.as_str(), "reason": v.reason, "detail": v.detail}))
        .collect()
}

/// One `pss check` entry: `{"file", "line", "object", "allowed", "violations"}`.
pub fn verdict_json(obj: &Object, v: &Verdict) -> Value {
    json!({"file": obj.file(), "line": obj.node.pos.line, "object": object_json(obj),
           "allowed": v.allowed(), "violations": violations_json(&v.violations)})
}

/// One `pss check --admission-config` entry: the contract fields (`allowed`/`violations` are
/// enforce's verdict on the Pod, or on the Pods a workload creates) plus what each mode says.
pub fn admission_json(obj: &Object, ns: &str, d: &Decision, pods: &Decision) -> Value {
    let enforce = pods.enforce.as_ref();
    let annotations: BTreeMap<&str, String> = d.audit_annotations().into_iter().collect();
    json!({
        "file": obj.file(), "line": obj.node.pos.line, "object": object_json(obj), "namespace": ns,
        "allowed": pods.allowed(),
        "violations": violations_json(enforce.map_or(&[][..], |v| &v.violations)),
        "admitted": d.allowed(),
        "exempt": d.exemption.map(|e| e.as_str()),
        "policy": d.policy.map(|p| json!({"enforce": p.enforce.to_string(), "audit": p.audit.to_string(), "warn": p.warn.to_string()})),
        "enforce": enforce.map(|v| json!({"policy": v.level_version.to_string(), "allowed": v.allowed(),
            "message": pods.denial_message(if d.is_pod { &obj.id.name } else { "" })})),
        "audit": d.audit.as_ref().map(|v| json!({"policy": v.level_version.to_string(), "allowed": v.allowed(),
            "violations": violations_json(&v.violations)})),
        "warn": d.warn.as_ref().map(|v| json!({"policy": v.level_version.to_string(), "allowed": v.allowed(),
            "violations": violations_json(&v.violations)})),
        "warnings": d.warnings(),
        "audit_annotations": annotations,
    })
}

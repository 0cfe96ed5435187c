//! Finding the pod metadata and spec PSA evaluates in an object (spec §2.1).

use rampart_model::JsonPath;
use serde_json::Value;

use crate::pod::PodInput;

/// Where an object's pod lives, and the pod input to decode.
#[derive(Debug, Clone)]
pub struct PodTemplate<'a> {
    pub input: PodInput<'a>,
    pub meta_path: JsonPath,
    pub spec_path: JsonPath,
    /// A kind Kubernetes itself runs pods from (and PSA evaluates); `false` for custom
    /// resources that merely embed a pod template.
    pub builtin: bool,
}

/// A step on the way to the template is not a mapping: the API server could not decode the
/// object. Holds the path of the offending node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadTemplate(pub JsonPath);

/// The group a built-in pod-bearing kind belongs to, and how to reach its template.
fn builtin(kind: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    const CORE: &[&str] = &[""];
    const APPS: &[&str] = &["apps", "extensions"];
    const BATCH: &[&str] = &["batch"];
    const SPEC_TEMPLATE: &[&str] = &["spec", "template"];
    Some(match kind {
        "Pod" => (CORE, &[]),
        "PodTemplate" => (CORE, &["template"]),
        "ReplicationController" => (CORE, SPEC_TEMPLATE),
        "ReplicaSet" | "Deployment" | "StatefulSet" | "DaemonSet" => (APPS, SPEC_TEMPLATE),
        "Job" => (BATCH, SPEC_TEMPLATE),
        "CronJob" => (BATCH, &["spec", "jobTemplate", "spec", "template"]),
        _ => return None,
    })
}

/// The pod of a built-in pod-bearing object (Pod, PodTemplate, ReplicationController,
/// ReplicaSet, Deployment, StatefulSet, DaemonSet, Job, CronJob); `None` for other kinds.
/// A workload without a template yields an empty pod, which every level allows.
pub fn builtin_pod(obj: &Value) -> Option<Result<PodTemplate<'_>, BadTemplate>> {
    let kind = obj.get("kind").and_then(Value::as_str)?;
    let (groups, holder) = builtin(kind)?;
    if let Some(api_version) = obj.get("apiVersion").and_then(Value::as_str) {
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        if !groups.contains(&group) {
            return None;
        }
    }
    let mut path = JsonPath::root();
    let mut cur = Some(obj);
    for key in holder {
        path = path.key(*key);
        cur = match cur.and_then(|v| v.get(*key)) {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) => Some(v),
            Some(_) => return Some(Err(BadTemplate(path))),
        };
    }
    Some(Ok(PodTemplate {
        input: PodInput {
            metadata: cur.and_then(|h| h.get("metadata")),
            spec: cur.and_then(|h| h.get("spec")),
            is_pod: kind == "Pod",
        },
        meta_path: path.key("metadata"),
        spec_path: path.key("spec"),
        builtin: true,
    }))
}

/// The pod template of a custom resource that embeds one (`spec.template` or
/// `spec.jobTemplate.spec.template` with containers), as the manifest loader finds it.
pub fn custom_pod(obj: &Value) -> Option<PodTemplate<'_>> {
    let p = rampart_manifest::pod::pod_spec(obj)?;
    if !p.is_template {
        return None;
    }
    Some(PodTemplate {
        input: PodInput {
            metadata: p.metadata,
            spec: Some(p.spec),
            is_pod: false,
        },
        meta_path: p.meta_path,
        spec_path: p.path,
        builtin: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_templates_of_builtin_kinds() {
        let cj = json!({"apiVersion": "batch/v1", "kind": "CronJob",
            "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}}});
        let t = builtin_pod(&cj).and_then(Result::ok);
        let t = t.map(|t| t.spec_path.to_string());
        assert_eq!(t.as_deref(), Some("spec.jobTemplate.spec.template.spec"));
        let rc = json!({"apiVersion": "v1", "kind": "ReplicationController", "spec": {}});
        let t = builtin_pod(&rc).and_then(Result::ok);
        assert!(t.is_some_and(|t| t.input.spec.is_none()));
        let crd = json!({"apiVersion": "example.com/v1", "kind": "Deployment", "spec": {}});
        assert!(builtin_pod(&crd).is_none());
        let bad = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": []}});
        assert_eq!(
            builtin_pod(&bad).and_then(Result::err),
            Some(BadTemplate(JsonPath::parse("spec.template")))
        );
    }
}

//! Finding the pod spec inside any pod-bearing object, and its containers.
//!
//! Covers Pod, PodTemplate, every controller with `spec.template` (Deployment, StatefulSet,
//! DaemonSet, ReplicaSet, ReplicationController, Job, and custom resources such as Argo Rollouts
//! or OpenKruise CloneSets) and everything with `spec.jobTemplate` (CronJob and look-alikes).

use rampart_model::JsonPath;
use serde_json::Value;

/// Which list a container is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContainerKind {
    Container,
    Init,
    Ephemeral,
}

impl ContainerKind {
    pub const ALL: [ContainerKind; 3] = [
        ContainerKind::Container,
        ContainerKind::Init,
        ContainerKind::Ephemeral,
    ];

    /// The pod spec field holding this list.
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Container => "containers",
            ContainerKind::Init => "initContainers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }
}

/// A container with its place in the object.
#[derive(Debug, Clone)]
pub struct ContainerRef<'a> {
    pub kind: ContainerKind,
    pub index: usize,
    pub name: &'a str,
    /// Path from the object root to the container.
    pub path: JsonPath,
    pub json: &'a Value,
}

/// A pod spec found in an object.
#[derive(Debug, Clone)]
pub struct PodSpecRef<'a> {
    /// Path from the object root to the pod spec.
    pub path: JsonPath,
    pub spec: &'a Value,
    /// Path to the pod's (or pod template's) metadata.
    pub meta_path: JsonPath,
    pub metadata: Option<&'a Value>,
    /// True when the spec is a template inside a controller rather than a Pod's own.
    pub is_template: bool,
}

impl<'a> PodSpecRef<'a> {
    /// Every container, init container and ephemeral container, in that order.
    pub fn containers(&self) -> Vec<ContainerRef<'a>> {
        let mut out = Vec::new();
        for kind in ContainerKind::ALL {
            let Some(list) = self.spec.get(kind.field()).and_then(Value::as_array) else {
                continue;
            };
            for (index, json) in list.iter().enumerate() {
                out.push(ContainerRef {
                    kind,
                    index,
                    name: json.get("name").and_then(Value::as_str).unwrap_or(""),
                    path: self.path.key(kind.field()).index(index),
                    json,
                });
            }
        }
        out
    }

    /// A pod metadata field such as an annotation map.
    pub fn meta(&self, key: &str) -> Option<&'a Value> {
        self.metadata?.get(key)
    }
}

/// Finds the pod spec of a pod-bearing object.
pub fn pod_spec(obj: &Value) -> Option<PodSpecRef<'_>> {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let root = JsonPath::root();
    let (holder_path, is_template) = match kind {
        "Pod" => (root, false),
        "PodTemplate" => (root.key("template"), true),
        _ => {
            let spec = obj.get("spec")?;
            if spec.get("jobTemplate").is_some() {
                (
                    root.key("spec")
                        .key("jobTemplate")
                        .key("spec")
                        .key("template"),
                    true,
                )
            } else if spec.get("template").is_some() {
                (root.key("spec").key("template"), true)
            } else {
                return None;
            }
        }
    };
    let holder = holder_path.lookup(obj)?;
    let spec = holder.get("spec")?;
    if !spec.is_object() {
        return None;
    }
    // Custom resources must look like a pod spec; built-in kinds are taken as they are.
    let builtin = matches!(
        kind,
        "Pod"
            | "PodTemplate"
            | "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job"
            | "CronJob"
    );
    if !builtin && spec.get("containers").and_then(Value::as_array).is_none() {
        return None;
    }
    Some(PodSpecRef {
        path: holder_path.key("spec"),
        spec,
        meta_path: holder_path.key("metadata"),
        metadata: holder.get("metadata"),
        is_template,
    })
}

/// True for the kinds Kubernetes itself runs pods from.
pub fn is_pod_bearing_kind(kind: &str) -> bool {
    matches!(
        kind,
        "Pod"
            | "PodTemplate"
            | "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job"
            | "CronJob"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_cronjob_pod_spec_and_all_container_kinds() {
        let cj = json!({"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {
            "metadata": {"labels": {"a": "b"}},
            "spec": {"containers": [{"name": "c"}], "initContainers": [{"name": "i"}],
                     "ephemeralContainers": [{"name": "e"}]}}}}}});
        let p = pod_spec(&cj).expect("cronjob has a pod spec");
        assert_eq!(p.path.to_string(), "spec.jobTemplate.spec.template.spec");
        let cs = p.containers();
        assert_eq!(cs.len(), 3);
        assert_eq!(
            cs[1].path.to_string(),
            "spec.jobTemplate.spec.template.spec.initContainers[0]"
        );
        assert_eq!(cs[2].kind, ContainerKind::Ephemeral);
        assert!(p.is_template);
    }

    #[test]
    fn custom_resources_need_containers() {
        let rollout = json!({"kind": "Rollout", "spec": {"template": {"spec": {"containers": [{"name": "x"}]}}}});
        assert!(pod_spec(&rollout).is_some());
        let other = json!({"kind": "Thing", "spec": {"template": {"spec": {"foo": 1}}}});
        assert!(pod_spec(&other).is_none());
        assert!(pod_spec(&json!({"kind": "ConfigMap", "data": {}})).is_none());
    }
}

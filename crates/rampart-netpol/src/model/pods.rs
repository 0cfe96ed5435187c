//! Namespaces, pods (given, or synthesized from workload templates) and nodes.

use std::net::IpAddr;

use rampart_manifest::pod::{is_pod_bearing_kind, pod_spec};
use serde_json::Value;

use crate::protocol::Protocol;
use crate::selector::{labels_of, Labels};

/// The label the API server puts on every namespace.
pub const NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// A namespace and its labels.
#[derive(Debug, Clone)]
pub struct Namespace {
    pub name: String,
    pub labels: Labels,
    /// Index of the Namespace object; `None` when only referenced.
    pub object: Option<usize>,
}

/// A container port a pod declares.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub port: u16,
    pub protocol: Protocol,
}

/// A pod as policies see it.
#[derive(Debug, Clone)]
pub struct Pod {
    /// Index into [`crate::Cluster::namespaces`].
    pub namespace: usize,
    pub name: String,
    pub labels: Labels,
    pub ips: Vec<IpAddr>,
    pub ports: Vec<ContainerPort>,
    /// Index of the Pod (or, when synthesized, workload) object.
    pub object: Option<usize>,
    /// The workload the pod belongs to (Deployment, StatefulSet, …), else the pod's name.
    pub workload: String,
    /// True when made from a workload template rather than a Pod object.
    pub synthesized: bool,
}

/// A node, for ANP `nodes` peers.
#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub labels: Labels,
    pub ips: Vec<IpAddr>,
}

/// A metadata string; a name a YAML 1.1 reader turned into a boolean or number (`y`, `no`,
/// `1`) is taken back as text, as it was written.
fn meta_str(obj: &Value, key: &str) -> Option<String> {
    crate::selector::scalar_string(obj.get("metadata")?.get(key)?)
}

/// The namespace an object lives in (`default` when unset).
pub(crate) fn namespace_of(obj: &Value) -> String {
    meta_str(obj, "namespace")
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

pub(crate) fn parse_namespace(obj: &Value, object: usize) -> Option<Namespace> {
    let name = meta_str(obj, "name")?;
    let mut labels = labels_of(obj.get("metadata").and_then(|m| m.get("labels")));
    labels.insert(NAME_LABEL.to_string(), name.clone());
    Some(Namespace {
        name,
        labels,
        object: Some(object),
    })
}

/// Declared ports of app containers and of restartable (sidecar) init containers.
fn container_ports(spec: &Value) -> Vec<ContainerPort> {
    let mut out = Vec::new();
    let app = spec.get("containers").and_then(Value::as_array);
    let init = spec.get("initContainers").and_then(Value::as_array);
    let sidecars = init
        .into_iter()
        .flatten()
        .filter(|c| c.get("restartPolicy").and_then(Value::as_str) == Some("Always"));
    for c in app.into_iter().flatten().chain(sidecars) {
        for p in c
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(port) = p
                .get("containerPort")
                .and_then(Value::as_u64)
                .and_then(|n| u16::try_from(n).ok())
                .filter(|n| *n > 0)
            else {
                continue;
            };
            let protocol = p
                .get("protocol")
                .and_then(Value::as_str)
                .and_then(|s| s.parse().ok())
                .unwrap_or(Protocol::Tcp);
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
                .map(str::to_string);
            out.push(ContainerPort {
                name,
                port,
                protocol,
            });
        }
    }
    out.sort();
    out.dedup();
    out
}

fn pod_ips(obj: &Value) -> Vec<IpAddr> {
    let status = obj.get("status");
    let mut ips: Vec<IpAddr> = Vec::new();
    let first = status.and_then(|s| s.get("podIP")).and_then(Value::as_str);
    let listed = status
        .and_then(|s| s.get("podIPs"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("ip").and_then(Value::as_str));
    for s in first.into_iter().chain(listed) {
        if let Ok(ip) = s.trim().parse::<IpAddr>() {
            if !ips.contains(&ip) {
                ips.push(ip);
            }
        }
    }
    ips
}

/// The workload a pod belongs to: its controller owner, with a Deployment's ReplicaSet
/// suffix (`-<pod-template-hash>`) removed.
fn workload_of(obj: &Value, name: &str, labels: &Labels) -> String {
    let owners = obj
        .get("metadata")
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Value::as_array);
    let owner = owners.and_then(|o| {
        o.iter()
            .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
            .or_else(|| o.first())
    });
    let Some(owner) = owner else {
        return name.to_string();
    };
    let kind = owner.get("kind").and_then(Value::as_str).unwrap_or("");
    let oname = owner.get("name").and_then(Value::as_str).unwrap_or(name);
    if kind == "ReplicaSet" {
        if let Some(hash) = labels.get("pod-template-hash") {
            if let Some(base) = oname
                .strip_suffix(hash.as_str())
                .and_then(|b| b.strip_suffix('-'))
            {
                return base.to_string();
            }
        }
    }
    oname.to_string()
}

/// Reads a Pod object: (namespace name, pod without its namespace index).
pub(crate) fn parse_pod(obj: &Value, object: usize) -> Option<(String, Pod)> {
    let name = meta_str(obj, "name").or_else(|| meta_str(obj, "generateName"))?;
    // Finished pods hold no IP and take no traffic.
    let phase = obj
        .get("status")
        .and_then(|s| s.get("phase"))
        .and_then(Value::as_str);
    if matches!(phase, Some("Succeeded" | "Failed")) {
        return None;
    }
    let labels = labels_of(obj.get("metadata").and_then(|m| m.get("labels")));
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let workload = workload_of(obj, &name, &labels);
    Some((
        namespace_of(obj),
        Pod {
            namespace: 0,
            ports: container_ports(spec),
            ips: pod_ips(obj),
            labels,
            object: Some(object),
            workload,
            synthesized: false,
            name,
        },
    ))
}

/// Makes one pod from a workload's template (labels and ports from the template).
pub(crate) fn synthesize_pod(obj: &Value, object: usize) -> Option<(String, Pod)> {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    if kind == "Pod" || kind == "PodTemplate" || !is_pod_bearing_kind(kind) {
        return None;
    }
    let ps = pod_spec(obj)?;
    let name = meta_str(obj, "name")?;
    Some((
        namespace_of(obj),
        Pod {
            namespace: 0,
            labels: labels_of(ps.meta("labels")),
            ports: container_ports(ps.spec),
            ips: Vec::new(),
            object: Some(object),
            workload: name.clone(),
            synthesized: true,
            name,
        },
    ))
}

pub(crate) fn parse_node(obj: &Value) -> Option<Node> {
    let name = meta_str(obj, "name")?;
    let ips = obj
        .get("status")
        .and_then(|s| s.get("addresses"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| a.get("address").and_then(Value::as_str))
        .filter_map(|s| s.parse().ok())
        .collect();
    Some(Node {
        name,
        labels: labels_of(obj.get("metadata").and_then(|m| m.get("labels"))),
        ips,
    })
}

/// The selector of a workload's pods: `spec.selector` (a label selector, or a plain map for
/// ReplicationControllers), else the template's labels.
pub(crate) fn workload_selector(
    obj: &Value,
    template_labels: &Labels,
) -> crate::selector::LabelSelector {
    use crate::selector::LabelSelector;
    let path = rampart_model::JsonPath::parse("spec.selector");
    let sel = obj
        .get("spec")
        .and_then(|s| s.get("selector"))
        .filter(|s| s.is_object());
    if let Some(sel) = sel {
        let is_label_selector =
            sel.get("matchLabels").is_some() || sel.get("matchExpressions").is_some();
        let parsed = if is_label_selector {
            LabelSelector::parse(Some(sel), &path).ok()
        } else {
            let as_map = serde_json::json!({ "matchLabels": sel });
            LabelSelector::parse(Some(&as_map), &path).ok()
        };
        if let Some(p) = parsed.filter(|p| !p.is_empty()) {
            return p;
        }
    }
    let as_map = serde_json::json!({ "matchLabels": template_labels });
    LabelSelector::parse(Some(&as_map), &path).unwrap_or_default()
}

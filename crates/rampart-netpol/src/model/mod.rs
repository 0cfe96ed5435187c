//! The cluster as policies see it: namespaces, pods, nodes and the three policy tiers.

pub mod admin;
pub mod np;
pub mod pods;
pub mod ports;

use std::collections::HashMap;

use rampart_manifest::Object;
use serde_json::Value;

use crate::error::{Issue, SpecError};
use crate::selector::{LabelSelector, Op};
use admin::{AdminKind, AdminPolicy};
use np::NetworkPolicy;
use pods::{Namespace, Node, Pod, NAME_LABEL};

/// Everything the evaluator needs, with indexes by name.
#[derive(Debug, Clone, Default)]
pub struct Cluster {
    pub namespaces: Vec<Namespace>,
    pub pods: Vec<Pod>,
    pub nodes: Vec<Node>,
    pub policies: Vec<NetworkPolicy>,
    /// AdminNetworkPolicies in evaluation order (ascending priority, then input order).
    pub admin: Vec<AdminPolicy>,
    /// The BaselineAdminNetworkPolicy (`default`).
    pub baseline: Option<AdminPolicy>,
    /// Objects Rampart could not read; an invalid policy is left out, as the API server
    /// would have refused it.
    pub issues: Vec<Issue>,
    /// True when some pods were made from workload templates (workloads whose pods are not
    /// in the input).
    pub synthesized: bool,
    ns_index: HashMap<String, usize>,
    pod_index: HashMap<(usize, String), usize>,
}

/// The input's Pod objects by namespace and by label, so deciding whether a workload's pods
/// are present looks at the few pods that can match rather than at every pod.
struct RealPods<'a> {
    /// Namespace → indexes of its pods.
    by_namespace: HashMap<&'a str, Vec<usize>>,
    /// (namespace, label key, label value) → indexes of the pods carrying that label.
    by_label: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
}

impl<'a> RealPods<'a> {
    fn index(pods: &'a [(String, Pod)]) -> Self {
        let mut by_namespace: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_label: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
        for (i, (ns, pod)) in pods.iter().enumerate() {
            by_namespace.entry(ns).or_default().push(i);
            for (k, v) in &pod.labels {
                by_label.entry((ns, k, v)).or_default().push(i);
            }
        }
        Self {
            by_namespace,
            by_label,
        }
    }

    /// Whether `sel` selects a pod of namespace `ns`. A pod matching `sel` carries the label of
    /// any single-valued `In` requirement, so that label's pods are the only candidates.
    fn any_selected(&self, pods: &[(String, Pod)], ns: &str, sel: &LabelSelector) -> bool {
        let pinned = sel
            .requirements
            .iter()
            .find(|r| r.op == Op::In && r.values.len() == 1);
        let candidates = match pinned {
            Some(r) => self
                .by_label
                .get(&(ns, r.key.as_str(), r.values[0].as_str())),
            None => self.by_namespace.get(ns),
        };
        candidates.is_some_and(|idx| {
            idx.iter()
                .filter_map(|&i| pods.get(i))
                .any(|(_, p)| sel.matches(&p.labels))
        })
    }
}

fn kind_and_group(v: &Value) -> (&str, &str) {
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
    let api = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let group = api.rsplit_once('/').map_or("", |(g, _)| g);
    (kind, group)
}

impl Cluster {
    /// Builds the cluster from loaded objects.
    pub fn from_objects(objects: &[Object]) -> Self {
        let values: Vec<&Value> = objects.iter().map(|o| &o.json).collect();
        Self::from_values(&values)
    }

    /// Builds the cluster from JSON objects; indexes in [`Issue`]s and `object` fields refer
    /// to positions in `values`.
    pub fn from_values(values: &[&Value]) -> Self {
        let mut c = Cluster::default();
        let mut pods = Vec::new();
        let mut workloads = Vec::new();
        for (i, v) in values.iter().enumerate() {
            match kind_and_group(v) {
                ("Namespace", "") => {
                    if let Some(ns) = pods::parse_namespace(v, i) {
                        c.add_namespace(ns);
                    }
                }
                ("Pod", "") => pods.extend(pods::parse_pod(v, i)),
                ("Node", "") => c.nodes.extend(pods::parse_node(v)),
                ("NetworkPolicy", "networking.k8s.io" | "extensions") => {
                    match NetworkPolicy::parse(v, Some(i)) {
                        Ok(p) => c.policies.push(p),
                        Err(error) => c.issues.push(Issue { object: i, error }),
                    }
                }
                ("AdminNetworkPolicy", "policy.networking.k8s.io") => {
                    match AdminPolicy::parse(v, AdminKind::Admin, Some(i)) {
                        Ok(p) => c.admin.push(p),
                        Err(error) => c.issues.push(Issue { object: i, error }),
                    }
                }
                ("BaselineAdminNetworkPolicy", "policy.networking.k8s.io") => {
                    c.add_baseline(v, i);
                }
                _ => workloads.extend(pods::synthesize_pod(v, i).map(|p| (v, p))),
            }
        }
        // A workload stands for its pods only when none of them is in the input: a cluster
        // dump has both, a manifest repository only workloads.
        let real = RealPods::index(&pods);
        let mut synthesized = Vec::new();
        for (v, (ns, pod)) in workloads {
            let sel = pods::workload_selector(v, &pod.labels);
            if !real.any_selected(&pods, &ns, &sel) {
                c.synthesized = true;
                synthesized.push((ns, pod));
            }
        }
        pods.extend(synthesized);
        for (ns, mut pod) in pods {
            pod.namespace = c.namespace_id(&ns);
            let key = (pod.namespace, pod.name.clone());
            if c.pod_index.contains_key(&key) {
                continue;
            }
            c.pod_index.insert(key, c.pods.len());
            c.pods.push(pod);
        }
        for i in 0..c.policies.len() {
            let ns = c.policies[i].namespace.clone();
            c.namespace_id(&ns);
        }
        c.admin.sort_by_key(|p| p.priority);
        c
    }

    fn add_baseline(&mut self, v: &Value, i: usize) {
        match AdminPolicy::parse(v, AdminKind::Baseline, Some(i)) {
            Ok(p) if self.baseline.is_none() => self.baseline = Some(p),
            Ok(_) => self.issues.push(Issue {
                object: i,
                error: SpecError::new(
                    &rampart_model::JsonPath::parse("metadata.name"),
                    "only one BaselineAdminNetworkPolicy (named `default`) can exist; this one is ignored",
                ),
            }),
            Err(error) => self.issues.push(Issue { object: i, error }),
        }
    }

    fn add_namespace(&mut self, ns: Namespace) {
        if let Some(&id) = self.ns_index.get(&ns.name) {
            self.namespaces[id] = ns;
        } else {
            self.ns_index.insert(ns.name.clone(), self.namespaces.len());
            self.namespaces.push(ns);
        }
    }

    /// The index of namespace `name`, creating it (labelled as the API server would) when no
    /// Namespace object was given.
    pub fn namespace_id(&mut self, name: &str) -> usize {
        if let Some(&id) = self.ns_index.get(name) {
            return id;
        }
        let mut labels = crate::selector::Labels::new();
        labels.insert(NAME_LABEL.to_string(), name.to_string());
        self.add_namespace(Namespace {
            name: name.to_string(),
            labels,
            object: None,
        });
        self.namespaces.len() - 1
    }

    pub fn find_namespace(&self, name: &str) -> Option<usize> {
        self.ns_index.get(name).copied()
    }

    /// The pod `namespace/name`.
    pub fn find_pod(&self, namespace: &str, name: &str) -> Option<usize> {
        let ns = self.find_namespace(namespace)?;
        self.pod_index.get(&(ns, name.to_string())).copied()
    }

    /// `namespace/name` of pod `p`.
    pub fn pod_id(&self, p: usize) -> String {
        let pod = &self.pods[p];
        format!("{}/{}", self.namespaces[pod.namespace].name, pod.name)
    }

    /// The pod holding address `ip`, if any.
    pub fn pod_with_ip(&self, ip: &std::net::IpAddr) -> Option<usize> {
        self.pods.iter().position(|p| p.ips.contains(ip))
    }
}

/// A `--from`/`--to` argument that names no pod.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("`{0}` is neither NAMESPACE/POD nor an IP address")]
    Syntax(String),
    #[error("no pod `{0}` in the inputs")]
    NoSuchPod(String),
}

impl Cluster {
    /// Resolves `NAMESPACE/POD` or an IP address (a pod's IP resolves to that pod).
    pub fn resolve(&self, s: &str) -> Result<crate::eval::Target, ResolveError> {
        let s = s.trim();
        if let Ok(ip) = s.parse::<std::net::IpAddr>() {
            return Ok(match self.pod_with_ip(&ip) {
                Some(p) => crate::eval::Target::Pod(p),
                None => crate::eval::Target::Ip(ip),
            });
        }
        let (ns, name) = s
            .split_once('/')
            .filter(|(n, p)| !n.is_empty() && !p.is_empty() && !p.contains('/'))
            .ok_or_else(|| ResolveError::Syntax(s.to_string()))?;
        self.find_pod(ns, name)
            .map(crate::eval::Target::Pod)
            .ok_or_else(|| ResolveError::NoSuchPod(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::Cluster;

    fn pod(ns: &str, name: &str, labels: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": ns, "labels": labels},
               "spec": {"containers": [{"name": "c", "image": "i"}]}})
    }

    fn deployment(ns: &str, name: &str, selector: Value, labels: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": name, "namespace": ns},
               "spec": {"selector": selector, "template": {
                   "metadata": {"labels": labels},
                   "spec": {"containers": [{"name": "c", "image": "i"}]}}}})
    }

    fn names(values: &[Value]) -> Vec<(String, bool)> {
        let refs: Vec<&Value> = values.iter().collect();
        let c = Cluster::from_values(&refs);
        c.pods
            .iter()
            .map(|p| (p.name.clone(), p.synthesized))
            .collect()
    }

    #[test]
    fn a_workload_stands_for_its_pods_only_when_none_is_in_the_input() {
        let values = vec![
            pod("a", "web-1", json!({"app": "web", "tier": "front"})),
            // Covered: matchLabels, and matchExpressions alone (no label to look up by).
            deployment(
                "a",
                "web",
                json!({"matchLabels": {"app": "web"}}),
                json!({"app": "web"}),
            ),
            deployment(
                "a",
                "any-front",
                json!({"matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["front", "back"]}]}),
                json!({"tier": "front"}),
            ),
            // Not covered: same labels in another namespace; a label the pod lacks; a value
            // the pod's label does not have.
            deployment(
                "b",
                "web",
                json!({"matchLabels": {"app": "web"}}),
                json!({"app": "web"}),
            ),
            deployment(
                "a",
                "api",
                json!({"matchLabels": {"app": "web", "role": "api"}}),
                json!({"app": "web", "role": "api"}),
            ),
            deployment(
                "a",
                "not-front",
                json!({"matchExpressions": [
                {"key": "tier", "operator": "NotIn", "values": ["front"]}]}),
                json!({"tier": "back"}),
            ),
        ];
        let pods = names(&values);
        assert_eq!(pods.iter().filter(|(_, s)| !s).count(), 1);
        let synthesized: Vec<&str> = pods
            .iter()
            .filter(|(_, s)| *s)
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(synthesized.len(), 3, "{pods:?}");
    }
}

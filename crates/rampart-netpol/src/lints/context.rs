//! What the lints share: the cluster built from the scanned objects and helpers to place
//! findings on them.

use std::collections::HashSet;

use rampart_manifest::Object;
use rampart_model::{Finding, JsonPath, RuleMeta};

use crate::eval::matching::np_selects;
use crate::model::np::{Direction, NetworkPolicy};
use crate::selector::{LabelSelector, Op, Requirement};
use crate::Cluster;

/// Namespaces whose isolation the cluster's own components manage.
pub(crate) const SYSTEM_NAMESPACES: [&str; 3] = ["kube-system", "kube-public", "kube-node-lease"];

/// The scanned objects and the cluster they describe.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub objects: &'a [Object],
    pub cluster: Cluster,
}

impl<'a> Ctx<'a> {
    pub fn new(objects: &'a [Object]) -> Self {
        Self {
            objects,
            cluster: Cluster::from_objects(objects),
        }
    }

    /// True when there is anything network-related to say: pods/workloads or policies.
    pub fn relevant(&self) -> bool {
        let c = &self.cluster;
        !c.pods.is_empty()
            || !c.policies.is_empty()
            || !c.admin.is_empty()
            || c.baseline.is_some()
            || !c.issues.is_empty()
    }

    /// A finding of `rule` at `path` in object `object`, placed.
    pub fn finding(
        &self,
        rule: &'static RuleMeta,
        object: Option<usize>,
        path: JsonPath,
        msg: String,
    ) -> Option<Finding> {
        let obj = self.objects.get(object?)?;
        let mut f = Finding::new(rule, msg).at(path);
        obj.place(&mut f);
        Some(f)
    }

    pub fn has_pods(&self) -> bool {
        !self.cluster.pods.is_empty()
    }

    /// Pods of namespace `ns`.
    pub fn pods_in(&self, ns: usize) -> impl Iterator<Item = usize> + '_ {
        self.cluster
            .pods
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.namespace == ns)
            .map(|(i, _)| i)
    }

    /// Pods a NetworkPolicy selects.
    pub fn selected(&self, p: &NetworkPolicy) -> Vec<usize> {
        let c = &self.cluster;
        (0..c.pods.len())
            .filter(|i| np_selects(c, p, &c.pods[*i]))
            .collect()
    }

    /// Namespaces holding pods, in order of their first pod (the earliest object).
    pub fn workload_namespaces(&self) -> Vec<(usize, usize)> {
        let mut seen = HashSet::new();
        let mut order: Vec<(usize, usize)> = Vec::new();
        let mut pods: Vec<usize> = (0..self.cluster.pods.len()).collect();
        pods.sort_by_key(|p| self.cluster.pods[*p].object);
        for p in pods {
            let ns = self.cluster.pods[p].namespace;
            if seen.insert(ns) {
                order.push((ns, p));
            }
        }
        order
    }

    pub fn is_system(&self, ns: usize) -> bool {
        SYSTEM_NAMESPACES.contains(&self.cluster.namespaces[ns].name.as_str())
    }

    /// NetworkPolicies of namespace `ns`.
    pub fn policies_in(&self, ns: usize) -> impl Iterator<Item = &NetworkPolicy> + '_ {
        let name = self.cluster.namespaces[ns].name.clone();
        self.cluster
            .policies
            .iter()
            .filter(move |p| p.namespace == name)
    }
}

/// Whether a NetworkPolicy rule list has a rule admitting every peer on every port.
pub(crate) fn allows_everything(p: &NetworkPolicy, d: Direction) -> bool {
    p.rules(d)
        .iter()
        .any(|r| r.peers.is_empty() && r.ports.is_empty())
}

/// Requirements of `sel` that nothing in `universe` can satisfy (`In` with no known
/// key/value pair, `Exists` with no known key). `NotIn`/`DoesNotExist` are always satisfiable.
pub(crate) fn unknown_requirements<'s>(
    sel: &'s LabelSelector,
    universe: &[&crate::selector::Labels],
) -> Vec<&'s Requirement> {
    sel.requirements
        .iter()
        .filter(|r| match r.op {
            Op::In => !universe
                .iter()
                .any(|l| l.get(&r.key).is_some_and(|v| r.values.contains(v))),
            Op::Exists => !universe.iter().any(|l| l.contains_key(&r.key)),
            Op::NotIn | Op::DoesNotExist => false,
        })
        .collect()
}

impl Ctx<'_> {
    /// Whether namespace `ns` denies direction `d` by default: a NetworkPolicy selecting every
    /// pod of the namespace with that type and no allow-everything rule, or an admin policy
    /// whose subject is the whole namespace with a `Deny` rule for every peer and port.
    pub fn has_default_deny(&self, ns: usize, d: Direction) -> bool {
        let c = &self.cluster;
        let by_np = self
            .policies_in(ns)
            .any(|p| p.pod_selector.is_empty() && p.has_type(d) && !allows_everything(p, d));
        let ns_labels = &c.namespaces[ns].labels;
        let by_admin = c.admin.iter().chain(&c.baseline).any(|p| {
            p.subject.pods.is_empty()
                && p.subject.namespaces.matches(ns_labels)
                && p.rules(d).iter().any(|r| {
                    r.action == crate::model::admin::Action::Deny
                        && r.ports.is_none()
                        && r.peers.iter().any(|peer| {
                            matches!(peer, crate::model::admin::AdminPeer::Pods(s) if s.namespaces.is_empty() && s.pods.is_empty())
                        })
                })
        });
        by_np || by_admin
    }

    /// RMP4001/RMP4002: once per namespace with workloads, at its first workload.
    pub(crate) fn default_deny_findings(
        &self,
        rule: &'static RuleMeta,
        d: Direction,
        out: &mut Vec<Finding>,
    ) {
        for (ns, first) in self.workload_namespaces() {
            if self.is_system(ns) || self.has_default_deny(ns, d) {
                continue;
            }
            let name = &self.cluster.namespaces[ns].name;
            let pod = &self.cluster.pods[first];
            let msg = format!(
                "namespace `{name}` runs workloads (first: {}) but has no default-deny {} NetworkPolicy: any pod without its own policy {}",
                pod.workload,
                d.as_str(),
                match d {
                    Direction::Ingress => "accepts connections from every pod in the cluster",
                    Direction::Egress => "can connect anywhere",
                }
            );
            out.extend(self.finding(rule, pod.object, JsonPath::parse("metadata.namespace"), msg));
        }
    }
}

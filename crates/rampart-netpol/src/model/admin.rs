//! `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicy and BaselineAdminNetworkPolicy.

use std::fmt;

use ipnet::IpNet;
use rampart_model::JsonPath;
use serde_json::Value;

use super::np::Direction;
use super::ports::{parse_admin_port, parse_ip_net, AdminPort};
use crate::error::{SpecError, SpecResult};
use crate::selector::LabelSelector;

/// Which admin tier a policy belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdminKind {
    Admin,
    Baseline,
}

impl AdminKind {
    pub fn kind_name(self) -> &'static str {
        match self {
            AdminKind::Admin => "AdminNetworkPolicy",
            AdminKind::Baseline => "BaselineAdminNetworkPolicy",
        }
    }
}

/// A rule's action. BANP rules are Allow or Deny only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Allow,
    Deny,
    Pass,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "Allow",
            Action::Deny => "Deny",
            Action::Pass => "Pass",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Pods in namespaces matching `namespaces` whose labels match `pods`. The `namespaces:`
/// form of a subject or peer is this with `pods` empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PodSet {
    pub namespaces: LabelSelector,
    pub pods: LabelSelector,
}

/// One entry of `from` or `to`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AdminPeer {
    /// `namespaces` or `pods`.
    Pods(PodSet),
    /// `nodes`: addresses of Nodes whose labels match (egress only).
    Nodes(LabelSelector),
    /// `networks`: CIDRs, pod IPs included (egress only).
    Networks(Vec<IpNet>),
    /// `domainNames` (egress only): never matched offline, as addresses are not resolved.
    DomainNames(Vec<String>),
}

/// One rule of an ANP or BANP.
#[derive(Debug, Clone)]
pub struct AdminRule {
    pub name: String,
    pub action: Action,
    pub peers: Vec<AdminPeer>,
    /// `None`: every port.
    pub ports: Option<Vec<AdminPort>>,
    pub path: JsonPath,
}

/// An AdminNetworkPolicy or the BaselineAdminNetworkPolicy.
#[derive(Debug, Clone)]
pub struct AdminPolicy {
    pub kind: AdminKind,
    pub name: String,
    /// `spec.priority` (ANP only; lower is evaluated first).
    pub priority: i64,
    pub object: Option<usize>,
    pub subject: PodSet,
    pub ingress: Vec<AdminRule>,
    pub egress: Vec<AdminRule>,
}

impl AdminPolicy {
    pub fn rules(&self, d: Direction) -> &[AdminRule] {
        match d {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }

    pub fn parse(obj: &Value, kind: AdminKind, object: Option<usize>) -> SpecResult<Self> {
        let name = obj
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let sp = JsonPath::root().key("spec");
        let spec = obj
            .get("spec")
            .filter(|s| s.is_object())
            .ok_or_else(|| SpecError::new(&sp, "spec must be a mapping"))?;
        let priority = if kind == AdminKind::Admin {
            spec.get("priority")
                .and_then(Value::as_i64)
                .ok_or_else(|| SpecError::new(&sp.key("priority"), "priority must be an integer"))?
        } else {
            0
        };
        let subject = parse_subject(spec.get("subject"), &sp.key("subject"))?;
        let ingress = parse_rules(spec, kind, Direction::Ingress, &sp)?;
        let egress = parse_rules(spec, kind, Direction::Egress, &sp)?;
        Ok(Self {
            kind,
            name,
            priority,
            object,
            subject,
            ingress,
            egress,
        })
    }
}

/// Parses `{namespaces: sel}` or `{pods: {namespaceSelector, podSelector}}` (exactly one).
fn parse_pod_set(v: &Value, path: &JsonPath) -> SpecResult<Option<PodSet>> {
    if let Some(ns) = v.get("namespaces").filter(|x| !x.is_null()) {
        let p = path.key("namespaces");
        if ns.get("namespaceSelector").is_some() || ns.get("sameLabels").is_some() {
            return Err(SpecError::new(
                &p,
                "this pre-v0.1.5 namespaces form (namespaceSelector/sameLabels) is not supported",
            ));
        }
        return Ok(Some(PodSet {
            namespaces: LabelSelector::parse(Some(ns), &p)?,
            pods: LabelSelector::everything(),
        }));
    }
    if let Some(pods) = v.get("pods").filter(|x| !x.is_null()) {
        let p = path.key("pods");
        let ns_sel = pods.get("namespaceSelector");
        if ns_sel.and_then(|n| n.get("sameLabels")).is_some() {
            return Err(SpecError::new(&p, "sameLabels peers are not supported"));
        }
        return Ok(Some(PodSet {
            namespaces: LabelSelector::parse(ns_sel, &p.key("namespaceSelector"))?,
            pods: LabelSelector::parse(pods.get("podSelector"), &p.key("podSelector"))?,
        }));
    }
    Ok(None)
}

fn parse_subject(v: Option<&Value>, path: &JsonPath) -> SpecResult<PodSet> {
    let v = v.ok_or_else(|| SpecError::new(path, "a subject is required"))?;
    parse_pod_set(v, path)?
        .ok_or_else(|| SpecError::new(path, "a subject sets `namespaces` or `pods`"))
}

fn parse_rules(
    spec: &Value,
    kind: AdminKind,
    d: Direction,
    sp: &JsonPath,
) -> SpecResult<Vec<AdminRule>> {
    let path = sp.key(d.field());
    let list = match spec.get(d.field()) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(l)) => l,
        Some(_) => return Err(SpecError::new(&path, "must be a list of rules")),
    };
    let mut rules = Vec::with_capacity(list.len());
    for (i, r) in list.iter().enumerate() {
        let rp = path.index(i);
        let action = match r.get("action").and_then(Value::as_str) {
            Some("Allow") => Action::Allow,
            Some("Deny") => Action::Deny,
            Some("Pass") if kind == AdminKind::Admin => Action::Pass,
            _ => {
                let allowed = match kind {
                    AdminKind::Admin => "Allow, Deny or Pass",
                    AdminKind::Baseline => "Allow or Deny",
                };
                return Err(SpecError::new(
                    &rp.key("action"),
                    format!("action must be {allowed}"),
                ));
            }
        };
        let peers = parse_peers(r.get(d.peers_field()), d, &rp.key(d.peers_field()))?;
        let ports = match r.get("ports") {
            None | Some(Value::Null) => None,
            // An empty list is refused by the CRD; read it as "no restriction" like absent.
            Some(Value::Array(l)) if l.is_empty() => None,
            Some(Value::Array(l)) => {
                let mut out = Vec::with_capacity(l.len());
                for (j, p) in l.iter().enumerate() {
                    out.push(parse_admin_port(p, &rp.key("ports").index(j))?);
                }
                Some(out)
            }
            Some(_) => return Err(SpecError::new(&rp.key("ports"), "ports must be a list")),
        };
        rules.push(AdminRule {
            name: r
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            action,
            peers,
            ports,
            path: rp,
        });
    }
    Ok(rules)
}

fn parse_peers(v: Option<&Value>, d: Direction, path: &JsonPath) -> SpecResult<Vec<AdminPeer>> {
    let list = v
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| SpecError::new(path, "a rule needs at least one peer"))?;
    let mut peers = Vec::with_capacity(list.len());
    for (i, p) in list.iter().enumerate() {
        let pp = path.index(i);
        if let Some(set) = parse_pod_set(p, &pp)? {
            peers.push(AdminPeer::Pods(set));
            continue;
        }
        if d == Direction::Egress {
            if let Some(n) = p.get("nodes").filter(|x| !x.is_null()) {
                peers.push(AdminPeer::Nodes(LabelSelector::parse(
                    Some(n),
                    &pp.key("nodes"),
                )?));
                continue;
            }
            if let Some(nets) = p.get("networks").filter(|x| !x.is_null()) {
                let np = pp.key("networks");
                let list = nets
                    .as_array()
                    .filter(|l| !l.is_empty())
                    .ok_or_else(|| SpecError::new(&np, "networks is a non-empty list of CIDRs"))?;
                let mut out = Vec::with_capacity(list.len());
                for (j, c) in list.iter().enumerate() {
                    let s = c
                        .as_str()
                        .ok_or_else(|| SpecError::new(&np.index(j), "a CIDR is a string"))?;
                    out.push(parse_ip_net(s, &np.index(j))?);
                }
                peers.push(AdminPeer::Networks(out));
                continue;
            }
            if let Some(names) = p.get("domainNames").and_then(Value::as_array) {
                let names = names.iter().filter_map(Value::as_str).map(str::to_string);
                peers.push(AdminPeer::DomainNames(names.collect()));
                continue;
            }
        }
        return Err(SpecError::new(
            &pp,
            match d {
                Direction::Ingress => "an ingress peer sets `namespaces` or `pods`",
                Direction::Egress => {
                    "an egress peer sets `namespaces`, `pods`, `nodes`, `networks` or `domainNames`"
                }
            },
        ));
    }
    Ok(peers)
}

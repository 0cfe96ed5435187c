//! `networking.k8s.io/v1` NetworkPolicy, parsed and with the API server's defaults applied.

use ipnet::IpNet;
use rampart_model::JsonPath;
use serde_json::Value;

use super::ports::{parse_ip_net, parse_np_port, NpPort};
use crate::error::{SpecError, SpecResult};
use crate::selector::LabelSelector;

/// Ingress or egress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub const BOTH: [Direction; 2] = [Direction::Ingress, Direction::Egress];

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    /// The spec field holding this direction's rules.
    pub fn field(self) -> &'static str {
        self.as_str()
    }

    /// The field of a rule holding its peers (`from` or `to`).
    pub fn peers_field(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }
}

/// Which namespaces a pod-selecting peer looks in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NsScope {
    /// `podSelector` alone: the policy's own namespace.
    Own,
    /// `namespaceSelector` (alone or with `podSelector`).
    Selector(LabelSelector),
}

/// An `ipBlock`: inside `cidr` and outside every `except`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IpBlock {
    pub cidr: IpNet,
    pub except: Vec<IpNet>,
}

impl IpBlock {
    pub fn contains(&self, ip: &std::net::IpAddr) -> bool {
        self.cidr.contains(ip) && !self.except.iter().any(|e| e.contains(ip))
    }
}

/// One entry of `from` or `to`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NpPeer {
    Pods {
        namespaces: NsScope,
        pods: LabelSelector,
    },
    IpBlock(IpBlock),
}

/// One ingress or egress rule.
#[derive(Debug, Clone)]
pub struct NpRule {
    /// Empty: every peer, addresses outside the cluster included.
    pub peers: Vec<NpPeer>,
    /// Empty: every port of every protocol.
    pub ports: Vec<NpPort>,
    /// Path of the rule in its object (`spec.ingress[0]`).
    pub path: JsonPath,
}

/// A NetworkPolicy.
#[derive(Debug, Clone)]
pub struct NetworkPolicy {
    pub namespace: String,
    pub name: String,
    /// Index of the source object in the input.
    pub object: Option<usize>,
    pub pod_selector: LabelSelector,
    /// The effective `policyTypes` (defaults applied).
    pub ingress_type: bool,
    pub egress_type: bool,
    pub ingress: Vec<NpRule>,
    pub egress: Vec<NpRule>,
}

impl NetworkPolicy {
    pub fn has_type(&self, d: Direction) -> bool {
        match d {
            Direction::Ingress => self.ingress_type,
            Direction::Egress => self.egress_type,
        }
    }

    pub fn rules(&self, d: Direction) -> &[NpRule] {
        match d {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }

    /// `namespace/name`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Parses a NetworkPolicy object.
    pub fn parse(obj: &Value, object: Option<usize>) -> SpecResult<Self> {
        let meta = obj.get("metadata");
        let text = |k: &str| {
            meta.and_then(|m| m.get(k))
                .and_then(crate::selector::scalar_string)
        };
        let name = text("name").unwrap_or_default();
        let namespace = text("namespace")
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "default".to_string());
        let spec_path = JsonPath::root().key("spec");
        let spec = obj.get("spec").filter(|s| !s.is_null());
        let spec = match spec {
            Some(s) if s.is_object() => s,
            Some(_) => return Err(SpecError::new(&spec_path, "spec must be a mapping")),
            None => &Value::Null,
        };
        let pod_selector =
            LabelSelector::parse(spec.get("podSelector"), &spec_path.key("podSelector"))?;
        let ingress = parse_rules(spec, Direction::Ingress, &spec_path)?;
        let egress = parse_rules(spec, Direction::Egress, &spec_path)?;
        let (ingress_type, egress_type) = policy_types(spec, &spec_path, !egress.is_empty())?;
        Ok(Self {
            namespace,
            name,
            object,
            pod_selector,
            ingress_type,
            egress_type,
            ingress,
            egress,
        })
    }
}

/// `policyTypes` as written, or the API server's default: Ingress, plus Egress when the policy
/// has a non-empty `egress` list.
fn policy_types(spec: &Value, spec_path: &JsonPath, has_egress: bool) -> SpecResult<(bool, bool)> {
    let path = spec_path.key("policyTypes");
    let list = match spec.get("policyTypes") {
        None | Some(Value::Null) => return Ok((true, has_egress)),
        Some(Value::Array(l)) if l.is_empty() => return Ok((true, has_egress)),
        Some(Value::Array(l)) => l,
        Some(_) => return Err(SpecError::new(&path, "policyTypes must be a list")),
    };
    let (mut ingress, mut egress) = (false, false);
    for (i, t) in list.iter().enumerate() {
        match t.as_str() {
            Some("Ingress") => ingress = true,
            Some("Egress") => egress = true,
            _ => {
                return Err(SpecError::new(
                    &path.index(i),
                    "policy types are `Ingress` and `Egress`",
                ))
            }
        }
    }
    Ok((ingress, egress))
}

fn parse_rules(spec: &Value, d: Direction, spec_path: &JsonPath) -> SpecResult<Vec<NpRule>> {
    let path = spec_path.key(d.field());
    let list = match spec.get(d.field()) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(l)) => l,
        Some(_) => return Err(SpecError::new(&path, "must be a list of rules")),
    };
    let mut rules = Vec::with_capacity(list.len());
    for (i, rule) in list.iter().enumerate() {
        let rpath = path.index(i);
        if !rule.is_object() && !rule.is_null() {
            return Err(SpecError::new(&rpath, "a rule must be a mapping"));
        }
        let peers = parse_peers(rule.get(d.peers_field()), &rpath.key(d.peers_field()))?;
        let ports = match rule.get("ports") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(l)) => {
                let mut out = Vec::with_capacity(l.len());
                for (j, p) in l.iter().enumerate() {
                    out.push(parse_np_port(p, &rpath.key("ports").index(j))?);
                }
                out
            }
            Some(_) => return Err(SpecError::new(&rpath.key("ports"), "ports must be a list")),
        };
        rules.push(NpRule {
            peers,
            ports,
            path: rpath,
        });
    }
    Ok(rules)
}

fn parse_peers(v: Option<&Value>, path: &JsonPath) -> SpecResult<Vec<NpPeer>> {
    let list = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(l)) => l,
        Some(_) => return Err(SpecError::new(path, "peers must be a list")),
    };
    let mut peers = Vec::with_capacity(list.len());
    for (i, p) in list.iter().enumerate() {
        peers.push(parse_peer(p, &path.index(i))?);
    }
    Ok(peers)
}

fn parse_peer(p: &Value, path: &JsonPath) -> SpecResult<NpPeer> {
    let present = |k: &str| p.get(k).is_some_and(|v| !v.is_null());
    let (pods, nss, ipb) = (
        present("podSelector"),
        present("namespaceSelector"),
        present("ipBlock"),
    );
    if ipb {
        if pods || nss {
            return Err(SpecError::new(
                path,
                "an ipBlock peer cannot also have podSelector or namespaceSelector",
            ));
        }
        return parse_ip_block(p.get("ipBlock"), &path.key("ipBlock")).map(NpPeer::IpBlock);
    }
    if !pods && !nss {
        return Err(SpecError::new(
            path,
            "a peer needs podSelector, namespaceSelector or ipBlock",
        ));
    }
    let pod_sel = LabelSelector::parse(p.get("podSelector"), &path.key("podSelector"))?;
    let namespaces = if nss {
        NsScope::Selector(LabelSelector::parse(
            p.get("namespaceSelector"),
            &path.key("namespaceSelector"),
        )?)
    } else {
        NsScope::Own
    };
    Ok(NpPeer::Pods {
        namespaces,
        pods: pod_sel,
    })
}

fn parse_ip_block(v: Option<&Value>, path: &JsonPath) -> SpecResult<IpBlock> {
    let cidr_v = v.and_then(|b| b.get("cidr")).and_then(Value::as_str);
    let cidr_v = cidr_v.ok_or_else(|| SpecError::new(path, "ipBlock needs a `cidr`"))?;
    let cidr = parse_ip_net(cidr_v, &path.key("cidr"))?;
    let mut except = Vec::new();
    if let Some(list) = v.and_then(|b| b.get("except")).filter(|e| !e.is_null()) {
        let epath = path.key("except");
        let list = list
            .as_array()
            .ok_or_else(|| SpecError::new(&epath, "except must be a list"))?;
        for (i, e) in list.iter().enumerate() {
            let s = e
                .as_str()
                .ok_or_else(|| SpecError::new(&epath.index(i), "a CIDR is a string"))?;
            let net = parse_ip_net(s, &epath.index(i))?;
            if !cidr.contains(&net) || net.prefix_len() == cidr.prefix_len() {
                return Err(SpecError::new(
                    &epath.index(i),
                    format!("`{net}` must be a strict subset of the cidr `{cidr}`"),
                ));
            }
            except.push(net);
        }
    }
    Ok(IpBlock { cidr, except })
}

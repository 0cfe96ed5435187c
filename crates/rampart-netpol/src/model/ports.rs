//! Port entries of NetworkPolicy and (Baseline)AdminNetworkPolicy rules, and CIDRs.

use std::fmt;

use ipnet::IpNet;
use rampart_model::JsonPath;
use serde_json::Value;

use crate::error::{SpecError, SpecResult};
use crate::protocol::{PortProto, Protocol};

/// Which ports of a protocol a port entry covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PortSpec {
    /// No `port`: every port of the protocol.
    Any,
    /// A number, or `port..=endPort`.
    Range(u16, u16),
    /// A container port name, resolved on the destination pod.
    Named(String),
}

/// A NetworkPolicy port entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NpPort {
    pub protocol: Protocol,
    pub port: PortSpec,
    pub path: JsonPath,
}

/// An ANP/BANP port entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AdminPort {
    /// `portNumber` (`start == end`) or `portRange`.
    Range {
        protocol: Protocol,
        start: u16,
        end: u16,
        path: JsonPath,
    },
    /// `namedPort`: matched by name; the protocol is the container port's.
    Named { name: String, path: JsonPath },
}

impl AdminPort {
    pub fn path(&self) -> &JsonPath {
        match self {
            AdminPort::Range { path, .. } | AdminPort::Named { path, .. } => path,
        }
    }
}

impl fmt::Display for NpPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.port {
            PortSpec::Any => write!(f, "any/{}", self.protocol),
            PortSpec::Range(a, b) if a == b => write!(f, "{}", PortProto::new(*a, self.protocol)),
            PortSpec::Range(a, b) => write!(f, "{a}-{b}/{}", self.protocol),
            PortSpec::Named(n) => write!(f, "{n}/{}", self.protocol),
        }
    }
}

impl fmt::Display for AdminPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdminPort::Range {
                protocol,
                start,
                end,
                ..
            } if start == end => write!(f, "{}", PortProto::new(*start, *protocol)),
            AdminPort::Range {
                protocol,
                start,
                end,
                ..
            } => write!(f, "{start}-{end}/{protocol}"),
            AdminPort::Named { name, .. } => write!(f, "{name}"),
        }
    }
}

fn protocol_at(v: &Value, path: &JsonPath) -> SpecResult<Protocol> {
    match v.get("protocol") {
        None | Some(Value::Null) => Ok(Protocol::Tcp),
        Some(Value::String(s)) => s.parse().map_err(|e: crate::protocol::ProtocolError| {
            SpecError::new(&path.key("protocol"), e.to_string())
        }),
        Some(_) => Err(SpecError::new(
            &path.key("protocol"),
            "protocol must be a string",
        )),
    }
}

/// A port number 1..=65535 from an integer (or an all-digit string).
fn port_number(v: &Value, path: &JsonPath) -> SpecResult<u16> {
    let n = match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    };
    n.and_then(|n| u16::try_from(n).ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| SpecError::new(path, "a port number is 1-65535"))
}

/// Parses a NetworkPolicyPort.
pub(crate) fn parse_np_port(v: &Value, path: &JsonPath) -> SpecResult<NpPort> {
    if !v.is_object() {
        return Err(SpecError::new(path, "a port entry must be a mapping"));
    }
    let protocol = protocol_at(v, path)?;
    let end_port = match v.get("endPort") {
        None | Some(Value::Null) => None,
        Some(e) => Some(port_number(e, &path.key("endPort"))?),
    };
    let port = match v.get("port") {
        None | Some(Value::Null) => {
            if end_port.is_some() {
                return Err(SpecError::new(
                    &path.key("endPort"),
                    "endPort needs a numeric port",
                ));
            }
            PortSpec::Any
        }
        Some(Value::String(s)) if !s.bytes().all(|b| b.is_ascii_digit()) => {
            if end_port.is_some() {
                return Err(SpecError::new(
                    &path.key("endPort"),
                    "endPort cannot be used with a named port",
                ));
            }
            PortSpec::Named(s.clone())
        }
        Some(p) => {
            let start = port_number(p, &path.key("port"))?;
            let end = end_port.unwrap_or(start);
            if end < start {
                return Err(SpecError::new(
                    &path.key("endPort"),
                    "endPort must be greater than or equal to port",
                ));
            }
            PortSpec::Range(start, end)
        }
    };
    Ok(NpPort {
        protocol,
        port,
        path: path.clone(),
    })
}

/// Parses an AdminNetworkPolicyPort: exactly one of `portNumber`, `namedPort`, `portRange`.
pub(crate) fn parse_admin_port(v: &Value, path: &JsonPath) -> SpecResult<AdminPort> {
    let set: Vec<&str> = ["portNumber", "namedPort", "portRange"]
        .into_iter()
        .filter(|k| v.get(*k).is_some_and(|x| !x.is_null()))
        .collect();
    if set.len() != 1 {
        return Err(SpecError::new(
            path,
            "a port entry sets exactly one of portNumber, namedPort, portRange",
        ));
    }
    match set[0] {
        "portNumber" => {
            let p = path.key("portNumber");
            let pn = &v["portNumber"];
            let protocol = protocol_at(pn, &p)?;
            let port = port_number(pn.get("port").unwrap_or(&Value::Null), &p.key("port"))?;
            Ok(AdminPort::Range {
                protocol,
                start: port,
                end: port,
                path: p,
            })
        }
        "namedPort" => {
            let name = v["namedPort"]
                .as_str()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| SpecError::new(&path.key("namedPort"), "a port name is a string"))?;
            Ok(AdminPort::Named {
                name: name.to_string(),
                path: path.key("namedPort"),
            })
        }
        _ => {
            let p = path.key("portRange");
            let pr = &v["portRange"];
            let protocol = protocol_at(pr, &p)?;
            let start = port_number(pr.get("start").unwrap_or(&Value::Null), &p.key("start"))?;
            let end = port_number(pr.get("end").unwrap_or(&Value::Null), &p.key("end"))?;
            if end < start {
                return Err(SpecError::new(
                    &p.key("end"),
                    "end must not be less than start",
                ));
            }
            Ok(AdminPort::Range {
                protocol,
                start,
                end,
                path: p,
            })
        }
    }
}

/// Parses a CIDR; a bare address is taken as a host route. Host bits are cleared, as the
/// API server's older validation allowed them and the network is what matters.
pub(crate) fn parse_ip_net(s: &str, path: &JsonPath) -> SpecResult<IpNet> {
    let s = s.trim();
    if let Ok(net) = s.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    if let Ok(ip) = s.parse::<std::net::IpAddr>() {
        return Ok(IpNet::from(ip));
    }
    Err(SpecError::new(path, format!("`{s}` is not a CIDR")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn np(v: Value) -> SpecResult<NpPort> {
        parse_np_port(&v, &JsonPath::root())
    }

    #[test]
    fn np_ports() {
        let p = np(json!({"port": 80})).expect("valid");
        assert_eq!(
            (p.protocol, p.port),
            (Protocol::Tcp, PortSpec::Range(80, 80))
        );
        let p = np(json!({"port": 30000, "endPort": 32767, "protocol": "UDP"})).expect("valid");
        assert_eq!(p.port, PortSpec::Range(30000, 32767));
        assert_eq!(p.protocol, Protocol::Udp);
        assert_eq!(
            np(json!({"port": "http"})).expect("valid").port,
            PortSpec::Named("http".into())
        );
        assert_eq!(
            np(json!({"protocol": "SCTP"})).expect("valid").port,
            PortSpec::Any
        );
        assert!(np(json!({"port": 90, "endPort": 80})).is_err());
        assert!(np(json!({"port": "http", "endPort": 80})).is_err());
        assert!(np(json!({"port": 70000})).is_err());
        assert!(np(json!({"port": 80, "protocol": "ICMP"})).is_err());
    }

    #[test]
    fn admin_ports() {
        let r = |v: Value| parse_admin_port(&v, &JsonPath::root());
        assert!(matches!(
            r(json!({"portRange": {"start": 1, "end": 5, "protocol": "UDP"}})),
            Ok(AdminPort::Range {
                start: 1,
                end: 5,
                protocol: Protocol::Udp,
                ..
            })
        ));
        assert!(matches!(
            r(json!({"namedPort": "dns"})),
            Ok(AdminPort::Named { .. })
        ));
        assert!(r(json!({"portNumber": {"port": 1}, "namedPort": "x"})).is_err());
        assert!(r(json!({})).is_err());
    }

    #[test]
    fn cidrs() {
        let p = JsonPath::root();
        assert_eq!(
            parse_ip_net("10.1.2.3/8", &p).expect("ok").to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            parse_ip_net("2001:db8::1", &p).expect("ok").to_string(),
            "2001:db8::1/128"
        );
        assert!(parse_ip_net("10.0.0.0/33", &p).is_err());
    }
}

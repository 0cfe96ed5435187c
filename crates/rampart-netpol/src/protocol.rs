//! Transport protocols and port/protocol pairs.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// The protocols NetworkPolicy knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub const ALL: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The protocol name is not TCP, UDP or SCTP.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown protocol `{0}`; expected TCP, UDP or SCTP")]
pub struct ProtocolError(pub String);

impl FromStr for Protocol {
    type Err = ProtocolError;
    // The API server accepts only upper case; lower case is taken too because users type it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "TCP" => Ok(Protocol::Tcp),
            "UDP" => Ok(Protocol::Udp),
            "SCTP" => Ok(Protocol::Sctp),
            _ => Err(ProtocolError(s.to_string())),
        }
    }
}

impl Serialize for Protocol {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A port number with its protocol, written `80/TCP`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortProto {
    pub port: u16,
    pub protocol: Protocol,
}

impl PortProto {
    pub fn new(port: u16, protocol: Protocol) -> Self {
        Self { port, protocol }
    }
}

impl fmt::Display for PortProto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.port, self.protocol)
    }
}

impl Serialize for PortProto {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for PortProto {
    type Err = String;
    /// `80`, `80/TCP`, `53/udp`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (port, proto) = s.split_once('/').unwrap_or((s, "TCP"));
        let port: u16 = port
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not a port number (1-65535)"))?;
        if port == 0 {
            return Err(format!("`{s}` is not a port number (1-65535)"));
        }
        let protocol = proto.parse().map_err(|e: ProtocolError| e.to_string())?;
        Ok(Self { port, protocol })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let pp: PortProto = "53/udp".parse().expect("valid");
        assert_eq!(pp.to_string(), "53/UDP");
        assert_eq!(
            "80".parse::<PortProto>().expect("valid").protocol,
            Protocol::Tcp
        );
        assert!("0/TCP".parse::<PortProto>().is_err());
        assert!("80/ICMP".parse::<PortProto>().is_err());
    }
}

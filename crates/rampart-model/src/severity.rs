//! Closed vocabularies: severities and categories.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How bad a finding is. Ordered: `Info < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// The area a rule belongs to; also the `category` field of the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Workload,
    Pss,
    Rbac,
    Network,
    Secrets,
    Audit,
    Cluster,
    Runtime,
    SupplyChain,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Workload,
        Category::Pss,
        Category::Rbac,
        Category::Network,
        Category::Secrets,
        Category::Audit,
        Category::Cluster,
        Category::Runtime,
        Category::SupplyChain,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Workload => "workload",
            Category::Pss => "pss",
            Category::Rbac => "rbac",
            Category::Network => "network",
            Category::Secrets => "secrets",
            Category::Audit => "audit",
            Category::Cluster => "cluster",
            Category::Runtime => "runtime",
            Category::SupplyChain => "supply-chain",
        }
    }
}

/// A word that is not one of a closed set's members.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{given}`; expected one of: {expected}")]
pub struct ParseEnumError {
    pub what: &'static str,
    pub given: String,
    pub expected: String,
}

fn parse_closed<T: Copy>(
    what: &'static str,
    s: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, ParseEnumError> {
    let wanted = s.trim().to_ascii_lowercase();
    all.iter()
        .copied()
        .find(|v| name(*v) == wanted)
        .ok_or_else(|| ParseEnumError {
            what,
            given: s.to_string(),
            expected: all.iter().map(|v| name(*v)).collect::<Vec<_>>().join(", "),
        })
}

impl FromStr for Severity {
    type Err = ParseEnumError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_closed("severity", s, &Severity::ALL, Severity::as_str)
    }
}

impl FromStr for Category {
    type Err = ParseEnumError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_closed("category", s, &Category::ALL, Category::as_str)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Low > Severity::Info);
        assert_eq!("HIGH".parse::<Severity>(), Ok(Severity::High));
        assert!("severe".parse::<Severity>().is_err());
    }

    #[test]
    fn categories_round_trip_through_json() {
        for c in Category::ALL {
            let json = serde_json::to_string(&c).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(c.as_str().parse::<Category>(), Ok(c));
        }
    }
}

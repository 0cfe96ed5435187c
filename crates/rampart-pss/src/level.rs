//! Policy levels and versions, parsed exactly as Pod Security Admission parses them.

use std::fmt;
use std::str::FromStr;

/// The newest policy minor version at which any check changes (the v1.37 sysctl additions).
/// `latest` and every newer minor evaluate as this one.
pub const NEWEST_MINOR: u64 = 37;

/// A Pod Security Standards level. Ordered by strictness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Privileged, Level::Baseline, Level::Restricted];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A level or version that does not parse. The messages are upstream's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("invalid level {0:?}: must be one of privileged, baseline, restricted")]
    Level(String),
    #[error("invalid version {0:?}: must be \"latest\" or \"v1.x\" (v1.0, v1.1, … without leading zeros)")]
    Version(String),
}

impl ParseError {
    /// Upstream's short explanation, as used in namespace label validation messages.
    pub fn short(&self) -> &'static str {
        match self {
            ParseError::Level(_) => "must be one of privileged, baseline, restricted",
            ParseError::Version(_) => "must be \"latest\" or \"v1.x\"",
        }
    }
}

impl FromStr for Level {
    type Err = ParseError;
    /// Exact, case-sensitive, as upstream's `ParseLevel`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "privileged" => Ok(Level::Privileged),
            "baseline" => Ok(Level::Baseline),
            "restricted" => Ok(Level::Restricted),
            _ => Err(ParseError::Level(s.to_string())),
        }
    }
}

/// A policy version: `latest` or `v1.<minor>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    Latest,
    Minor(u64),
}

impl Version {
    /// The minor version the checks run at, given a ceiling (the newest known minor, or the
    /// emulated one): `latest` and anything newer evaluate as the ceiling.
    pub fn effective_minor(self, ceiling: u64) -> u64 {
        match self {
            Version::Latest => ceiling,
            Version::Minor(m) => m.min(ceiling),
        }
    }
}

impl FromStr for Version {
    type Err = ParseError;
    /// `latest`, or `v1.` followed by `0` or a decimal without a leading zero that fits in
    /// a Go `int` (upstream uses `strconv.Atoi`, so larger numbers are invalid).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "latest" {
            return Ok(Version::Latest);
        }
        let bad = || ParseError::Version(s.to_string());
        let digits = s.strip_prefix("v1.").ok_or_else(bad)?;
        let well_formed = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        if !well_formed {
            return Err(bad());
        }
        let minor: i64 = digits.parse().map_err(|_| bad())?;
        u64::try_from(minor).map(Version::Minor).map_err(|_| bad())
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Latest => f.write_str("latest"),
            Version::Minor(m) => write!(f, "v1.{m}"),
        }
    }
}

/// A level at a version, displayed `level:version` as in PSA messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LevelVersion {
    pub level: Level,
    pub version: Version,
}

impl LevelVersion {
    pub fn new(level: Level, version: Version) -> Self {
        Self { level, version }
    }

    /// Upstream's equivalence: both privileged (version irrelevant), or equal.
    pub fn equivalent(&self, other: &LevelVersion) -> bool {
        (self.level == Level::Privileged && other.level == Level::Privileged) || self == other
    }
}

impl fmt::Display for LevelVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.level, self.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_like_upstream() {
        assert_eq!("latest".parse(), Ok(Version::Latest));
        assert_eq!("v1.0".parse(), Ok(Version::Minor(0)));
        assert_eq!("v1.25".parse(), Ok(Version::Minor(25)));
        assert_eq!("v1.1000".parse(), Ok(Version::Minor(1000)));
        for bad in [
            "v1.05",
            "1.25",
            "v1.25.0",
            "v2.0",
            "V1.25",
            "v0.9",
            "",
            "v1.",
            "v1.-1",
            "Latest",
            "v1.+1",
            "v1.99999999999999999999",
        ] {
            assert!(bad.parse::<Version>().is_err(), "{bad} must be invalid");
        }
    }

    #[test]
    fn levels_are_exact() {
        assert_eq!("baseline".parse(), Ok(Level::Baseline));
        assert!("Baseline".parse::<Level>().is_err());
        assert!(" restricted".parse::<Level>().is_err());
        assert!(Level::Restricted > Level::Baseline);
    }

    #[test]
    fn newer_versions_clamp_to_the_ceiling() {
        assert_eq!(Version::Minor(99).effective_minor(NEWEST_MINOR), 37);
        assert_eq!(Version::Latest.effective_minor(33), 33);
        assert_eq!(Version::Minor(20).effective_minor(NEWEST_MINOR), 20);
    }
}

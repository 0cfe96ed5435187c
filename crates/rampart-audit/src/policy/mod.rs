//! The `audit.k8s.io/v1` `Policy`: its data model ([`Policy`], [`PolicyRule`]), parsing from a
//! loaded manifest ([`parse`]) and evaluation exactly as kube-apiserver's policy checker does
//! ([`Policy::evaluate`]).

pub(crate) mod eval;
mod parse;

use std::fmt;

pub use eval::{Decision, Request, Target};
pub use parse::{is_policy, parse_policy, PolicyError};

/// How much of a request is recorded. Ordered from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    None,
    Metadata,
    Request,
    RequestResponse,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::None,
        Level::Metadata,
        Level::Request,
        Level::RequestResponse,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "None",
            Level::Metadata => "Metadata",
            Level::Request => "Request",
            Level::RequestResponse => "RequestResponse",
        }
    }

    /// Parses the exact (case-sensitive) spelling the API server accepts.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stage of request handling; the order is the lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    RequestReceived,
    ResponseStarted,
    ResponseComplete,
    Panic,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::RequestReceived,
        Stage::ResponseStarted,
        Stage::ResponseComplete,
        Stage::Panic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::RequestReceived => "RequestReceived",
            Stage::ResponseStarted => "ResponseStarted",
            Stage::ResponseComplete => "ResponseComplete",
            Stage::Panic => "Panic",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of stages, iterated in lifecycle order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct StageSet(u8);

impl StageSet {
    pub const EMPTY: StageSet = StageSet(0);

    pub fn insert(&mut self, s: Stage) {
        self.0 |= s.bit();
    }

    pub fn contains(self, s: Stage) -> bool {
        self.0 & s.bit() != 0
    }

    #[must_use]
    pub fn union(self, other: StageSet) -> StageSet {
        StageSet(self.0 | other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The stages in lifecycle order.
    pub fn iter(self) -> impl Iterator<Item = Stage> {
        Stage::ALL.into_iter().filter(move |s| self.contains(*s))
    }

    /// Names in lifecycle order.
    pub fn names(self) -> Vec<&'static str> {
        self.iter().map(Stage::as_str).collect()
    }
}

impl FromIterator<Stage> for StageSet {
    fn from_iter<I: IntoIterator<Item = Stage>>(iter: I) -> Self {
        let mut set = StageSet::EMPTY;
        for s in iter {
            set.insert(s);
        }
        set
    }
}

/// One `resources` entry of a rule: an API group and resource patterns in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupResources {
    /// `""` is the core group (also when the field is omitted); `"*"` is every group.
    pub group: String,
    /// Patterns: `pods`, `pods/log`, `*/scale`, `pods/*`, `*`. Empty: every resource.
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
}

/// One rule of a policy. Empty lists are fields the rule does not state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRule {
    pub level: Level,
    pub users: Vec<String>,
    pub user_groups: Vec<String>,
    pub verbs: Vec<String>,
    pub resources: Vec<GroupResources>,
    pub namespaces: Vec<String>,
    pub non_resource_urls: Vec<String>,
    pub omit_stages: StageSet,
    pub omit_managed_fields: Option<bool>,
}

impl PolicyRule {
    /// A rule with only a level: matches every request.
    pub fn new(level: Level) -> Self {
        Self {
            level,
            users: Vec::new(),
            user_groups: Vec::new(),
            verbs: Vec::new(),
            resources: Vec::new(),
            namespaces: Vec::new(),
            non_resource_urls: Vec::new(),
            omit_stages: StageSet::EMPTY,
            omit_managed_fields: None,
        }
    }

    /// True when the rule states no condition at all, so it matches every request.
    pub fn is_unconditional(&self) -> bool {
        self.users.is_empty()
            && self.user_groups.is_empty()
            && self.verbs.is_empty()
            && self.resources.is_empty()
            && self.namespaces.is_empty()
            && self.non_resource_urls.is_empty()
    }
}

/// An audit policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub rules: Vec<PolicyRule>,
    pub omit_stages: StageSet,
    pub omit_managed_fields: bool,
}

//! What decided a direction, for JSON (`by`) and for people (`explanation`).

use serde::Serialize;

use crate::model::admin::{AdminKind, AdminPolicy, AdminRule};
use crate::model::np::{Direction, NetworkPolicy};

/// The tier that decided a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tier {
    #[serde(rename = "AdminNetworkPolicy")]
    Admin,
    NetworkPolicy,
    #[serde(rename = "BaselineAdminNetworkPolicy")]
    Baseline,
    /// No policy decided: allowed.
    #[serde(rename = "default")]
    Default,
    /// The destination is outside the cluster: nothing to decide for ingress.
    #[serde(rename = "outside-cluster")]
    Outside,
}

/// One policy (and rule) that took part in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    pub direction: &'static str,
    /// 0-based index of the rule in the direction's list; `null` for a NetworkPolicy that
    /// isolates the pod without any rule matching.
    pub rule: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    /// `Allow`, `Deny`, `Pass`, or `Isolate` (a NetworkPolicy denying by isolation).
    pub action: &'static str,
}

impl Reason {
    pub fn admin(p: &AdminPolicy, d: Direction, rule: usize) -> Self {
        let r = &p.rules(d)[rule];
        Self {
            kind: p.kind.kind_name(),
            namespace: None,
            name: p.name.clone(),
            priority: (p.kind == AdminKind::Admin).then_some(p.priority),
            direction: d.as_str(),
            rule: Some(rule),
            rule_name: Some(r.name.clone()).filter(|n| !n.is_empty()),
            action: r.action.as_str(),
        }
    }

    pub fn network_policy(p: &NetworkPolicy, d: Direction, rule: Option<usize>) -> Self {
        Self {
            kind: "NetworkPolicy",
            namespace: Some(p.namespace.clone()),
            name: p.name.clone(),
            priority: None,
            direction: d.as_str(),
            rule,
            rule_name: None,
            action: if rule.is_some() { "Allow" } else { "Isolate" },
        }
    }

    /// `AdminNetworkPolicy/name rule 2 (deny-all)`, `NetworkPolicy/ns/name ingress[0]`.
    pub fn describe(&self) -> String {
        let who = match &self.namespace {
            Some(ns) => format!("{}/{}/{}", self.kind, ns, self.name),
            None => format!("{}/{}", self.kind, self.name),
        };
        match (self.rule, &self.rule_name) {
            (Some(i), Some(n)) => {
                format!("{who} {}[{i}] \"{n}\" ({})", self.direction, self.action)
            }
            (Some(i), None) => format!("{who} {}[{i}] ({})", self.direction, self.action),
            (None, _) => format!("{who} (isolates, no rule matches)"),
        }
    }
}

pub(crate) fn admin_sentence(p: &AdminPolicy, r: &AdminRule, allowed: bool) -> String {
    let prio = if p.kind == AdminKind::Admin {
        format!(" (priority {})", p.priority)
    } else {
        String::new()
    };
    let rule = if r.name.is_empty() {
        "a rule".to_string()
    } else {
        format!("rule \"{}\"", r.name)
    };
    format!(
        "{} {}{prio}: {rule} matches first and {}",
        p.kind.kind_name(),
        p.name,
        if allowed { "allows" } else { "denies" }
    )
}

pub(crate) fn np_sentence(
    isolating: &[&NetworkPolicy],
    allowing: &[Reason],
    d: Direction,
) -> String {
    let names: Vec<String> = isolating.iter().map(|p| p.id()).collect();
    if allowing.is_empty() {
        format!(
            "isolated for {} by NetworkPolicy {}; no {} rule of these matches",
            d.as_str(),
            names.join(", "),
            d.as_str()
        )
    } else {
        let rules: Vec<String> = allowing
            .iter()
            .map(|r| {
                format!(
                    "{}/{} {}[{}]",
                    r.namespace.as_deref().unwrap_or(""),
                    r.name,
                    r.direction,
                    r.rule.unwrap_or(0)
                )
            })
            .collect();
        format!(
            "isolated for {} by NetworkPolicy {}; allowed by {}",
            d.as_str(),
            names.join(", "),
            rules.join(", ")
        )
    }
}

pub(crate) fn default_sentence(d: Direction, passed: bool) -> String {
    if passed {
        format!(
            "passed by an AdminNetworkPolicy; no NetworkPolicy isolates the pod for {} and no baseline rule matches: allowed",
            d.as_str()
        )
    } else {
        format!("no policy isolates the pod for {}: allowed", d.as_str())
    }
}

/// `passed by AdminNetworkPolicy x rule "r"; ` when an ANP handed the decision down.
pub(crate) fn passed_prefix(by: &[Reason]) -> String {
    by.iter()
        .find(|r| r.action == "Pass")
        .map_or_else(String::new, |r| {
            let rule = r.rule_name.as_ref().map_or_else(
                || format!("{}[{}]", r.direction, r.rule.unwrap_or(0)),
                |n| format!("rule \"{n}\""),
            );
            format!("passed by AdminNetworkPolicy {} {rule}; ", r.name)
        })
}

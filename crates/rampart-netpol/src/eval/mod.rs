//! Deciding one connection, with the policies and rules that decided it.
//!
//! For each direction the tiers are tried in order and the first that decides wins:
//! AdminNetworkPolicies (by ascending priority, rules in order, first match; `Pass` skips to
//! the next tier), NetworkPolicies (only when one isolates the pod in that direction; then any
//! matching rule allows and none denies), the BaselineAdminNetworkPolicy (first match), and
//! otherwise allow. A connection is allowed when the source's egress and the destination's
//! ingress both are; traffic to an address outside the cluster has egress only.

pub mod matching;
mod reason;

use serde::Serialize;

use crate::model::admin::{Action, AdminPolicy};
use crate::model::np::Direction;
use crate::protocol::PortProto;
use crate::Cluster;
use matching::{admin_rule_matches, admin_selects, np_rule_matches, np_selects};
pub use matching::{EvalOptions, Target};
pub use reason::{Reason, Tier};

/// One connection: a new flow from pod `from` to `to` on `port`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    pub from: usize,
    pub to: Target,
    pub port: PortProto,
}

/// The verdict for one direction.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub allowed: bool,
    /// The tier that decided.
    pub tier: Tier,
    /// The policies and rules that decided, in evaluation order.
    pub by: Vec<Reason>,
    /// The decision in a sentence.
    pub explanation: String,
}

/// The verdict for a connection.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub allowed: bool,
    pub egress: Decision,
    pub ingress: Decision,
}

/// Decides `q`.
pub fn evaluate(c: &Cluster, opts: EvalOptions, q: &Query) -> Verdict {
    let egress = decide(c, opts, Direction::Egress, q.from, q.to, q.port);
    let ingress = match q.to {
        Target::Pod(d) => decide(c, opts, Direction::Ingress, d, Target::Pod(q.from), q.port),
        Target::Ip(ip) => Decision {
            allowed: true,
            tier: Tier::Outside,
            by: Vec::new(),
            explanation: format!("{ip} is outside the cluster: no ingress policy applies"),
        },
    };
    Verdict {
        allowed: egress.allowed && ingress.allowed,
        egress,
        ingress,
    }
}

/// Decides direction `d` for pod `subject` talking with `peer` (egress: the destination;
/// ingress: the source).
pub fn decide(
    c: &Cluster,
    opts: EvalOptions,
    d: Direction,
    subject: usize,
    peer: Target,
    pp: PortProto,
) -> Decision {
    let pod = &c.pods[subject];
    let dst = match (d, peer) {
        (Direction::Ingress, _) => Some(pod),
        (Direction::Egress, Target::Pod(p)) => Some(&c.pods[p]),
        (Direction::Egress, Target::Ip(_)) => None,
    };
    let mut by = Vec::new();
    // Tier 1: AdminNetworkPolicies, already sorted by priority.
    'admin: for anp in c.admin.iter().filter(|a| admin_selects(c, a, pod)) {
        for (i, rule) in anp.rules(d).iter().enumerate() {
            if !admin_rule_matches(c, rule, peer, pp, dst) {
                continue;
            }
            let r = Reason::admin(anp, d, i);
            match rule.action {
                Action::Pass => {
                    by.push(r);
                    break 'admin;
                }
                Action::Allow | Action::Deny => {
                    let allowed = rule.action == Action::Allow;
                    let explanation = reason::admin_sentence(anp, rule, allowed);
                    by.push(r);
                    return Decision {
                        allowed,
                        tier: Tier::Admin,
                        by,
                        explanation,
                    };
                }
            }
        }
    }
    // Tier 2: NetworkPolicies that isolate the pod in this direction.
    let isolating: Vec<_> = c
        .policies
        .iter()
        .filter(|p| p.has_type(d) && np_selects(c, p, pod))
        .collect();
    if !isolating.is_empty() {
        let mut allowing = Vec::new();
        for p in &isolating {
            for (i, rule) in p.rules(d).iter().enumerate() {
                if np_rule_matches(c, opts, p, rule, peer, pp, dst) {
                    allowing.push(Reason::network_policy(p, d, Some(i)));
                }
            }
        }
        let allowed = !allowing.is_empty();
        let explanation =
            reason::passed_prefix(&by) + &reason::np_sentence(&isolating, &allowing, d);
        if allowed {
            by.extend(allowing);
        } else {
            by.extend(isolating.iter().map(|p| Reason::network_policy(p, d, None)));
        }
        return Decision {
            allowed,
            tier: Tier::NetworkPolicy,
            by,
            explanation,
        };
    }
    // Tier 3: the BaselineAdminNetworkPolicy.
    if let Some(b) = c.baseline.as_ref().filter(|b| admin_selects(c, b, pod)) {
        if let Some(dec) = baseline(c, b, d, peer, pp, dst, &mut by) {
            return dec;
        }
    }
    let passed = !by.is_empty();
    Decision {
        allowed: true,
        tier: Tier::Default,
        by,
        explanation: reason::default_sentence(d, passed),
    }
}

fn baseline(
    c: &Cluster,
    b: &AdminPolicy,
    d: Direction,
    peer: Target,
    pp: PortProto,
    dst: Option<&crate::model::pods::Pod>,
    by: &mut Vec<Reason>,
) -> Option<Decision> {
    let (i, rule) = b
        .rules(d)
        .iter()
        .enumerate()
        .find(|(_, r)| admin_rule_matches(c, r, peer, pp, dst))?;
    let allowed = rule.action == Action::Allow;
    let explanation = reason::passed_prefix(by) + &reason::admin_sentence(b, rule, allowed);
    by.push(Reason::admin(b, d, i));
    Some(Decision {
        allowed,
        tier: Tier::Baseline,
        by: std::mem::take(by),
        explanation,
    })
}

//! Workload rules over pod specs, one file per rule, and their registry.
//!
//! [`check`] builds a [`RuleContext`] once per object — its pod spec, its containers and each
//! container's [`context::EffectiveContext`] — and hands it to every rule of
//! [`registry::RULES`]. Rules do no I/O and never re-resolve what the context already holds;
//! each finding is placed (file, line, column, object) as it is reported.

pub mod context;
pub mod registry;
mod rule_context;
mod rules;
mod support;
#[cfg(test)]
mod testing;

use rampart_manifest::Object;
use rampart_model::{Finding, RuleMeta};
use rayon::prelude::*;

pub use rule_context::{Container, ObjectIndex, PodContext, RuleContext, Sink};

/// Every workload rule's metadata, in registry order.
pub fn rules() -> Vec<&'static RuleMeta> {
    registry::RULES.iter().map(|r| r.meta).collect()
}

/// Findings of every workload rule over `objects`, placed, in object order and within an
/// object by line, column and rule id.
pub fn check(objects: &[Object]) -> Vec<Finding> {
    let index = ObjectIndex::build(objects);
    let per_object: Vec<Vec<Finding>> = objects
        .par_iter()
        .with_min_len(64)
        .map(|o| check_object(o, &index))
        .collect();
    per_object.into_iter().flatten().collect()
}

/// Findings of every workload rule over one object; `index` holds facts about its neighbours.
pub fn check_object(object: &Object, index: &ObjectIndex) -> Vec<Finding> {
    let ctx = RuleContext::new(object, index);
    let mut sink = Sink::new(object);
    for rule in registry::RULES {
        (rule.check)(&ctx, &mut sink);
    }
    let mut findings = sink.into_findings();
    findings.sort_by(|a, b| (a.line, a.column, &a.rule).cmp(&(b.line, b.column, &b.rule)));
    findings
}

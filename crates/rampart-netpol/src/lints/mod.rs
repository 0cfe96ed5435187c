//! Network lints for `rampart scan` (category `network`, ids RMP4001…): gaps in a cluster's
//! isolation, over-broad rules and policies that cannot do what they say. One rule per file,
//! its metadata beside its logic.
//!
//! Lints that need pods (selection, labels, named ports, DNS) only run when the input holds
//! pods or workloads; namespace-wide lints fire once per namespace, at its first workload, so
//! an ordinary scan is not flooded.

mod context;
mod rmp4001_no_default_deny_ingress;
mod rmp4002_no_default_deny_egress;
mod rmp4003_workload_not_selected;
mod rmp4004_rule_allows_all;
mod rmp4005_egress_to_any_address;
mod rmp4006_policy_selects_nothing;
mod rmp4007_selector_label_unknown;
mod rmp4008_egress_without_dns;
mod rmp4009_admin_overrides_deny;
mod rmp4010_named_port_not_exposed;
mod rmp4011_invalid_policy;

use rampart_manifest::Object;
use rampart_model::{Finding, RuleMeta};

pub use context::Ctx;

type Check = fn(&Ctx<'_>, &mut Vec<Finding>);

const RULES: [(&RuleMeta, Check); 11] = [
    (
        &rmp4001_no_default_deny_ingress::META,
        rmp4001_no_default_deny_ingress::check,
    ),
    (
        &rmp4002_no_default_deny_egress::META,
        rmp4002_no_default_deny_egress::check,
    ),
    (
        &rmp4003_workload_not_selected::META,
        rmp4003_workload_not_selected::check,
    ),
    (
        &rmp4004_rule_allows_all::META,
        rmp4004_rule_allows_all::check,
    ),
    (
        &rmp4005_egress_to_any_address::META,
        rmp4005_egress_to_any_address::check,
    ),
    (
        &rmp4006_policy_selects_nothing::META,
        rmp4006_policy_selects_nothing::check,
    ),
    (
        &rmp4007_selector_label_unknown::META,
        rmp4007_selector_label_unknown::check,
    ),
    (
        &rmp4008_egress_without_dns::META,
        rmp4008_egress_without_dns::check,
    ),
    (
        &rmp4009_admin_overrides_deny::META,
        rmp4009_admin_overrides_deny::check,
    ),
    (
        &rmp4010_named_port_not_exposed::META,
        rmp4010_named_port_not_exposed::check,
    ),
    (&rmp4011_invalid_policy::META, rmp4011_invalid_policy::check),
];

/// Every network rule, in id order.
pub fn rules() -> Vec<&'static RuleMeta> {
    RULES.iter().map(|(m, _)| *m).collect()
}

/// Runs every network lint over `objects`; findings are placed (file, line, column).
pub fn run(objects: &[Object]) -> Vec<Finding> {
    let ctx = Ctx::new(objects);
    if !ctx.relevant() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (_, check) in RULES {
        check(&ctx, &mut out);
    }
    out
}

//! Opt-in Rampart workload rules (`rampart-rules`) on admitted objects. A `deny` finding
//! rejects a Pod (403); on workload templates every acted-on finding is only a warning, as PSA
//! treats templates. Every acted-on finding is also recorded in the `rampart-violations` audit
//! annotation.

use rampart_model::Finding;
use rampart_rules::ObjectIndex;

use crate::config::{Action, RuleActions};
use crate::review::{Outcome, ReviewRequest, Status};

/// Runs the rules over the request's object and folds their actions into `out`.
pub(crate) fn apply(actions: &RuleActions, r: &ReviewRequest, is_pod: bool, out: &mut Outcome) {
    let findings = findings(r);
    let mut deny = Vec::new();
    let mut recorded = Vec::new();
    for f in &findings {
        let Some(action) = actions.action(&f.rule, f.severity) else {
            continue;
        };
        let line = describe(f);
        recorded.push(line.clone());
        if action == Action::Deny && is_pod {
            deny.push(line);
        } else {
            out.warnings.push(format!("Rampart {line}"));
        }
    }
    if recorded.is_empty() {
        return;
    }
    out.annotations
        .push(("rampart-violations".to_string(), recorded.join("; ")));
    if !deny.is_empty() {
        let subject = if r.name.is_empty() {
            "pods is forbidden".to_string()
        } else {
            format!("pods {:?} is forbidden", r.name)
        };
        out.allowed = false;
        out.status = Some(
            Status::failure(
                403,
                format!("{subject}: violates Rampart rules: {}", deny.join("; ")),
            )
            .with_details(&r.name, "pods"),
        );
        // Warnings are never added to a denied request.
        out.warnings.clear();
    }
}

/// `RMP1001 run-as-root (container "app"): message`.
fn describe(f: &Finding) -> String {
    match &f.container {
        Some(c) => format!("{} {} (container {c:?}): {}", f.rule, f.name, f.message),
        None => format!("{} {}: {}", f.rule, f.name, f.message),
    }
}

/// The findings of every workload rule on the object. The object is re-read through the
/// manifest loader so rules see it exactly as `rampart scan` would.
fn findings(r: &ReviewRequest) -> Vec<Finding> {
    let Some(text) = r.raw_object().map(str::to_string) else {
        return Vec::new();
    };
    let (_, objects, _) = rampart_manifest::load_text("admission-request.json", text);
    let index = ObjectIndex::build(&objects);
    objects
        .iter()
        .flat_map(|o| rampart_rules::check_object(o, &index))
        .collect()
}

//! Resource requests and limits, and the probes long-running containers should have.

use rampart_model::RuleMeta;
use serde_json::Value;

use crate::rule_context::{RuleContext, Sink};

fn has(v: Option<&Value>, section: &str, resource: &str) -> bool {
    v.and_then(|r| r.get(section))
        .and_then(|s| s.get(resource))
        .is_some_and(|q| !q.is_null())
}

/// Reports containers without `resources.<section>.<resource>`.
///
/// Ephemeral containers cannot have resources. Pod-level resources (`spec.resources`) cover
/// every container. A missing request defaults to the limit, so a set limit satisfies it.
pub fn report_missing(
    ctx: &RuleContext<'_>,
    out: &mut Sink<'_>,
    rule: &'static RuleMeta,
    section: &str,
    resource: &str,
) {
    let Some(pod) = &ctx.pod else { return };
    if has(pod.get("resources"), section, resource) {
        return;
    }
    for c in pod.containers.iter().filter(|c| !c.is_ephemeral()) {
        let res = c.get("resources");
        if has(res, section, resource) || (section == "requests" && has(res, "limits", resource)) {
            continue;
        }
        let path = c.path.key("resources").key(section).key(resource);
        let msg = format!(
            "{} has no {resource} {}",
            c.label(),
            &section[..section.len() - 1]
        );
        out.report_in(rule, c, msg, path);
    }
}

/// Reports regular containers of long-running pods without `probe`.
///
/// Init containers run to completion and ephemeral containers cannot have probes; Jobs,
/// CronJobs and pods that are not restarted are not long-running.
pub fn report_missing_probe(
    ctx: &RuleContext<'_>,
    out: &mut Sink<'_>,
    rule: &'static RuleMeta,
    probe: &str,
) {
    let Some(pod) = &ctx.pod else { return };
    if matches!(ctx.kind(), "Job" | "CronJob")
        || ctx
            .json()
            .get("spec")
            .is_some_and(|s| s.get("jobTemplate").is_some())
    {
        return;
    }
    if pod
        .get("restartPolicy")
        .and_then(Value::as_str)
        .is_some_and(|p| p != "Always")
    {
        return;
    }
    for c in pod.containers.iter().filter(|c| c.is_regular()) {
        if c.get(probe).is_none() {
            let msg = format!("{} has no {probe}", c.label());
            out.report_in(rule, c, msg, c.path.key(probe));
        }
    }
}

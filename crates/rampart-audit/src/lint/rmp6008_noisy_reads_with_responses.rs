//! RMP6008: reads or Events logged with full response bodies.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::PolicyCtx;
use crate::analysis::{describe, API_GROUP, KIND, RESOURCE, RESOURCE_REQUEST, VERB};
use crate::policy::Level;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6008",
    name: "audit-noisy-reads-with-responses",
    title: "Audit policy logs reads or Events at RequestResponse",
    severity: Severity::Low,
    category: Category::Audit,
    mitre: &[],
    what: "Reports rules that decide `get`, `list` or `watch` requests, or `events`, at \
           `RequestResponse`.",
    why: "Every list response body, every watched object and every Event is then copied \
          into the log: volume grows with the size of the cluster's objects, drowning the \
          writes that matter and often the log pipeline itself.",
    fix: "Log reads and Events at `Metadata` (or `None` for high-volume system reads) and \
          keep `RequestResponse` for writes to sensitive resources.",
    example: "rules:\n- level: RequestResponse\n  verbs: [get, list, watch]",
    references: &["https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy"],
};

pub(crate) fn check(p: &PolicyCtx<'_>) -> Vec<Finding> {
    let s = &p.an.space;
    let reads = s.restrict(s.full(), VERB, &["get", "list", "watch"]);
    let events = s.restrict(s.full(), KIND, &[RESOURCE_REQUEST]);
    let events = s.restrict(events, API_GROUP, &["", "events.k8s.io"]);
    let events = s.restrict(events, RESOURCE, &["events"]);
    p.deciders(&[reads, events], |l| l == Level::RequestResponse)
        .into_iter()
        .map(|(i, req)| {
            p.finding(
                &META,
                &format!("rules[{i}]"),
                format!(
                    "rule {i} logs reads or Events with their responses (e.g. `{}`), \
                     multiplying log volume",
                    describe(&req)
                ),
            )
        })
        .collect()
}

//! RMP6007: the only event that records a request's outcome is dropped.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::PolicyCtx;
use crate::analysis::{describe, SUB, VERB};
use crate::policy::{Level, Stage};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6007",
    name: "audit-response-complete-omitted",
    title: "Audit policy omits the ResponseComplete stage",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1562.008"],
    what: "Reports `ResponseComplete` in the policy-level `omitStages` (it then applies to \
           every rule, with no way for a rule to take it back), or in a rule's `omitStages` \
           when the rule decides requests that are not long-running (anything but watch, \
           exec, attach, port-forward and proxy).",
    why: "ResponseComplete is the only event with the response code: without it nobody can \
          tell a forbidden attempt from a success, and most detections have nothing to \
          read.",
    fix: "Remove `ResponseComplete` from `omitStages`; omit `RequestReceived` (and \
          `ResponseStarted` for long-running requests) instead.",
    example: "omitStages: [ResponseComplete]",
    references: &["https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy"],
};

const LONG_RUNNING_SUBS: [&str; 4] = ["exec", "attach", "portforward", "proxy"];

fn stage_index(list: Option<&serde_json::Value>) -> usize {
    list.and_then(serde_json::Value::as_array)
        .and_then(|a| {
            a.iter()
                .position(|s| s.as_str() == Some("ResponseComplete"))
        })
        .unwrap_or(0)
}

pub(crate) fn check(p: &PolicyCtx<'_>) -> Vec<Finding> {
    if p.policy.omit_stages.contains(Stage::ResponseComplete) {
        let k = stage_index(p.obj.json.get("omitStages"));
        return vec![p.finding(
            &META,
            &format!("omitStages[{k}]"),
            "ResponseComplete is omitted for every request: the response codes are lost"
                .to_string(),
        )];
    }
    let s = &p.an.space;
    let mut short = s.full();
    short[VERB] = short[VERB].minus(&s.set_where(VERB, |v| v == "watch"));
    short[SUB] = short[SUB].minus(&s.set_where(SUB, |x| LONG_RUNNING_SUBS.contains(&x)));
    let mut out = Vec::new();
    for (i, rule) in p.policy.rules.iter().enumerate() {
        if rule.level == Level::None || !rule.omit_stages.contains(Stage::ResponseComplete) {
            continue;
        }
        let Some(req) = p.an.decides(i, &short) else {
            continue;
        };
        let k = stage_index(p.obj.json.pointer(&format!("/rules/{i}/omitStages")));
        out.push(p.finding(
            &META,
            &format!("rules[{i}].omitStages[{k}]"),
            format!(
                "rule {i} omits ResponseComplete for requests that are not long-running \
                 (e.g. `{}`): their response codes are lost",
                describe(&req)
            ),
        ));
    }
    out
}

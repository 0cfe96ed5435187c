//! RMP6002: bearer tokens under review or freshly minted are written to the audit log.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::PolicyCtx;
use crate::analysis::describe;
use crate::policy::Level;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6002",
    name: "audit-token-bodies-logged",
    title: "Audit policy logs TokenReview or TokenRequest bodies",
    severity: Severity::High,
    category: Category::Audit,
    mitre: &["T1528"],
    what: "Finds the rules that decide `tokenreviews` (authentication.k8s.io) at `Request` \
           or above, or `serviceaccounts/token` at `RequestResponse`.",
    why: "A TokenReview's request carries the bearer token being checked; a TokenRequest's \
          response is a freshly minted token. Logged with bodies, working credentials sit \
          in the audit log.",
    fix: "Add `- level: Metadata` for `{group: authentication.k8s.io, resources: \
          [tokenreviews]}` and `{group: \"\", resources: [serviceaccounts/token]}` before \
          broader rules.",
    example: "rules:\n- level: RequestResponse\n  resources:\n  - group: authentication.k8s.io",
    references: &[
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy",
        "https://attack.mitre.org/techniques/T1528/",
    ],
};

pub(crate) fn check(p: &PolicyCtx<'_>) -> Vec<Finding> {
    let reviews = p.class("authentication.k8s.io", &["tokenreviews"], "", &["create"]);
    let tokens = p.class("", &["serviceaccounts"], "token", &["create"]);
    let mut hits: Vec<(usize, String, &str)> = p
        .deciders(&[reviews], |l| l >= Level::Request)
        .into_iter()
        .map(|(i, r)| (i, describe(&r), "the token under review"))
        .collect();
    for (i, r) in p.deciders(&[tokens], |l| l == Level::RequestResponse) {
        hits.push((i, describe(&r), "the minted token"));
    }
    hits.sort_by_key(|h| h.0);
    hits.dedup_by_key(|h| h.0);
    hits.into_iter()
        .map(|(i, example, what)| {
            p.finding(
                &META,
                &format!("rules[{i}]"),
                format!(
                    "rule {i} logs `{example}` at {}, which records {what}",
                    p.policy.rules[i].level
                ),
            )
        })
        .collect()
}

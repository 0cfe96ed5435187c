//! Lints over audit policies and the API server's audit flags (category `audit`), reported by
//! `rampart scan` and `rampart audit lint`. One file per rule, metadata next to logic.
//!
//! Policy rules reason about *effective* decisions: which requests a rule actually decides
//! given the rules before it ([`crate::analysis`]), so a Secrets rule hidden behind a broad
//! one counts as what it is, unreachable, and the broad rule as what leaks.

mod apiserver;
mod rmp6001_secret_bodies_logged;
mod rmp6002_token_bodies_logged;
mod rmp6003_no_catch_all;
mod rmp6004_rule_shadowed;
mod rmp6005_resource_group_mismatch;
mod rmp6006_request_received_kept;
mod rmp6007_response_complete_omitted;
mod rmp6008_noisy_reads_with_responses;
mod rmp6009_url_prefix_too_broad;
mod rmp6010_evidence_silenced;
mod rmp6011_apiserver_audit_not_configured;
mod rmp6012_apiserver_audit_log_retention;
mod rmp6013_detection_bodies_missing;

use rampart_manifest::Object;
use rampart_model::{Finding, JsonPath, RuleMeta};

use crate::analysis::{Analysis, Cube, API_GROUP, KIND, RESOURCE, RESOURCE_REQUEST, SUB, VERB};
use crate::policy::{is_policy, parse_policy, Level, Policy, Request};

/// A parsed policy, its analysis and where it came from.
pub(crate) struct PolicyCtx<'a> {
    pub(crate) obj: &'a Object,
    pub(crate) policy: &'a Policy,
    pub(crate) an: &'a Analysis,
}

impl PolicyCtx<'_> {
    /// A finding of `meta` at `path` in this policy, placed.
    pub(crate) fn finding(&self, meta: &'static RuleMeta, path: &str, message: String) -> Finding {
        place(self.obj, meta, path, message)
    }

    /// The cubes of requests to `resources` of `group` (with subresource `sub`, `""` for
    /// none) by one of `verbs` (all verbs when empty).
    pub(crate) fn class(&self, group: &str, resources: &[&str], sub: &str, verbs: &[&str]) -> Cube {
        let s = &self.an.space;
        let mut c = s.restrict(s.full(), KIND, &[RESOURCE_REQUEST]);
        c = s.restrict(c, API_GROUP, &[group]);
        c = s.restrict(c, RESOURCE, resources);
        c = s.restrict(c, SUB, &[sub]);
        if !verbs.is_empty() {
            c = s.restrict(c, VERB, verbs);
        }
        c
    }

    /// For every rule whose level satisfies `level`, a request of one of `classes` it decides.
    pub(crate) fn deciders(
        &self,
        classes: &[Cube],
        level: impl Fn(Level) -> bool,
    ) -> Vec<(usize, Request)> {
        self.policy
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| level(r.level))
            .filter_map(|(i, _)| {
                classes
                    .iter()
                    .find_map(|c| self.an.decides(i, c))
                    .map(|req| (i, req))
            })
            .collect()
    }
}

pub(crate) fn place(obj: &Object, meta: &'static RuleMeta, path: &str, message: String) -> Finding {
    let mut f = Finding::new(meta, message).at(JsonPath::parse(path));
    obj.place(&mut f);
    f
}

type PolicyLint = fn(&PolicyCtx<'_>) -> Vec<Finding>;
type ObjectLint = fn(&Object) -> Vec<Finding>;

struct Lint {
    meta: &'static RuleMeta,
    policy: Option<PolicyLint>,
    object: Option<ObjectLint>,
}

macro_rules! policy_lints {
    ($($m:ident),* $(,)?) => { [$(Lint { meta: &$m::META, policy: Some($m::check), object: None }),*] };
}

fn lints() -> Vec<Lint> {
    let mut all: Vec<Lint> = policy_lints!(
        rmp6001_secret_bodies_logged,
        rmp6002_token_bodies_logged,
        rmp6003_no_catch_all,
        rmp6004_rule_shadowed,
        rmp6005_resource_group_mismatch,
        rmp6006_request_received_kept,
        rmp6007_response_complete_omitted,
        rmp6008_noisy_reads_with_responses,
        rmp6009_url_prefix_too_broad,
        rmp6010_evidence_silenced,
    )
    .into_iter()
    .collect();
    all.push(Lint {
        meta: &rmp6011_apiserver_audit_not_configured::META,
        policy: None,
        object: Some(rmp6011_apiserver_audit_not_configured::check),
    });
    all.push(Lint {
        meta: &rmp6012_apiserver_audit_log_retention::META,
        policy: None,
        object: Some(rmp6012_apiserver_audit_log_retention::check),
    });
    all.push(Lint {
        meta: &rmp6013_detection_bodies_missing::META,
        policy: Some(rmp6013_detection_bodies_missing::check),
        object: None,
    });
    all
}

/// Metadata of every lint, in id order.
pub fn metas() -> Vec<&'static RuleMeta> {
    let mut m: Vec<_> = lints().iter().map(|l| l.meta).collect();
    m.sort_by_key(|r| r.id);
    m
}

/// Findings for every Policy and kube-apiserver manifest among `objects`, placed. A Policy
/// that does not parse gets no lint findings (`rampart audit eval` reports why).
pub fn lint_objects(objects: &[Object]) -> Vec<Finding> {
    let lints = lints();
    let mut out = Vec::new();
    for obj in objects {
        if is_policy(&obj.json) {
            let Ok(policy) = parse_policy(&obj.json) else {
                continue;
            };
            let an = Analysis::new(&policy);
            let ctx = PolicyCtx {
                obj,
                policy: &policy,
                an: &an,
            };
            for l in &lints {
                if let Some(check) = l.policy {
                    out.extend(check(&ctx));
                }
            }
        } else if apiserver::is_apiserver_pod(obj) {
            for l in &lints {
                if let Some(check) = l.object {
                    out.extend(check(obj));
                }
            }
        }
    }
    out
}

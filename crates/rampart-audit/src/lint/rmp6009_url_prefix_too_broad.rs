//! RMP6009: a `nonResourceURLs` prefix that also matches unrelated endpoints.

use rampart_model::{Category, Finding, RuleMeta, Severity};

use super::PolicyCtx;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "RMP6009",
    name: "audit-url-prefix-too-broad",
    title: "Audit policy URL prefix matches other endpoints",
    severity: Severity::Low,
    category: Category::Audit,
    mitre: &[],
    what: "Reports a `nonResourceURLs` entry ending in `*` whose prefix does not end in `/` \
           and also matches another well-known endpoint: `/api*` matches `/apis/…`, `/l*` \
           matches `/livez` and `/logs`.",
    why: "The trailing `*` is a plain string prefix, not a path segment wildcard: the rule \
          silently decides requests it was not written for.",
    fix: "End the prefix at a segment boundary (`/api/*` and an exact `/api`), or list each \
          endpoint.",
    example: "rules:\n- level: None\n  nonResourceURLs: [\"/api*\"]",
    references: &["https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy"],
};

const ENDPOINTS: [&str; 13] = [
    "/api",
    "/apis",
    "/healthz",
    "/livez",
    "/readyz",
    "/version",
    "/metrics",
    "/logs",
    "/openapi",
    "/openid",
    "/.well-known",
    "/debug",
    "/flowcontrol",
];

/// Well-known endpoints that `prefix` reaches beyond the path it spells.
fn surprises(prefix: &str) -> Vec<&'static str> {
    if prefix.is_empty() || prefix.ends_with('/') {
        return Vec::new();
    }
    ENDPOINTS
        .into_iter()
        .filter(|e| e.starts_with(prefix) && *e != prefix && !e[prefix.len()..].starts_with('/'))
        .collect()
}

pub(crate) fn check(p: &PolicyCtx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, rule) in p.policy.rules.iter().enumerate() {
        for (k, url) in rule.non_resource_urls.iter().enumerate() {
            if !url.ends_with('*') {
                continue;
            }
            let also = surprises(url.trim_end_matches('*'));
            if also.is_empty() {
                continue;
            }
            out.push(p.finding(
                &META,
                &format!("rules[{i}].nonResourceURLs[{k}]"),
                format!(
                    "`{url}` is a plain string prefix: it also matches {}",
                    also.join(", ")
                ),
            ));
        }
    }
    out
}

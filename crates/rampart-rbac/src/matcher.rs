//! Does one rule allow one request? The four (or two) checks of the RBAC authorizer, each an
//! exact, case-sensitive comparison with `*` as the only wildcard.

use crate::model::PolicyRule;
use crate::request::{Request, ResourceRequest};

const ALL: &str = "*";

/// `verbs` contains `*` or the verb. A request for the literal verb `*` therefore matches
/// only a rule that lists `*`.
pub fn verb_matches(rule: &PolicyRule, verb: &str) -> bool {
    rule.verbs.iter().any(|v| v == ALL || v == verb)
}

/// `apiGroups` contains `*` or the group (`""` is the core group only).
pub fn group_matches(rule: &PolicyRule, group: &str) -> bool {
    rule.api_groups.iter().any(|g| g == ALL || g == group)
}

/// `resources` contains `*`, the combined `resource[/subresource]`, or `*/subresource`.
/// There is no `resource/*` form: such an entry only matches a request spelling it literally.
pub fn resource_matches(rule: &PolicyRule, resource: &str, subresource: &str) -> bool {
    rule.resources.iter().any(|r| {
        if r == ALL {
            return true;
        }
        if subresource.is_empty() {
            return r == resource;
        }
        let combined = r.len() == resource.len() + 1 + subresource.len()
            && r.starts_with(resource)
            && r.as_bytes().get(resource.len()) == Some(&b'/')
            && r.ends_with(subresource);
        combined || r.strip_prefix("*/") == Some(subresource)
    })
}

/// `resourceNames` is empty or contains the name. A request without a name is compared as
/// the empty string, so it never matches a list of real names.
pub fn name_matches(rule: &PolicyRule, name: &str) -> bool {
    rule.resource_names.is_empty() || rule.resource_names.iter().any(|n| n == name)
}

/// `nonResourceURLs` contains `*`, the path, or an entry ending in `*` whose text before its
/// trailing `*`s is a plain prefix of the path.
pub fn url_matches(rule: &PolicyRule, path: &str) -> bool {
    rule.non_resource_urls.iter().any(|u| {
        u == ALL || u == path || (u.ends_with('*') && path.starts_with(u.trim_end_matches('*')))
    })
}

/// Whether `rule` allows a resource request.
pub fn allows_resource(rule: &PolicyRule, r: &ResourceRequest) -> bool {
    verb_matches(rule, &r.verb)
        && group_matches(rule, &r.api_group)
        && resource_matches(rule, &r.resource, &r.subresource)
        && name_matches(rule, &r.name)
}

/// Whether `rule` allows the request.
pub fn allows(rule: &PolicyRule, req: &Request) -> bool {
    match req {
        Request::Resource(r) => allows_resource(rule, r),
        Request::NonResource { verb, path } => verb_matches(rule, verb) && url_matches(rule, path),
    }
}

/// For capability analysis: the names a rule grants `verb` on `group`/`resource[/sub]` for —
/// `Some(&[])` for every name, `Some(names)` for those only, `None` when it grants nothing.
pub fn names_granted<'r>(
    rule: &'r PolicyRule,
    verb: &str,
    group: &str,
    resource: &str,
    subresource: &str,
) -> Option<&'r [String]> {
    (verb_matches(rule, verb)
        && group_matches(rule, group)
        && resource_matches(rule, resource, subresource))
    .then_some(rule.resource_names.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(verbs: &[&str], groups: &[&str], res: &[&str], names: &[&str]) -> PolicyRule {
        let v = |x: &[&str]| x.iter().map(|s| (*s).to_string()).collect();
        PolicyRule {
            verbs: v(verbs),
            api_groups: v(groups),
            resources: v(res),
            resource_names: v(names),
            non_resource_urls: Vec::new(),
        }
    }

    #[test]
    fn subresource_forms() {
        let r = rule(&["get"], &[""], &["pods/log", "*/scale", "pods/*"], &[]);
        assert!(resource_matches(&r, "pods", "log"));
        assert!(resource_matches(&r, "deployments", "scale"));
        assert!(!resource_matches(&r, "pods", ""));
        assert!(!resource_matches(&r, "pods", "exec"));
        assert!(!resource_matches(&r, "podsx", "log"));
        let star = rule(&["get"], &[""], &["*"], &[]);
        assert!(resource_matches(&star, "pods", "exec"));
    }

    #[test]
    fn urls_use_plain_prefixes() {
        let mut r = rule(&["get"], &[], &[], &[]);
        r.non_resource_urls = vec!["/apis/*".into(), "/healthz*".into(), "/api/*/*".into()];
        assert!(url_matches(&r, "/apis/v1"));
        assert!(!url_matches(&r, "/apis"));
        assert!(url_matches(&r, "/healthzmetrics"));
        assert!(url_matches(&r, "/healthz"));
        assert!(!url_matches(&r, "/api/v1"));
        assert!(url_matches(&r, "/api/*/x"));
    }

    #[test]
    fn names_and_verbs_are_literal() {
        let r = rule(&["get", "list"], &[""], &["configmaps"], &["a"]);
        assert!(name_matches(&r, "a"));
        assert!(!name_matches(&r, ""));
        assert!(!verb_matches(&r, "*"));
        assert!(!verb_matches(&r, "GET"));
        assert_eq!(
            names_granted(&r, "get", "", "configmaps", "").map(<[String]>::len),
            Some(1)
        );
    }
}

//! Policy evaluation, line for line the semantics of kube-apiserver's audit policy checker:
//! rules are tried in order and the first whose every stated field matches decides.

use super::{GroupResources, Level, Policy, PolicyRule, StageSet};

/// What a request is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A resource request. Empty strings are absent attributes: the core group, no
    /// subresource, no namespace (cluster-scoped, or across all namespaces), no name.
    Resource {
        api_group: String,
        resource: String,
        subresource: String,
        namespace: String,
        name: String,
    },
    /// A non-resource request such as `GET /healthz`.
    NonResource { path: String },
}

/// The request attributes a policy looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub user: String,
    /// Exactly the groups of the request; nothing is implied.
    pub groups: Vec<String>,
    pub verb: String,
    pub target: Target,
}

/// What the policy decides for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub level: Level,
    /// Policy-level stages ∪ the matching rule's.
    pub omit_stages: StageSet,
    /// 0-based index of the matching rule.
    pub rule: Option<usize>,
    /// The rule's setting when it has one, else the policy's.
    pub omit_managed_fields: bool,
}

impl Policy {
    /// Evaluates the policy for `req`: first match wins; no match is level `None`.
    pub fn evaluate(&self, req: &Request) -> Decision {
        match self.rules.iter().position(|r| r.matches(req)) {
            Some(i) => {
                let rule = &self.rules[i];
                Decision {
                    level: rule.level,
                    omit_stages: self.omit_stages.union(rule.omit_stages),
                    rule: Some(i),
                    omit_managed_fields: rule
                        .omit_managed_fields
                        .unwrap_or(self.omit_managed_fields),
                }
            }
            None => Decision {
                level: Level::None,
                omit_stages: self.omit_stages,
                rule: None,
                omit_managed_fields: self.omit_managed_fields,
            },
        }
    }
}

fn listed(list: &[String], value: &str) -> bool {
    list.iter().any(|v| v == value)
}

impl PolicyRule {
    /// True when every field the rule states matches `req`.
    pub fn matches(&self, req: &Request) -> bool {
        if !self.users.is_empty() && !listed(&self.users, &req.user) {
            return false;
        }
        if !self.user_groups.is_empty() && !req.groups.iter().any(|g| listed(&self.user_groups, g))
        {
            return false;
        }
        if !self.verbs.is_empty() && !listed(&self.verbs, &req.verb) {
            return false;
        }
        // A rule that names namespaces or resources is about resource requests only, even
        // when it also lists nonResourceURLs (the API server checks them in this order).
        if !self.namespaces.is_empty() || !self.resources.is_empty() {
            return self.matches_resource(&req.target);
        }
        if !self.non_resource_urls.is_empty() {
            return match &req.target {
                Target::NonResource { path } => self
                    .non_resource_urls
                    .iter()
                    .any(|spec| path_matches(path, spec)),
                Target::Resource { .. } => false,
            };
        }
        true
    }

    fn matches_resource(&self, target: &Target) -> bool {
        let Target::Resource {
            api_group,
            resource,
            subresource,
            namespace,
            name,
        } = target
        else {
            return false;
        };
        if !self.namespaces.is_empty() && !listed(&self.namespaces, namespace) {
            return false;
        }
        if self.resources.is_empty() {
            return true;
        }
        self.resources
            .iter()
            .any(|gr| gr.matches(api_group, resource, subresource, name))
    }
}

impl GroupResources {
    /// The API server's resource matching for one entry.
    pub fn matches(&self, api_group: &str, resource: &str, subresource: &str, name: &str) -> bool {
        if self.group != api_group && self.group != "*" {
            return false;
        }
        if self.resources.is_empty() {
            return true;
        }
        if !self.resource_names.is_empty() && !listed(&self.resource_names, name) {
            return false;
        }
        self.resources
            .iter()
            .any(|pattern| pattern_matches(pattern, resource, subresource))
    }
}

/// `pods`, `pods/log`, `*/scale`, `pods/*`, `*`, with the API server's exact string rules
/// (including its trimming of every leading `*`/`/` and trailing `/`/`*`).
pub(crate) fn pattern_matches(pattern: &str, resource: &str, subresource: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let combined_matches = if subresource.is_empty() {
        pattern == resource
    } else {
        pattern.len() == resource.len() + 1 + subresource.len()
            && pattern.starts_with(resource)
            && pattern[resource.len()..].starts_with('/')
            && pattern.ends_with(subresource)
    };
    if combined_matches {
        return true;
    }
    if !subresource.is_empty()
        && pattern.starts_with("*/")
        && pattern.trim_start_matches(['*', '/']) == subresource
    {
        return true;
    }
    pattern.ends_with("/*") && pattern.trim_end_matches(['/', '*']) == resource
}

/// `*`, an exact path, or a trailing-`*` plain string prefix.
pub(crate) fn path_matches(path: &str, spec: &str) -> bool {
    if spec == "*" || spec == path {
        return true;
    }
    spec.ends_with('*') && path.starts_with(spec.trim_end_matches('*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_patterns_follow_the_api_server() {
        assert!(pattern_matches("pods", "pods", ""));
        assert!(!pattern_matches("pods", "pods", "log"));
        assert!(pattern_matches("pods/log", "pods", "log"));
        assert!(!pattern_matches("pods/log", "pods", ""));
        assert!(pattern_matches("*/scale", "deployments", "scale"));
        assert!(!pattern_matches("*/scale", "deployments", ""));
        assert!(pattern_matches("pods/*", "pods", ""));
        assert!(pattern_matches("pods/*", "pods", "exec"));
        assert!(!pattern_matches("pods/*", "podsx", "exec"));
        assert!(pattern_matches("*", "anything", "sub"));
        assert!(!pattern_matches("*/*", "pods", "log"));
    }

    #[test]
    fn path_prefixes_are_plain_strings() {
        assert!(path_matches("/apis/apps", "/api*"));
        assert!(path_matches("/healthzfoo", "/healthz*"));
        assert!(!path_matches("/logs", "/logs/*"));
        assert!(path_matches("/x", "*"));
        assert!(path_matches("/version", "/version"));
        assert!(!path_matches("/version/", "/version"));
    }
}

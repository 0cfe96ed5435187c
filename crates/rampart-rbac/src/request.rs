//! The request attributes the authorizer sees, built from a query exactly as written.
//!
//! `TARGET` is a non-resource URL (starts with `/`) or `RESOURCE[.GROUP][/NAME]`: split at the
//! first `/` into resource part and name (the name may contain `/` and `.`), then the resource
//! part at the first `.` into resource and API group (no `.` is the core group `""`).

use std::fmt;

/// What a query names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    NonResource(String),
    Resource {
        resource: String,
        group: String,
        name: String,
    },
}

impl Target {
    /// Parses a query target; never fails (every string is some target).
    pub fn parse(s: &str) -> Target {
        if s.starts_with('/') {
            return Target::NonResource(s.to_string());
        }
        let (res, name) = s.split_once('/').unwrap_or((s, ""));
        let (resource, group) = res.split_once('.').unwrap_or((res, ""));
        Target::Resource {
            resource: resource.to_string(),
            group: group.to_string(),
            name: name.to_string(),
        }
    }
}

/// A resource request (`GET /api/v1/namespaces/x/pods/y` and friends).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ResourceRequest {
    pub verb: String,
    pub api_group: String,
    pub resource: String,
    pub subresource: String,
    pub name: String,
    /// `""`: no namespace (cluster-scoped, or across all namespaces).
    pub namespace: String,
}

/// An authorization request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Request {
    Resource(ResourceRequest),
    NonResource { verb: String, path: String },
}

/// A query that cannot become a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("a non-resource URL takes no {0}")]
    NonResourceFlag(&'static str),
}

impl Request {
    /// Builds the request for `VERB TARGET [--subresource S] [-n NS]`.
    pub fn build(
        verb: &str,
        target: &str,
        subresource: Option<&str>,
        namespace: Option<&str>,
    ) -> Result<Request, RequestError> {
        match Target::parse(target) {
            Target::NonResource(path) => {
                if subresource.is_some() {
                    return Err(RequestError::NonResourceFlag("--subresource"));
                }
                if namespace.is_some() {
                    return Err(RequestError::NonResourceFlag("namespace (-n)"));
                }
                Ok(Request::NonResource {
                    verb: verb.to_string(),
                    path,
                })
            }
            Target::Resource {
                resource,
                group,
                name,
            } => Ok(Request::Resource(ResourceRequest {
                verb: verb.to_string(),
                api_group: group,
                resource,
                subresource: subresource.unwrap_or("").to_string(),
                name,
                namespace: namespace.unwrap_or("").to_string(),
            })),
        }
    }

    pub fn verb(&self) -> &str {
        match self {
            Request::Resource(r) => &r.verb,
            Request::NonResource { verb, .. } => verb,
        }
    }

    /// The request's namespace (`""` for none and for non-resource requests).
    pub fn namespace(&self) -> &str {
        match self {
            Request::Resource(r) => &r.namespace,
            Request::NonResource { .. } => "",
        }
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Request::NonResource { verb, path } => write!(f, "{verb} {path}"),
            Request::Resource(r) => {
                write!(f, "{} {}", r.verb, r.resource)?;
                if !r.api_group.is_empty() {
                    write!(f, ".{}", r.api_group)?;
                }
                if !r.name.is_empty() {
                    write!(f, "/{}", r.name)?;
                }
                if !r.subresource.is_empty() {
                    write!(f, " --subresource {}", r.subresource)?;
                }
                if !r.namespace.is_empty() {
                    write!(f, " -n {}", r.namespace)?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_splits_at_first_slash_then_first_dot() {
        assert_eq!(
            Target::parse("signers.certificates.k8s.io/kubernetes.io/kube-apiserver-client"),
            Target::Resource {
                resource: "signers".into(),
                group: "certificates.k8s.io".into(),
                name: "kubernetes.io/kube-apiserver-client".into()
            }
        );
        assert_eq!(
            Target::parse("pods"),
            Target::Resource {
                resource: "pods".into(),
                group: String::new(),
                name: String::new()
            }
        );
        assert_eq!(
            Target::parse("configmaps/a.b"),
            Target::Resource {
                resource: "configmaps".into(),
                group: String::new(),
                name: "a.b".into()
            }
        );
        assert_eq!(
            Target::parse("/healthz"),
            Target::NonResource("/healthz".into())
        );
    }

    #[test]
    fn non_resource_urls_reject_namespace_and_subresource() {
        assert!(Request::build("get", "/x", Some("s"), None).is_err());
        assert!(Request::build("get", "/x", None, Some("ns")).is_err());
        let r = Request::build("get", "pods/web", Some("log"), Some("ns"));
        assert_eq!(
            r.map(|r| r.to_string()).unwrap_or_default(),
            "get pods/web --subresource log -n ns"
        );
    }
}

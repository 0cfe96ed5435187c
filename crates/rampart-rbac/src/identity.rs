//! The identity a query runs as, built the way kube-apiserver's impersonation filter builds
//! it for `--as` / `--as-group`.

use serde::Serialize;

use crate::model::SA_PREFIX;

pub const AUTHENTICATED: &str = "system:authenticated";
pub const UNAUTHENTICATED: &str = "system:unauthenticated";
pub const ANONYMOUS: &str = "system:anonymous";
pub const SERVICE_ACCOUNTS: &str = "system:serviceaccounts";
pub const MASTERS: &str = "system:masters";

/// A user name and its groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub user: String,
    pub groups: Vec<String>,
}

impl Identity {
    /// `--as user [--as-group g]...`:
    /// 1. a service-account user without groups gets `system:serviceaccounts` and
    ///    `system:serviceaccounts:NS` (given groups replace them);
    /// 2. every user but `system:anonymous` gets `system:authenticated` unless the groups
    ///    already hold it or `system:unauthenticated`; `system:anonymous` gets
    ///    `system:unauthenticated` if missing.
    pub fn impersonate(user: &str, groups: &[String]) -> Identity {
        let mut out: Vec<String> = groups.to_vec();
        if groups.is_empty() {
            if let Some((ns, _)) = split_service_account(user) {
                out.push(SERVICE_ACCOUNTS.to_string());
                out.push(format!("{SERVICE_ACCOUNTS}:{ns}"));
            }
        }
        if user == ANONYMOUS {
            if !out.iter().any(|g| g == UNAUTHENTICATED) {
                out.push(UNAUTHENTICATED.to_string());
            }
        } else if !out
            .iter()
            .any(|g| g == AUTHENTICATED || g == UNAUTHENTICATED)
        {
            out.push(AUTHENTICATED.to_string());
        }
        Identity {
            user: user.to_string(),
            groups: out,
        }
    }

    /// The identity of service account `ns/name`, as its token authenticates it.
    pub fn service_account(namespace: &str, name: &str) -> Identity {
        Identity::impersonate(&format!("{SA_PREFIX}{namespace}:{name}"), &[])
    }
}

/// `system:serviceaccount:NS:NAME` → `(NS, NAME)`, with the validation kube-apiserver applies
/// (a DNS-1123 label namespace and a DNS-1123 subdomain name); anything else is a plain user.
pub fn split_service_account(user: &str) -> Option<(&str, &str)> {
    let rest = user.strip_prefix(SA_PREFIX)?;
    let mut parts = rest.split(':');
    let (ns, name) = (parts.next()?, parts.next()?);
    if parts.next().is_some() || !is_dns_label(ns) || !is_dns_subdomain(name) {
        return None;
    }
    Some((ns, name))
}

fn is_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(user: &str, g: &[&str]) -> Vec<String> {
        let g: Vec<String> = g.iter().map(|s| (*s).to_string()).collect();
        Identity::impersonate(user, &g).groups
    }

    #[test]
    fn builds_groups_like_the_impersonation_filter() {
        assert_eq!(groups("alice", &[]), ["system:authenticated"]);
        assert_eq!(
            groups("system:serviceaccount:ci:builder", &[]),
            [
                "system:serviceaccounts",
                "system:serviceaccounts:ci",
                "system:authenticated"
            ]
        );
        assert_eq!(
            groups("system:serviceaccount:ci:builder", &["developers"]),
            ["developers", "system:authenticated"]
        );
        assert_eq!(groups("system:anonymous", &[]), ["system:unauthenticated"]);
        assert_eq!(
            groups("bob", &["system:unauthenticated"]),
            ["system:unauthenticated"]
        );
        assert_eq!(
            groups("system:anonymous", &["system:authenticated"]),
            ["system:authenticated", "system:unauthenticated"]
        );
    }

    #[test]
    fn malformed_service_account_names_are_plain_users() {
        assert_eq!(
            split_service_account("system:serviceaccount:ci:b"),
            Some(("ci", "b"))
        );
        for u in [
            "system:serviceaccount:ci",
            "system:serviceaccount:ci:b:c",
            "system:serviceaccount:CI:b",
            "system:serviceaccount::b",
            "system:serviceaccount:ci:",
        ] {
            assert_eq!(split_service_account(u), None, "{u}");
            assert_eq!(groups(u, &[]), ["system:authenticated"]);
        }
    }
}

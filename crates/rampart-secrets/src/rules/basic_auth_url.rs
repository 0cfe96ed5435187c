//! `basic-auth-url`: a URL whose user-info carries a password (`scheme://user:password@host`).

use rampart_model::{Category, RuleMeta, Severity};

use crate::detect::placeholder;
use crate::family::{Family, Pattern, Verdict};

pub static META: RuleMeta = RuleMeta {
    id: "RMP5014",
    name: "basic-auth-url",
    title: "Password in a URL",
    severity: Severity::High,
    category: Category::Secrets,
    mitre: &["T1552.001"],
    what: "Finds URLs with a password in their user-info part (database, queue and git URLs). Placeholder and variable passwords are ignored; when the password is a known token format, that token's rule reports it instead.",
    why: "Connection URLs travel everywhere: logs, error pages, process listings and crash reports print them with the password.",
    fix: "Rotate the password, take it out of the URL, and pass it separately from a Secret (a secretKeyRef, or a mounted file the client reads).",
    example: "env:\n  - name: DATABASE_URL\n    value: postgres://app:Hk7vQ2xLm9Rt@db.shop.svc:5432/app\n",
    references: &["https://datatracker.ietf.org/doc/html/rfc3986#section-3.2.1"],
};

/// The password part of a `scheme://user:password@host` match.
pub fn password_of(m: &str) -> Option<&str> {
    let rest = &m[m.find("://")? + 3..];
    let at = rest.rfind('@')?;
    let userinfo = &rest[..at];
    let colon = userinfo.find(':')?;
    Some(&userinfo[colon + 1..])
}

fn real_password(m: &str) -> Verdict {
    match password_of(m) {
        Some(p) if !p.is_empty() && !placeholder::is_placeholder(p) && !p.starts_with('$') => {
            Verdict::Accept(None)
        }
        _ => Verdict::Reject,
    }
}

pub static PATTERNS: &[Pattern] = &[Pattern {
    family: Family::BasicAuthUrl,
    literals: &["://"],
    regex: r#"[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@"'\\<>{}]*:[^\s/@"'\\<>{}]+@[^\s/@"'\\<>{}]+"#,
    left_boundary: false,
    right_boundary: false,
    validate: real_password,
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_passwords() {
        assert_eq!(
            real_password("redis://:Hk7vQ2xLm9Rt@cache"),
            Verdict::Accept(None)
        );
        assert_eq!(real_password("mysql://root:changeme@db"), Verdict::Reject);
        assert_eq!(
            real_password("mysql://root:$(DB_PASSWORD)@db"),
            Verdict::Reject
        );
        assert_eq!(password_of("https://a:b@c"), Some("b"));
    }
}

//! Placeholders and references (`secrets.md` §5.5): values that look like a credential's slot
//! rather than a credential, and are never findings.

/// Words that stand for "no real value here", compared without case, `-`, `_` and spaces.
const WORDS: &[&str] = &[
    "changeme",
    "changeit",
    "password",
    "secret",
    "token",
    "example",
    "sample",
    "dummy",
    "test",
    "todo",
    "tbd",
    "fixme",
    "replace",
    "replaceme",
    "placeholder",
    "redacted",
    "none",
    "null",
    "nil",
    "undefined",
    "default",
];

/// References to a secret manager instead of a value.
const REF_PREFIXES: &[&str] = &[
    "ENC[",
    "vault:",
    "ref+",
    "op://",
    "akv://",
    "arn:aws:secretsmanager:",
    "arn:aws:ssm:",
    "sm://",
    "AGE-ENCRYPTED",
    "-----BEGIN AGE ENCRYPTED",
    "-----BEGIN PGP MESSAGE",
];

/// True for values that are a slot, a template or a reference (the general rules of §5.5,
/// which apply to every family).
pub fn is_placeholder(raw: &str) -> bool {
    let v = raw.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if v.is_empty() || repeated_or_mask(v) {
        return true;
    }
    let folded: String = v
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    if WORDS.contains(&folded.as_str()) {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if lower.starts_with("your-") || lower.starts_with("your_") || lower.starts_with("my-") {
        return true;
    }
    is_template(v)
        || is_reference(v)
        || documentation_example(v)
        || sequential(v)
        || dotted_sequential(v)
}

/// `abcdef.0123456789abcdef` (kubeadm's documentation token): filler in every dotted part.
fn dotted_sequential(v: &str) -> bool {
    v.contains('.') && v.split('.').all(sequential)
}

/// `xxxxxxxx`, `****`, `........`, a single character repeated.
fn repeated_or_mask(v: &str) -> bool {
    let mut chars = v.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    v.chars().all(|c| c == first)
        || v.chars()
            .all(|c| matches!(c, 'x' | 'X' | '*' | '.' | '#' | '-'))
}

/// Templates and variables: `<…>`, `{…}`, `${…}`, `$(…)`, `{{ … }}` anywhere, `%…%`, `@…@`,
/// `__…__`, `$VAR`.
pub fn is_template(v: &str) -> bool {
    let wrapped = |open: &str, close: &str| {
        v.len() > open.len() + close.len() && v.starts_with(open) && v.ends_with(close)
    };
    if v.contains("{{") || v.contains("${") || v.contains("$(") {
        return true;
    }
    // `{PASSWORD}`, `%PASSWORD%`, `@PASSWORD@`, `__PASSWORD__`: a name between the markers (a
    // JSON object or a sentence between braces is not a template).
    let name_inside = |open: &str, close: &str| {
        wrapped(open, close)
            && v[open.len()..v.len() - close.len()]
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
    };
    if name_inside("{", "}")
        || name_inside("%", "%")
        || name_inside("@", "@")
        || name_inside("__", "__")
    {
        return true;
    }
    // `<your-api-key>`, `<password here>`; not markup.
    if wrapped("<", ">") && !v[1..v.len() - 1].contains(['<', '>', '"', '=', '/']) {
        return true;
    }
    // `$VAR`, and Argo CD's `$secret:key` / `$dex.github.clientSecret` references.
    if let Some(name) = v.strip_prefix('$') {
        return !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'));
    }
    false
}

/// A pointer into a secret manager (`ENC[…]`, `vault:…`, `projects/*/secrets/*`, …).
pub fn is_reference(v: &str) -> bool {
    if REF_PREFIXES.iter().any(|p| v.starts_with(p)) {
        return true;
    }
    // Google Secret Manager resource names.
    if let Some(rest) = v.strip_prefix("projects/") {
        return rest.contains("/secrets/") && !rest.contains(char::is_whitespace);
    }
    false
}

/// AWS documentation examples end in `EXAMPLE` or `EXAMPLEKEY`.
fn documentation_example(v: &str) -> bool {
    v.ends_with("EXAMPLE") || v.ends_with("EXAMPLEKEY")
}

/// `abcdefgh…`, `0123456789…`, or two such runs: keyboard filler, not a secret.
fn sequential(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() < 6 || !b.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let breaks = b
        .windows(2)
        .filter(|w| {
            let next = w[0].to_ascii_lowercase() + 1;
            !(w[1].to_ascii_lowercase() == next || (w[0] == b'9' && w[1] == b'0'))
        })
        .count();
    breaks <= 1
}

/// A UUID (`8-4-4-4-12` hex).
pub fn is_uuid(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Values that keyword rules ignore on top of the general placeholders: paths, booleans,
/// numbers, and URLs without a password.
pub fn not_a_keyword_value(v: &str) -> bool {
    let v = v.trim();
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "enabled"
            | "disabled"
            | "required"
            | "optional"
    ) {
        return true;
    }
    if v.parse::<f64>().is_ok() {
        return true;
    }
    let path_like = (v.starts_with('/') || v.starts_with("./") || v.starts_with("~/"))
        && !v.contains(char::is_whitespace);
    if path_like || relative_file(v) || code_expression(v) {
        return true;
    }
    if let Some(i) = v.find("://") {
        let rest = &v[i + 3..];
        let authority = rest.split('/').next().unwrap_or("");
        // A URL whose user-info has no password is an address, not a credential.
        return !authority.contains('@')
            || !authority.split('@').next().unwrap_or("").contains(':');
    }
    false
}

/// `tests/certs/key.pem`: a relative path to a file with an extension.
fn relative_file(v: &str) -> bool {
    let Some((dir, file)) = v.rsplit_once('/') else {
        return false;
    };
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    !dir.is_empty()
        && (2..=5).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_lowercase())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'))
}

/// Code that reads the value from somewhere else: `os.environ["X"]`, `getenv("X")`,
/// `process.env.X`.
fn code_expression(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    ["environ", "getenv", "process.env", "env[", "env.get("]
        .iter()
        .any(|p| lower.contains(p))
}

/// `projects/p/zones/z/disks/d`, `registry.example.com/team/app`: a path of lower-case words,
/// not a random token (entropy rule only).
pub fn resource_path(v: &str) -> bool {
    let segments: Vec<&str> = v.split('/').collect();
    segments.len() >= 3
        && segments.iter().all(|s| !s.is_empty())
        && segments
            .iter()
            .filter(|s| {
                s.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_')
                })
            })
            .count()
            * 2
            >= segments.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_placeholders() {
        for v in [
            "",
            "changeme",
            "CHANGE_ME",
            "REPLACE_ME",
            "<your-api-key>",
            "${DB_PASSWORD}",
            "$(PROXY_PASSWORD)",
            "xxxxxxxxxxxxxxxx",
            "TODO",
            "****",
            "{{ .Values.pw }}",
            "prefix-{{ .Values.pw }}",
            "ENC[AES256_GCM,data:abc]",
            "vault:v1:abc",
            "$TOKEN",
            "AKIAIOSFODNN7EXAMPLE",
            "abcdefghijkl",
            "0123456789",
            "your-token-here",
            "projects/p/secrets/s/versions/1",
            "__PASSWORD__",
            "%PASSWORD%",
            "@password@",
            "abcdef.0123456789abcdef",
        ] {
            assert!(is_placeholder(v), "{v} should be a placeholder");
        }
        for v in [
            "Tr0ub4dor&3",
            "4z4u2HTvazdvXg#1Is",
            "y41AKbiUthCy4uN0XjEa%9Ry",
        ] {
            assert!(!is_placeholder(v), "{v} is a value");
        }
    }

    #[test]
    fn keyword_value_exclusions() {
        assert!(not_a_keyword_value("true"));
        assert!(not_a_keyword_value("3600"));
        assert!(not_a_keyword_value("/run/secrets/db-password"));
        assert!(not_a_keyword_value("https://id.example.com/reset"));
        assert!(!not_a_keyword_value("https://u:p4ss@id.example.com/"));
        assert!(!not_a_keyword_value("Tr0ub4dor&3"));
        assert!(is_uuid("78f9b35b-fed4-4b91-ae46-6ded0911fbcd"));
        assert!(not_a_keyword_value("tests/testdata/certs/default/key.pem"));
        assert!(not_a_keyword_value(
            "os.environ[\"HUGGING_FACE_HUB_TOKEN\"]"
        ));
        assert!(is_placeholder("$dex.github.clientSecret"));
        assert!(resource_path(
            "projects/PRJCTID/zones/us-central1-a/disks/mysql-recovery"
        ));
        assert!(!resource_path("q8Vz3kR1/mT6wY0pL4sN7d/F2hJ9bX5cG1aE8uK3oW"));
    }
}

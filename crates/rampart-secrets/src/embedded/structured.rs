//! JSON and YAML texts: every string leaf becomes a pair keyed by its mapping key (or, in a
//! `{name, value}` entry, by the entry's name, as Kubernetes env lists and many tools use).

use serde_json::Value;

use super::Pair;

/// Nested structures deeper than this are not followed (hostile input).
const MAX_DEPTH: usize = 48;
/// Leaves beyond this are not judged (multi-megabyte dashboards).
const MAX_PAIRS: usize = 50_000;

pub fn pairs(json: &Value) -> Vec<Pair> {
    let mut out = Vec::new();
    walk(json, "", "", 0, &mut out);
    out
}

fn join(prefix: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (prefix.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{prefix}.{key}"),
        (_, false) => format!("{prefix}[\"{key}\"]"),
    }
}

fn walk(v: &Value, path: &str, key: &str, depth: usize, out: &mut Vec<Pair>) {
    if depth > MAX_DEPTH || out.len() >= MAX_PAIRS {
        return;
    }
    match v {
        Value::String(s) => out.push(Pair::new(path, key, s)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), key, depth + 1, out);
            }
        }
        Value::Object(map) => {
            let entry_name = match (map.get("name"), map.get("value")) {
                (Some(Value::String(n)), Some(_)) => Some(n.as_str()),
                _ => None,
            };
            for (k, child) in map {
                if entry_name.is_some() && k == "name" {
                    continue;
                }
                let ctx = match entry_name {
                    Some(n) if k == "value" => n,
                    _ => k.as_str(),
                };
                walk(child, &join(path, k), ctx, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// A multi-line text whose first meaningful line is `key:` or `- ` and which has no `k=v` lines.
pub fn looks_like_yaml(text: &str) -> bool {
    let mut meaningful = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let Some(first) = meaningful.next() else {
        return false;
    };
    let key_line = |l: &str| {
        let t = l.trim_start();
        t.starts_with("- ")
            || t.split_once(':').is_some_and(|(k, rest)| {
                !k.is_empty()
                    && !k.contains(char::is_whitespace)
                    && !k.contains('=')
                    && (rest.is_empty() || rest.starts_with(' '))
            })
    };
    key_line(first)
        && !text.lines().any(|l| {
            let t = l.trim_start();
            t.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty() && !k.contains(char::is_whitespace) && !k.contains(':')
            })
        })
}

/// Parses YAML into plain JSON; `None` on any error (the message is dropped: it may quote text).
pub fn parse_yaml(text: &str) -> Option<Value> {
    let mut opts = serde_saphyr::Options::default();
    if let Some(b) = opts.budget.as_mut() {
        // Shallow budgets: this runs on the caller's thread, not a big-stack parser thread.
        b.max_depth = 24;
        b.flow_nesting_limit = 24;
        b.max_nodes = 200_000;
        b.max_events = 800_000;
    }
    serde_saphyr::from_str_with_options::<Value>(text, opts).ok()
}

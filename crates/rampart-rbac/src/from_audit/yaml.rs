//! A small YAML writer for generated RBAC objects: block mappings, flow lists of scalars,
//! and scalars quoted (JSON style, which YAML accepts) whenever a plain one could be misread.

use serde_json::Value;

/// A scalar as YAML.
pub fn scalar(s: &str) -> String {
    let plain = s
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'/')
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'/' | b'-'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        )
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// Writes `v` (an object) as a block mapping at `indent`.
pub fn write(out: &mut String, v: &Value, indent: usize) {
    let Some(map) = v.as_object() else { return };
    let pad = " ".repeat(indent);
    for (k, val) in map {
        match val {
            Value::Object(_) => {
                out.push_str(&format!("{pad}{k}:\n"));
                write(out, val, indent + 2);
            }
            Value::Array(items) if items.iter().all(|i| !i.is_object()) => {
                let parts: Vec<String> = items.iter().map(text).collect();
                out.push_str(&format!("{pad}{k}: [{}]\n", parts.join(", ")));
            }
            Value::Array(items) => {
                out.push_str(&format!("{pad}{k}:\n"));
                for item in items {
                    let mut inner = String::new();
                    write(&mut inner, item, indent + 2);
                    // The first key goes on the dash line.
                    let inner = inner.replacen(&format!("{pad}  "), &format!("{pad}- "), 1);
                    out.push_str(&inner);
                }
            }
            other => out.push_str(&format!("{pad}{k}: {}\n", text(other))),
        }
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => scalar(s),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_quoting() {
        assert_eq!(scalar("pods"), "pods");
        assert_eq!(
            scalar("rbac.authorization.k8s.io"),
            "rbac.authorization.k8s.io"
        );
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(scalar("*"), "\"*\"");
        assert_eq!(scalar("system:masters"), "\"system:masters\"");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("1.5"), "\"1.5\"");
        assert_eq!(scalar("/healthz"), "/healthz");
    }
}

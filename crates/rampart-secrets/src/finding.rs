//! Hits become findings: masked messages (family, place, length, fingerprint; never a
//! character of the value), positions, container names.

use rampart_manifest::Object;
use rampart_model::{Finding, JsonPath, Pos, Seg};
use serde_json::Value;

use crate::detect::{entropy, tokens};
use crate::fingerprint::Salt;
use crate::hit::Hit;

/// A key that itself looks like a credential is not echoed.
fn safe_key(k: &str) -> String {
    let suspicious = !tokens::find(k).is_empty() || (k.len() >= 20 && entropy::high_entropy(k));
    if suspicious {
        "<redacted-key>".to_string()
    } else {
        k.to_string()
    }
}

/// A path with credential-looking keys masked.
pub fn safe_path(path: &JsonPath) -> JsonPath {
    let mut out = JsonPath::root();
    for seg in path.segments() {
        out = match seg {
            Seg::Key(k) => out.key(safe_key(k)),
            Seg::Index(i) => out.index(*i),
        };
    }
    out
}

/// `data["app.properties"]#spring.datasource.password`.
pub fn display_path(path: &JsonPath, inner: Option<&str>) -> String {
    let base = safe_path(path).to_string();
    match inner {
        Some(i) => format!("{base}#{}", safe_inner(i)),
        None => base,
    }
}

fn safe_inner(inner: &str) -> String {
    inner
        .split('#')
        .map(|part| {
            if tokens::find(part).is_empty() {
                part.to_string()
            } else {
                "<redacted-key>".to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("#")
}

/// The name of the container a path points into, if any.
fn container_of(json: &Value, path: &JsonPath) -> Option<String> {
    let segs = path.segments();
    let at = segs.iter().rposition(|s| {
        matches!(s, Seg::Key(k) if k == "containers" || k == "initContainers" || k == "ephemeralContainers")
    })?;
    let end = (at + 1).min(segs.len() - 1);
    let mut p = JsonPath::root();
    for s in &segs[..=end] {
        p = match s {
            Seg::Key(k) => p.key(k.clone()),
            Seg::Index(i) => p.index(*i),
        };
    }
    p.lookup(json)?.get("name")?.as_str().map(str::to_string)
}

/// The finding for a hit at `pos` in `file`.
pub fn from_hit(hit: &Hit, obj: Option<&Object>, file: &str, pos: Pos, salt: &Salt) -> Finding {
    let meta = hit.family.meta();
    let place = display_path(&hit.path, hit.inner.as_deref());
    let mut msg = if hit.path.is_empty() && hit.inner.is_none() {
        meta.title.to_string()
    } else {
        format!("{} at `{place}`", meta.title)
    };
    if let Some(k) = &hit.key {
        let k = safe_key(k);
        let last = match hit.path.segments().last() {
            Some(Seg::Key(last)) if hit.inner.is_none() => last.as_str(),
            _ => "",
        };
        if k != last && !place.ends_with(&k) {
            msg.push_str(&format!(" (under `{k}`)"));
        }
    }
    if let Some(d) = &hit.detail {
        msg.push_str(&format!("; {d}"));
    }
    let fingerprint = hit.value.fingerprint(salt);
    msg.push_str(&format!(
        "; {} characters{}, fingerprint {fingerprint}",
        hit.value.len(),
        if hit.encoding.is_some() {
            " after base64 decoding"
        } else {
            ""
        },
    ));
    let mut f = Finding::new(meta, msg).in_file(file, pos);
    if let Some(s) = hit.severity {
        f.severity = s;
    }
    // JsonPath has no syntax for "inside this scalar": the embedded path is one more key,
    // starting with `#`.
    f.path = Some(match &hit.inner {
        Some(i) => safe_path(&hit.path).key(format!("#{}", safe_inner(i))),
        None => safe_path(&hit.path),
    });
    if let Some(o) = obj {
        f.object = Some(o.id.clone());
        f.container = container_of(&o.json, &hit.path);
    }
    f.fingerprint = Some(fingerprint);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_keys_are_masked() {
        let p = JsonPath::root().key("data").key("AKIAAU4PCZL6HT4DTCBS");
        assert_eq!(safe_path(&p).to_string(), "data[\"<redacted-key>\"]");
        let p = JsonPath::parse("spec.containers[1].env[0].value");
        let json = serde_json::json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}]}});
        assert_eq!(container_of(&json, &p).as_deref(), Some("b"));
    }
}

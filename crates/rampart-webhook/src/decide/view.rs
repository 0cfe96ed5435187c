//! The part of an object Pod Security reads — `apiVersion`, `kind`, `metadata.annotations` and
//! `spec` — decoded from the raw request text without the rest (`managedFields`, `status`,
//! labels, owner references), which on real requests is often most of the bytes.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

#[derive(Deserialize)]
struct ObjectIn<'a> {
    #[serde(rename = "apiVersion", default, borrow)]
    api_version: Option<&'a RawValue>,
    #[serde(default, borrow)]
    kind: Option<&'a RawValue>,
    #[serde(default, borrow)]
    metadata: Option<&'a RawValue>,
    #[serde(default, borrow)]
    spec: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct MetaIn<'a> {
    #[serde(default, borrow)]
    annotations: Option<&'a RawValue>,
}

/// The slim object, or `None` when the text does not split cleanly (then use the full one).
pub(crate) fn pss_view(raw: &str) -> Option<Value> {
    let o: ObjectIn<'_> = serde_json::from_str(raw).ok()?;
    let mut m = Map::new();
    let parse = |r: &RawValue| serde_json::from_str::<Value>(r.get()).ok();
    if let Some(v) = o.api_version {
        m.insert("apiVersion".into(), parse(v)?);
    }
    if let Some(v) = o.kind {
        m.insert("kind".into(), parse(v)?);
    }
    match o.metadata.map(RawValue::get) {
        None => {}
        Some("null") => {
            m.insert("metadata".into(), Value::Null);
        }
        // Anything but a mapping is a decode error the full object reports.
        Some(t) if !t.starts_with('{') => return None,
        Some(t) => {
            let meta: MetaIn<'_> = serde_json::from_str(t).ok()?;
            let mut mm = Map::new();
            if let Some(a) = meta.annotations {
                mm.insert("annotations".into(), parse(a)?);
            }
            m.insert("metadata".into(), Value::Object(mm));
        }
    }
    if let Some(v) = o.spec {
        m.insert("spec".into(), parse(v)?);
    }
    Some(Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_only_what_pss_reads() {
        let raw = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","managedFields":[{"x":1}],
            "annotations":{"k":"v"}},"spec":{"containers":[]},"status":{"phase":"Running"}}"#;
        assert_eq!(
            pss_view(raw),
            Some(
                json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"annotations": {"k": "v"}},
                "spec": {"containers": []}})
            )
        );
        assert_eq!(pss_view(r#"{"metadata": []}"#), None);
    }
}

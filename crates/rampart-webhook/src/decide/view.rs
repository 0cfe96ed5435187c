//! The part of an object Pod Security reads — `apiVersion`, `kind`, `metadata.annotations` and
//! `spec` — decoded from the raw request text without the rest (`managedFields`, `status`,
//! labels, owner references), which on real requests is often most of the bytes.

use serde_json::{Map, Value};

use crate::review::{MetaPart, ObjectParts};

/// The slim object, or `None` when a part does not decode (then use the full one).
pub(crate) fn pss_view(parts: &ObjectParts<'_>) -> Option<Value> {
    let mut m = Map::new();
    let parse = |r: &[u8]| serde_json::from_slice::<Value>(r).ok();
    if let Some(v) = parts.api_version {
        m.insert("apiVersion".into(), parse(v)?);
    }
    if let Some(v) = parts.kind {
        m.insert("kind".into(), parse(v)?);
    }
    match parts.metadata {
        MetaPart::Absent => {}
        MetaPart::Null => {
            m.insert("metadata".into(), Value::Null);
        }
        MetaPart::Map(annotations) => {
            let mut mm = Map::new();
            if let Some(a) = annotations {
                mm.insert("annotations".into(), parse(a)?);
            }
            m.insert("metadata".into(), Value::Object(mm));
        }
    }
    if let Some(v) = parts.spec {
        m.insert("spec".into(), parse(v)?);
    }
    Some(Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::parse;
    use serde_json::json;

    #[test]
    fn keeps_only_what_pss_reads() {
        let body = br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u",
            "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","managedFields":[{"x":1}],
            "annotations":{"k":"v"}},"spec":{"containers":[]},"status":{"phase":"Running"}}}}"#;
        let r = parse(body).map_err(|e| e.to_string());
        let view = r
            .ok()
            .and_then(|r| r.object_parts().and_then(|p| pss_view(&p)));
        assert_eq!(
            view,
            Some(
                json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"annotations": {"k": "v"}},
                "spec": {"containers": []}})
            )
        );
    }
}

//! Input errors the secrets engine finds in objects that parsed (`secrets.md` §3): a Secret
//! `data` entry that is not base64. The entry's raw text is still scanned (see `walk::secret`);
//! this only tells the user that the API server would reject the object.
//!
//! Messages name the Secret and the entry's key (masked when the key itself looks like a
//! credential), never the value.

use rampart_manifest::{Loaded, Object};
use rampart_model::{InputError, JsonPath};
use serde_json::Value;

use crate::detect::{decode_base64, placeholder};
use crate::finding::safe_path;

/// Error code of a Secret `data` entry that is not base64.
pub const INVALID_BASE64: &str = "E0501";

/// Every input error of the loaded objects, in object order.
pub fn input_errors(loaded: &Loaded) -> Vec<InputError> {
    loaded.objects.iter().flat_map(object_errors).collect()
}

fn object_errors(obj: &Object) -> Vec<InputError> {
    let core = matches!(obj.id.api_version.as_str(), "v1" | "");
    if obj.kind() != "Secret" || !core {
        return Vec::new();
    }
    let Some(data) = obj.json.get("data").and_then(Value::as_object) else {
        return Vec::new();
    };
    let base = JsonPath::root().key("data");
    data.iter()
        .filter_map(|(k, v)| {
            let raw = v.as_str()?;
            // Templates and placeholders are judged before decoding, like the walk does.
            if placeholder::is_placeholder(raw) || decode_base64(raw).is_some() {
                return None;
            }
            let path = base.key(k.clone());
            let pos = obj.locate(&path);
            Some(InputError {
                code: INVALID_BASE64,
                file: obj.source.path.clone(),
                line: pos.line,
                column: pos.column,
                message: format!(
                    "{} of Secret {} is not valid base64 (Secret data must be base64-encoded; use stringData for plain text); its text was scanned as written",
                    safe_path(&path),
                    obj.id.display()
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_manifest::load_text;

    fn errors(text: &str) -> Vec<InputError> {
        let (source, objects, errors) = load_text("s.yaml", text.to_string());
        assert!(errors.is_empty());
        input_errors(&Loaded {
            sources: vec![source],
            objects,
            errors,
            documents: 1,
        })
    }

    #[test]
    fn reports_entries_that_do_not_decode() {
        let e = errors("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  ok: Y2hhbmdlbWU=\n  bad: \"not base64: Hk7#vQ2x!\"\n  tpl: \"{{ .Values.pw }}\"\n");
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].code), (7, INVALID_BASE64));
        assert!(e[0].message.contains("data.bad"));
        assert!(!e[0].message.contains("Hk7#"));
        assert!(errors("apiVersion: v1\nkind: ConfigMap\ndata:\n  bad: \"!!\"\n").is_empty());
        assert!(
            errors("apiVersion: v1\nkind: Secret\nstringData:\n  bad: \"not base64!\"\n")
                .is_empty()
        );
    }
}

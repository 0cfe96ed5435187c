//! A finding and the places it points at.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::{Category, JsonPath, RuleMeta, Severity};

/// A 1-based line and column in a source file. `0` means unknown.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const UNKNOWN: Pos = Pos { line: 0, column: 0 };

    pub fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }
}

/// Identifies a Kubernetes object.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectRef {
    #[serde(
        rename = "apiVersion",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub namespace: String,
    pub name: String,
}

impl ObjectRef {
    /// Reads `apiVersion`, `kind`, `metadata.namespace` and `metadata.name` (or `generateName`).
    pub fn of(v: &serde_json::Value) -> Self {
        let s = |p: &[&str]| {
            p.iter()
                .try_fold(v, |cur, k| cur.get(*k))
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let mut name = s(&["metadata", "name"]);
        if name.is_empty() {
            name = s(&["metadata", "generateName"]);
        }
        Self {
            api_version: s(&["apiVersion"]),
            kind: s(&["kind"]),
            namespace: s(&["metadata", "namespace"]),
            name,
        }
    }

    /// `Kind/namespace/name`, or `Kind/name` when the object has no namespace.
    pub fn display(&self) -> String {
        if self.namespace.is_empty() {
            format!("{}/{}", self.kind, self.name)
        } else {
            format!("{}/{}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// One problem found by one rule, in the shape of the `rampart scan` JSON contract.
///
/// Engines build findings with [`Finding::new`] and a [`JsonPath`]; the loader fills
/// `file`, `line` and `column` from the path. The rule's id, name, MITRE ids and remediation
/// borrow the rule's static metadata: a scan makes hundreds of thousands of findings, and
/// copying that text into each one was a measurable share of its time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: Cow<'static, str>,
    pub name: Cow<'static, str>,
    pub severity: Severity,
    pub category: Category,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<JsonPath>,
    pub mitre: Cow<'static, [&'static str]>,
    pub remediation: Cow<'static, str>,
    /// Audit event id, for findings over audit logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_id: Option<String>,
    /// Salted fingerprint of a secret value, so a finding can be tracked across runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// Runtime event that triggered the finding (agent only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<serde_json::Value>,
}

impl Finding {
    /// A finding of `rule` with its metadata filled in; no location yet.
    pub fn new(rule: &'static RuleMeta, message: impl Into<String>) -> Self {
        Self {
            rule: Cow::Borrowed(rule.id),
            name: Cow::Borrowed(rule.name),
            severity: rule.severity,
            category: rule.category,
            message: message.into(),
            file: String::new(),
            line: 0,
            column: 0,
            object: None,
            container: None,
            path: None,
            mitre: Cow::Borrowed(rule.mitre),
            remediation: Cow::Borrowed(rule.fix),
            audit_id: None,
            fingerprint: None,
            event: None,
        }
    }

    #[must_use]
    pub fn at(mut self, path: JsonPath) -> Self {
        self.path = Some(path);
        self
    }

    #[must_use]
    pub fn object(mut self, object: ObjectRef) -> Self {
        self.object = Some(object);
        self
    }

    #[must_use]
    pub fn container(mut self, name: impl Into<String>) -> Self {
        self.container = Some(name.into());
        self
    }

    /// Sets file and position directly (for findings that are not about a manifest node).
    #[must_use]
    pub fn in_file(mut self, file: impl Into<String>, pos: Pos) -> Self {
        self.file = file.into();
        self.line = pos.line;
        self.column = pos.column;
        self
    }

    pub fn pos(&self) -> Pos {
        Pos::new(self.line, self.column)
    }
}

/// An input that could not be read or parsed, or that the API server would reject. Reported,
/// never fatal for other inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Stable error code such as `E0001`.
    pub code: &'static str,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Codes of input errors after which the input was still scanned in full: the document is
/// invalid for the API server, but its meaning is unambiguous enough to check it.
pub const SCANNED_ERROR_CODES: &[&str] = &[
    // A duplicate mapping key: the document is read with the last value, as PyYAML and Go's
    // JSON decoder read it.
    "E0003",
    // A Secret `data` entry that is not base64: its text is scanned as written.
    "E0501",
];

impl InputError {
    /// Whether the input was still scanned in full despite this error. Commands exit 2 only
    /// for errors that left part of an input unscanned (or for any error under `--strict`).
    pub fn scanned(&self) -> bool {
        SCANNED_ERROR_CODES.contains(&self.code)
    }
}

impl Serialize for InputError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let scanned = self.scanned();
        let mut st = s.serialize_struct("InputError", 5 + usize::from(scanned))?;
        st.serialize_field("code", self.code)?;
        st.serialize_field("file", &self.file)?;
        st.serialize_field("line", &self.line)?;
        st.serialize_field("column", &self.column)?;
        st.serialize_field("message", &self.message)?;
        if scanned {
            st.serialize_field("scanned", &true)?;
        }
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ref_reads_metadata() {
        let v = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "ns"}});
        let o = ObjectRef::of(&v);
        assert_eq!(o.display(), "Pod/ns/a");
        assert_eq!(o.api_version, "v1");
    }
}

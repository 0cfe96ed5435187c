//! Type checking the way the API server's Go decoder would: PSA only ever sees objects that
//! decoded into `corev1` structs, so a field of the wrong JSON type is an input error, never a
//! verdict. `null` is the same as absent; unknown fields are ignored (PSA never sees them).

use std::fmt;

use rampart_model::{JsonPath, Seg};
use serde_json::{Map, Value};

/// Which root a [`DecodeError`]'s path starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// The pod's (or pod template's) `metadata`.
    Metadata,
    /// The pod's (or pod template's) `spec`.
    Spec,
}

/// A field whose JSON type does not match the Kubernetes API type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DecodeError {
    pub root: Root,
    /// Segments below the root, outermost first.
    segs: Vec<Seg>,
    pub expected: &'static str,
    pub found: &'static str,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut p = JsonPath::root().key(match self.root {
            Root::Metadata => "metadata",
            Root::Spec => "spec",
        });
        for s in &self.segs {
            p = match s {
                Seg::Key(k) => p.key(k.clone()),
                Seg::Index(i) => p.index(*i),
            };
        }
        write!(
            f,
            "`{p}` must be {}, found {}; the API server would reject this object",
            self.expected, self.found
        )
    }
}

impl DecodeError {
    /// The offending field's path below the object root, given where the pod's metadata and
    /// spec live in the object.
    pub fn path(&self, meta_path: &JsonPath, spec_path: &JsonPath) -> JsonPath {
        let mut p = match self.root {
            Root::Metadata => meta_path.clone(),
            Root::Spec => spec_path.clone(),
        };
        for s in &self.segs {
            p = match s {
                Seg::Key(k) => p.key(k.clone()),
                Seg::Index(i) => p.index(*i),
            };
        }
        p
    }
}

/// An error under construction: segments are pushed innermost first and reversed at the root.
#[derive(Debug)]
pub(crate) struct Mismatch {
    rev: Vec<Seg>,
    expected: &'static str,
    found: &'static str,
}

impl Mismatch {
    fn new(expected: &'static str, v: &Value) -> Self {
        Self {
            rev: Vec::new(),
            expected,
            found: type_name(v),
        }
    }

    pub(crate) fn at_root(mut self, root: Root) -> DecodeError {
        self.rev.reverse();
        DecodeError {
            root,
            segs: self.rev,
            expected: self.expected,
            found: self.found,
        }
    }
}

pub(crate) type R<T> = Result<T, Mismatch>;

/// Adds a key segment to an error coming out of `key`.
pub(crate) fn under<T>(key: &str, r: R<T>) -> R<T> {
    r.map_err(|mut m| {
        m.rev.push(Seg::Key(key.to_string()));
        m
    })
}

/// Adds an index segment to an error coming out of item `i`.
pub(crate) fn at<T>(i: usize, r: R<T>) -> R<T> {
    r.map_err(|mut m| {
        m.rev.push(Seg::Index(i));
        m
    })
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A field that is absent or `null`.
fn present<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.get(key).filter(|v| !v.is_null())
}

/// An optional object (a Go pointer to a struct, or an embedded struct).
pub(crate) fn obj<'a>(m: &'a Map<String, Value>, key: &str) -> R<Option<&'a Map<String, Value>>> {
    match present(m, key) {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(v) => under(key, Err(Mismatch::new("a mapping", v))),
    }
}

/// An optional list; `null` items are kept (Go decodes them as zero values).
pub(crate) fn list<'a>(m: &'a Map<String, Value>, key: &str) -> R<&'a [Value]> {
    match present(m, key) {
        None => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(v) => under(key, Err(Mismatch::new("a list", v))),
    }
}

/// A list item that must be an object; `null` decodes as an empty one.
pub(crate) fn item_obj(v: &Value) -> R<Option<&Map<String, Value>>> {
    match v {
        Value::Null => Ok(None),
        Value::Object(o) => Ok(Some(o)),
        v => Err(Mismatch::new("a mapping", v)),
    }
}

pub(crate) fn boolean(m: &Map<String, Value>, key: &str) -> R<Option<bool>> {
    match present(m, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(v) => under(key, Err(Mismatch::new("a boolean", v))),
    }
}

/// A string field; absent and `null` are `None` (Go's zero value is `""`).
pub(crate) fn string<'a>(m: &'a Map<String, Value>, key: &str) -> R<Option<&'a str>> {
    match present(m, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v) => under(key, Err(Mismatch::new("a string", v))),
    }
}

/// A list item that must be a string; `null` is `""`.
pub(crate) fn item_str(v: &Value) -> R<&str> {
    match v {
        Value::Null => Ok(""),
        Value::String(s) => Ok(s),
        v => Err(Mismatch::new("a string", v)),
    }
}

/// A list item that must be a 64-bit integer (`null` is `0`).
pub(crate) fn item_int64(v: &Value) -> R<()> {
    match v {
        Value::Null => Ok(()),
        Value::Number(n) if n.as_i64().is_some() => Ok(()),
        Value::Number(n)
            if n.as_f64()
                .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.2e18) =>
        {
            Ok(())
        }
        v => Err(Mismatch::new("a 64-bit integer", v)),
    }
}

/// An integer field in `[min, max]`. A number written with a fraction of zero (`8080.0`) is
/// accepted: clients convert YAML through JSON, which prints such floats as integers.
pub(crate) fn int(m: &Map<String, Value>, key: &str, min: i64, max: i64) -> R<Option<i64>> {
    let Some(v) = present(m, key) else {
        return Ok(None);
    };
    let what = if max == i64::from(i32::MAX) {
        "a 32-bit integer"
    } else {
        "a 64-bit integer"
    };
    let n = match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
                // The guard above keeps the float within i64 and integral.
                .map(|f| {
                    #[allow(clippy::cast_possible_truncation)]
                    let i = f as i64;
                    i
                })
        }),
        _ => None,
    };
    match n.filter(|n| (min..=max).contains(n)) {
        Some(n) => Ok(Some(n)),
        None => under(key, Err(Mismatch::new(what, v))),
    }
}

pub(crate) fn int32(m: &Map<String, Value>, key: &str) -> R<Option<i64>> {
    int(m, key, i64::from(i32::MIN), i64::from(i32::MAX))
}

pub(crate) fn int64(m: &Map<String, Value>, key: &str) -> R<Option<i64>> {
    int(m, key, i64::MIN, i64::MAX)
}

/// Kubernetes `IntOrString`.
pub(crate) fn int_or_string(m: &Map<String, Value>, key: &str) -> R<()> {
    match present(m, key) {
        None | Some(Value::String(_)) => Ok(()),
        Some(Value::Number(_)) => int32(m, key).map(|_| ()),
        Some(v) => under(key, Err(Mismatch::new("an integer or a string", v))),
    }
}

/// A `map[string]string` such as annotations; `null` values decode as `""`.
pub(crate) fn string_map<'a>(
    m: &'a Map<String, Value>,
    key: &str,
) -> R<Option<&'a Map<String, Value>>> {
    let Some(map) = obj(m, key)? else {
        return Ok(None);
    };
    for (k, v) in map {
        under(key, under(k, item_str(v)))?;
    }
    Ok(Some(map))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn booleans_are_not_integers_and_strings_are_not_booleans() {
        let m = map(json!({"a": "true", "b": 1, "c": null, "d": false}));
        assert!(boolean(&m, "a").is_err());
        assert!(boolean(&m, "b").is_err());
        assert_eq!(boolean(&m, "c").ok(), Some(None));
        assert_eq!(boolean(&m, "d").ok(), Some(Some(false)));
        let m =
            map(json!({"u": false, "v": "0", "w": 8080.5, "x": 8080.0, "y": 3_000_000_000_i64}));
        assert!(int64(&m, "u").is_err());
        assert!(int64(&m, "v").is_err());
        assert!(int32(&m, "w").is_err());
        assert_eq!(int32(&m, "x").ok(), Some(Some(8080)));
        assert!(int32(&m, "y").is_err());
        assert!(int64(&m, "y").is_ok());
    }

    #[test]
    fn errors_carry_their_path() {
        let m = map(json!({"securityContext": {"capabilities": {"add": ["A", 1]}}}));
        let r = obj(&m, "securityContext").and_then(|sc| {
            let sc = sc.cloned().unwrap_or_default();
            under("securityContext", {
                let caps = obj(&sc, "capabilities")?.cloned().unwrap_or_default();
                under("capabilities", {
                    let add = list(&caps, "add")?;
                    under(
                        "add",
                        add.iter()
                            .enumerate()
                            .try_for_each(|(i, v)| at(i, item_str(v).map(|_| ()))),
                    )
                })
            })
        });
        let e = r.map_err(|m| m.at_root(Root::Spec)).err();
        let e = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            e.contains(
                "`spec.securityContext.capabilities.add[1]` must be a string, found a number"
            ),
            "{e}"
        );
    }
}

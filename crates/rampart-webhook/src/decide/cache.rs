//! A bounded cache of PSS decisions keyed by exactly what the decision depends on: the
//! effective policy, whether the object is a Pod, its `apiVersion` and `kind`, and the raw JSON
//! text of its `metadata.annotations` and `spec`. Controllers create many Pods from one
//! template, so most Pod admissions repeat a decision already made; a hit skips decoding the
//! object entirely. Keys are compared byte for byte (no hash-only matching), a key is only
//! built when the object's text splits cleanly into those parts, and the cache belongs to one
//! policy: a configuration reload starts an empty one.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use rampart_pss::admission::{Decision, Policy as PssPolicy};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::review::{Outcome, Status};

/// Most cached decisions; when full the cache is emptied (bounded memory, no bookkeeping).
const CAPACITY: usize = 4096;
/// Objects larger than this are not cached (keeps the memory bound small).
const MAX_KEY_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    policy: PssPolicy,
    is_pod: bool,
    text: Box<[u8]>,
}

/// What a response needs from a decision, minus the request's own name and uid.
#[derive(Debug)]
pub(crate) struct Cached {
    /// Denial: code, and the message after `pods "<name>" is forbidden: ` (or the whole
    /// message when `named` is false).
    denial: Option<(u16, String, bool)>,
    warnings: Vec<String>,
    annotations: Vec<(String, String)>,
}

impl Cached {
    pub(crate) fn from_decision(d: &Decision) -> Self {
        let denial = d.denial_code().map(|code| match d.enforce.as_ref() {
            Some(v) if d.decode_error.is_none() => (code, v.message(), true),
            _ => (code, d.denial_message("").unwrap_or_default(), false),
        });
        Self {
            denial,
            warnings: d.warnings(),
            annotations: d
                .audit_annotations()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        }
    }

    pub(crate) fn outcome(&self, name: &str) -> Outcome {
        let mut out = match &self.denial {
            None => Outcome::allow(),
            Some((code, msg, named)) => {
                let message = match (named, name.is_empty()) {
                    (false, _) => msg.clone(),
                    (true, true) => format!("pods is forbidden: {msg}"),
                    (true, false) => format!("pods \"{name}\" is forbidden: {msg}"),
                };
                let status = Status::failure(*code, message);
                Outcome::deny(if *code == 403 {
                    status.with_details(name, "pods")
                } else {
                    status
                })
            }
        };
        out.warnings.clone_from(&self.warnings);
        out.annotations.clone_from(&self.annotations);
        out
    }
}

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

/// The key of an object's decision under `policy`, or `None` when the object's text does not
/// split into the parts the decision depends on (then it is decided without the cache).
pub(crate) fn key(policy: PssPolicy, is_pod: bool, raw_object: &str) -> Option<Key> {
    if raw_object.len() > MAX_KEY_BYTES {
        return None;
    }
    let o: ObjectIn<'_> = serde_json::from_str(raw_object).ok()?;
    // Metadata that is not a mapping is a decode error; such objects are not cached (a
    // sequence would otherwise read as a mapping without annotations).
    let annotations = match o.metadata.map(RawValue::get) {
        None | Some("null") => None,
        Some(m) if m.starts_with('{') => serde_json::from_str::<MetaIn<'_>>(m).ok()?.annotations,
        Some(_) => return None,
    };
    let mut text = Vec::with_capacity(raw_object.len());
    for part in [o.api_version, o.kind, annotations, o.spec] {
        // 0x00 cannot occur in JSON text, so the parts cannot run into each other; 0x01
        // marks an absent part.
        match part {
            Some(r) => text.extend_from_slice(r.get().as_bytes()),
            None => text.push(1),
        }
        text.push(0);
    }
    Some(Key {
        policy,
        is_pod,
        text: text.into_boxed_slice(),
    })
}

/// Decisions of one policy.
#[derive(Debug, Default)]
pub(crate) struct DecisionCache {
    map: RwLock<HashMap<Key, Arc<Cached>>>,
}

impl DecisionCache {
    pub(crate) fn get(&self, key: &Key) -> Option<Arc<Cached>> {
        self.map.read().ok()?.get(key).cloned()
    }

    pub(crate) fn insert(&self, key: Key, value: Arc<Cached>) {
        if let Ok(mut m) = self.map.write() {
            if m.len() >= CAPACITY {
                m.clear();
            }
            m.insert(key, value);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.map.read().map_or(0, |m| m.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cover_kind_annotations_and_spec_only() {
        let p = PssPolicy::privileged();
        let a = key(
            p,
            true,
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","uid":"1"},"spec":{"x":1}}"#,
        );
        let b = key(
            p,
            true,
            r#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"b"},"spec":{"x":1},"status":{}}"#,
        );
        assert!(
            a.is_some() && a == b,
            "names, uids and status do not matter"
        );
        let c = key(
            p,
            true,
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"k":"v"}},"spec":{"x":1}}"#,
        );
        assert_ne!(a, c);
        let d = key(
            p,
            true,
            r#"{"apiVersion":"v1","kind":"Pod","spec":{"x":2}}"#,
        );
        assert_ne!(a, d);
        assert_ne!(
            a,
            key(
                p,
                false,
                r#"{"apiVersion":"v1","kind":"Pod","spec":{"x":1}}"#
            )
        );
        assert!(
            key(p, true, r#"{"metadata": []}"#).is_none(),
            "undecodable metadata is not cached"
        );
    }
}

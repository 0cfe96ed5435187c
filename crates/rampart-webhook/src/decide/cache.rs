//! A bounded cache of PSS decisions keyed by exactly what the decision depends on: the
//! effective policy, whether the object is a Pod, its `apiVersion` and `kind`, and the raw JSON
//! text of its `metadata.annotations` and `spec`. Controllers create many Pods from one
//! template, so most Pod admissions repeat a decision already made; a hit skips decoding the
//! object entirely. Keys are compared byte for byte (no hash-only matching), a key is only
//! built when the object's text splits cleanly into those parts, and the cache belongs to one
//! policy: a configuration reload starts an empty one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use rampart_pss::admission::{Decision, Policy as PssPolicy};

use crate::review::{
    response_json, Frag, MetaPart, ObjectParts, Outcome, Shape, Status, StatusShape, Template,
};

/// Most cached decisions; when full the cache is emptied (bounded memory, no bookkeeping).
const CAPACITY: usize = 4096;
/// Objects whose key would be larger than this are not cached (keeps the memory bound small).
const MAX_KEY_BYTES: usize = 64 * 1024;

/// Keys are long (a whole pod spec) and built from request text; foldhash with a per-process
/// random seed hashes them several times faster than SipHash, and a full cache is emptied, so
/// no bucket can grow without bound.
type Hasher = foldhash::fast::RandomState;

/// What a response needs from a decision, minus the request's own name and uid.
#[derive(Debug)]
pub(crate) struct Cached {
    /// Denial: code, and the message after `pods "<name>" is forbidden: ` (or the whole
    /// message when `named` is false).
    denial: Option<(u16, String, bool)>,
    warnings: Vec<String>,
    annotations: Vec<(String, String)>,
    /// The response bytes after the uid, the name left open.
    template: Template,
}

impl Cached {
    pub(crate) fn from_decision(d: &Decision) -> Self {
        let denial = d.denial_code().map(|code| match d.enforce.as_ref() {
            Some(v) if d.decode_error.is_none() => (code, v.message(), true),
            _ => (code, d.denial_message("").unwrap_or_default(), false),
        });
        let warnings = d.warnings();
        let annotations: Vec<(String, String)> = d
            .audit_annotations()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let template = {
            let msg = denial.as_ref().map_or("", |d| d.1.as_str());
            let named = [
                Frag::Text("pods \""),
                Frag::Name,
                Frag::Text("\" is forbidden: "),
                Frag::Text(msg),
            ];
            let whole = [Frag::Text(msg)];
            let name = [Frag::Name];
            let status = denial.as_ref().map(|(code, _, is_named)| StatusShape {
                status: "Failure",
                code: *code,
                reason: crate::review::reason_for(*code),
                message: if *is_named { &named[..] } else { &whole[..] },
                details: (*code == 403).then_some((&name[..], "pods")),
            });
            Template::new(&Shape {
                allowed: denial.is_none(),
                status,
                warnings: &warnings,
                annotations: &annotations,
            })
        };
        Self {
            denial,
            warnings,
            annotations,
            template,
        }
    }

    pub(crate) fn allowed(&self) -> bool {
        self.denial.is_none()
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.warnings.len()
    }

    pub(crate) fn annotations(&self) -> &[(String, String)] {
        &self.annotations
    }

    pub(crate) fn code(&self) -> u16 {
        self.denial.as_ref().map_or(200, |d| d.0)
    }

    /// The response body for a request with this `uid` and `name`.
    pub(crate) fn response_json(&self, uid: &str, name: &str) -> Vec<u8> {
        match &self.denial {
            // `pods is forbidden: …` has a different shape; rare enough to build in full.
            Some((_, _, true)) if name.is_empty() => response_json(uid, &self.outcome(name)),
            _ => self.template.render(uid, name),
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

/// Appends the key text of an object: its `apiVersion`, `kind`, `metadata.annotations` and
/// `spec` as received, each followed by 0x00 (which cannot occur in JSON text, so parts cannot
/// run into each other); 0x01 marks an absent part. `false` when too large to cache.
fn key_text(parts: &ObjectParts<'_>, out: &mut Vec<u8>) -> bool {
    let annotations = match parts.metadata {
        MetaPart::Map(a) => a,
        MetaPart::Absent | MetaPart::Null => None,
    };
    for part in [parts.api_version, parts.kind, annotations, parts.spec] {
        match part {
            Some(t) => out.extend_from_slice(t),
            None => out.push(1),
        }
        out.push(0);
    }
    out.len() <= MAX_KEY_BYTES
}

thread_local! {
    /// The lookup key is assembled here, so a hit allocates nothing.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

type Decisions = HashMap<Box<[u8]>, Arc<Cached>, Hasher>;

/// Decisions of one configuration, by effective policy and Pod-or-workload, then by key text.
#[derive(Debug, Default)]
pub(crate) struct DecisionCache {
    map: RwLock<HashMap<(PssPolicy, bool), Decisions>>,
}

impl DecisionCache {
    /// The decision cached for `parts` under `policy`.
    pub(crate) fn get(
        &self,
        policy: PssPolicy,
        is_pod: bool,
        parts: &ObjectParts<'_>,
    ) -> Option<Arc<Cached>> {
        SCRATCH.with(|s| {
            let mut key = s.try_borrow_mut().ok()?;
            key.clear();
            if !key_text(parts, &mut key) {
                return None;
            }
            let map = self.map.read().ok()?;
            map.get(&(policy, is_pod))?.get(key.as_slice()).cloned()
        })
    }

    pub(crate) fn insert(
        &self,
        policy: PssPolicy,
        is_pod: bool,
        parts: &ObjectParts<'_>,
        value: Arc<Cached>,
    ) {
        let mut key = Vec::new();
        if !key_text(parts, &mut key) {
            return;
        }
        if let Ok(mut m) = self.map.write() {
            if m.values().map(HashMap::len).sum::<usize>() >= CAPACITY {
                m.clear();
            }
            m.entry((policy, is_pod))
                .or_default()
                .insert(key.into_boxed_slice(), value);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.map
            .read()
            .map_or(0, |m| m.values().map(HashMap::len).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{parse, ReviewRequest};

    fn review(object: &str) -> ReviewRequest {
        let body = format!(
            r#"{{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{{"uid":"u","object":{object}}}}}"#
        );
        parse(body.as_bytes())
            .map_err(|e| e.to_string())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn keys_cover_kind_annotations_and_spec_only() {
        let p = PssPolicy::privileged();
        let cache = DecisionCache::default();
        let a = review(
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","uid":"1"},"spec":{"x":1}}"#,
        );
        let Some(pa) = a.object_parts() else {
            panic!("object not split")
        };
        cache.insert(
            p,
            true,
            &pa,
            Arc::new(Cached::from_decision(&Decision::default())),
        );
        let hit = |obj: &str, is_pod: bool| {
            let r = review(obj);
            r.object_parts()
                .is_some_and(|parts| cache.get(p, is_pod, &parts).is_some())
        };
        assert!(
            hit(
                r#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"b"},"spec":{"x":1},"status":{}}"#,
                true
            ),
            "names, uids and status do not matter"
        );
        assert!(!hit(
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"k":"v"}},"spec":{"x":1}}"#,
            true
        ));
        assert!(!hit(
            r#"{"apiVersion":"v1","kind":"Pod","spec":{"x":2}}"#,
            true
        ));
        assert!(hit(
            r#"{"apiVersion":"v1","kind":"Pod","spec":{"x":1}}"#,
            true
        ));
        assert!(!hit(
            r#"{"apiVersion":"v1","kind":"Pod","spec":{"x":1}}"#,
            false
        ));
        assert!(!hit(
            r#"{"apiVersion":"v1","kind":"Pod","spec":{"x": 1}}"#,
            true
        ));
        assert!(
            !hit(r#"{"metadata": []}"#, true),
            "undecodable metadata is not cached"
        );
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn cached_responses_are_the_built_ones_for_any_name() {
        use rampart_pss::admission::{AdmissionPolicy, Request};
        let labels: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
            r#"{"pod-security.kubernetes.io/enforce":"baseline",
                "pod-security.kubernetes.io/warn":"restricted",
                "pod-security.kubernetes.io/audit":"restricted"}"#,
        )
        .unwrap_or_default();
        let pods = [
            r#"{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"c","image":"i",
                "securityContext":{"privileged":true}}]}}"#,
            r#"{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"c","image":"i"}]}}"#,
            r#"{"apiVersion":"v1","kind":"Pod","spec":{"containers":"x"}}"#,
        ];
        let mut codes = Vec::new();
        for pod in pods {
            let object: serde_json::Value = serde_json::from_str(pod).unwrap_or_default();
            let d = AdmissionPolicy::default().evaluate(&Request {
                namespace: "ns",
                labels: &labels,
                username: "u",
                object: &object,
            });
            let cached = Cached::from_decision(&d);
            codes.push((cached.code(), cached.warning_count() > 0));
            for name in ["web-1", "", "a\"b\u{1}"] {
                assert_eq!(
                    String::from_utf8(cached.response_json("uid-1", name)).unwrap_or_default(),
                    String::from_utf8(response_json("uid-1", &cached.outcome(name)))
                        .unwrap_or_default(),
                    "{pod} named {name:?}"
                );
            }
        }
        // A policy denial, a warned admission and an undecodable pod.
        assert_eq!(codes, [(403, false), (200, true), (400, false)]);
    }
}

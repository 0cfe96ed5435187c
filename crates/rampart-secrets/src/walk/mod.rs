//! The object walk (`secrets.md` §5.1): every string of every object, each judged under the key
//! that gives it meaning (an env entry's name, a flag, a data key, an annotation key).
//!
//! Some places are special: Secret `data`/`stringData` (decoded, `secret-in-git` fallback),
//! ConfigMap `binaryData` (decoded), `status` (token formats only), metadata (only annotations
//! carry values; kubectl's last-applied annotation is judged as a whole), SealedSecret
//! ciphertext and the SOPS block (never values).

mod last_applied;
mod scalar;
mod secret;

use rampart_model::JsonPath;
use serde_json::Value;

use crate::family::Family;
use crate::hit::Hit;

/// Deeper JSON is not followed (the loader already bounds nesting; this is a second fence).
const MAX_DEPTH: usize = 128;

/// How much of the detection runs at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Token formats, keyword and entropy rules.
    Full,
    /// Token formats only (`status`).
    TokensOnly,
}

/// Where a scalar sits and how its hits are placed.
///
/// The path is kept as a borrowed parent plus one last step and only built when a hit is
/// made: the walk visits every string of every object, and almost none of them is a secret.
#[derive(Debug, Clone)]
pub(crate) struct At<'a> {
    base: &'a JsonPath,
    last: Option<Step<'a>>,
    pub inner: Option<String>,
    /// Found after base64 decoding: every hit is placed at the scalar's start.
    pub encoding: Option<&'static str>,
    /// The judged value is part of the scalar (a flag's value, a nested value): whole-value
    /// hits are placed by searching for it.
    pub part: bool,
}

/// The last step of an [`At`]'s path.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> At<'a> {
    /// The scalar at `path` itself.
    pub fn new(path: &'a JsonPath) -> Self {
        Self::with(path, None)
    }

    /// The scalar one `step` below `parent`.
    pub fn child(parent: &'a JsonPath, step: Step<'a>) -> Self {
        Self::with(parent, Some(step))
    }

    fn with(base: &'a JsonPath, last: Option<Step<'a>>) -> Self {
        Self {
            base,
            last,
            inner: None,
            encoding: None,
            part: false,
        }
    }

    /// The scalar's path from the object's root.
    pub fn path(&self) -> JsonPath {
        match self.last {
            None => self.base.clone(),
            Some(Step::Key(k)) => self.base.key(k),
            Some(Step::Index(i)) => self.base.index(i),
        }
    }

    pub fn nested(&self, inner: &str) -> Self {
        let inner = match &self.inner {
            Some(outer) => format!("{outer}#{inner}"),
            None => inner.to_string(),
        };
        Self {
            inner: Some(inner),
            part: true,
            ..self.clone()
        }
    }
}

/// Collects the hits of one object.
#[derive(Debug, Default)]
pub(crate) struct Walker {
    hits: Vec<Hit>,
    /// 40-character values that are an `aws-secret-key` only if the object also holds an access
    /// key id; otherwise they fall back to the family they would have had.
    pending_aws: Vec<(Hit, Option<Family>)>,
}

impl Walker {
    /// Every value hit of an object (a live object, or one embedded in an annotation).
    pub fn object(json: &Value) -> Vec<Hit> {
        let mut w = Walker::default();
        w.root(json);
        w.finish()
    }

    fn finish(mut self) -> Vec<Hit> {
        let has_access_key = self.hits.iter().any(|h| h.family == Family::AwsAccessKey);
        for (mut hit, fallback) in std::mem::take(&mut self.pending_aws) {
            if has_access_key {
                self.hits.push(hit);
            } else if let Some(f) = fallback {
                hit.family = f;
                self.hits.push(hit);
            }
        }
        self.hits
    }

    fn root(&mut self, json: &Value) {
        let Some(map) = json.as_object() else {
            return;
        };
        let kind = json.get("kind").and_then(Value::as_str).unwrap_or("");
        let group_version = json.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let root = JsonPath::root();
        for (k, child) in map {
            let path = root.key(k.clone());
            match (kind, k.as_str()) {
                (_, "apiVersion" | "kind" | "sops") => {}
                (_, "metadata") => self.metadata(json, child, &path),
                (_, "status") => self.node(child, &path, k, Mode::TokensOnly, 1),
                // Core Secrets (an apiVersion-less fragment is taken for one too).
                ("Secret", "data" | "stringData") if matches!(group_version, "v1" | "") => {
                    self.secret_entries(json, child, &path, k == "data");
                }
                ("ConfigMap", "binaryData") => self.binary_entries(child, &path),
                ("SealedSecret", "spec") => self.sealed_spec(child, &path),
                // Kustomize image overrides are image references.
                ("Kustomization" | "Component", "images") => {}
                _ => self.node(child, &path, k, Mode::Full, 1),
            }
        }
    }

    /// Metadata: only annotations hold values; names, labels, uids and managed fields do not.
    fn metadata(&mut self, object: &Value, meta: &Value, path: &JsonPath) {
        let Some(annotations) = meta.get("annotations").and_then(Value::as_object) else {
            return;
        };
        let base = path.key("annotations");
        for (k, v) in annotations {
            let Some(text) = v.as_str() else { continue };
            let at = At::child(&base, Step::Key(k));
            if k == crate::rules::last_applied::ANNOTATION {
                self.last_applied(&at, object, text);
            } else {
                self.evaluate(&at, k, text, Mode::Full, 0);
            }
        }
    }

    /// SealedSecret: `encryptedData` is ciphertext; the template is walked as usual.
    fn sealed_spec(&mut self, spec: &Value, path: &JsonPath) {
        let Some(map) = spec.as_object() else { return };
        for (k, child) in map {
            if k != "encryptedData" {
                self.node(child, &path.key(k.clone()), k, Mode::Full, 2);
            }
        }
    }

    fn node(&mut self, v: &Value, path: &JsonPath, key: &str, mode: Mode, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::String(s) => self.evaluate(&At::new(path), key, s, mode, 0),
            Value::Array(items) => {
                let strings: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
                match strings {
                    // Kustomize generators' `literals` are `NAME=value` items too.
                    Some(argv) if matches!(key, "command" | "args" | "literals") => {
                        self.argv(path, &argv, mode);
                    }
                    _ => {
                        for (i, item) in items.iter().enumerate() {
                            match item {
                                Value::String(s) if depth < MAX_DEPTH => {
                                    let at = At::child(path, Step::Index(i));
                                    self.evaluate(&at, key, s, mode, 0);
                                }
                                _ => self.node(item, &path.index(i), key, mode, depth + 1),
                            }
                        }
                    }
                }
            }
            Value::Object(map) => self.mapping(map, path, mode, depth),
            _ => {}
        }
    }

    fn mapping(
        &mut self,
        map: &serde_json::Map<String, Value>,
        path: &JsonPath,
        mode: Mode,
        depth: usize,
    ) {
        // `{name, value}` entries (env, HTTP headers, parameters): the name is the value's key.
        let entry_name = match (map.get("name"), map.get("value")) {
            (Some(Value::String(n)), Some(_)) => Some(n.as_str()),
            _ => None,
        };
        for (k, child) in map {
            if skip_key(k, child) || (entry_name.is_some() && k == "name") {
                continue;
            }
            let ctx = match entry_name {
                Some(n) if k == "value" => n,
                _ => k.as_str(),
            };
            if let Value::String(s) = child {
                if depth < MAX_DEPTH {
                    self.evaluate(&At::child(path, Step::Key(k)), ctx, s, mode, 0);
                }
                continue;
            }
            let p = path.key(k.clone());
            if k == "metadata" && child.is_object() {
                self.metadata(&Value::Null, child, &p);
                continue;
            }
            self.node(child, &p, ctx, mode, depth + 1);
        }
    }

    /// `command`/`args`: flags give their values a key; scripts are scanned as text.
    fn argv(&mut self, path: &JsonPath, items: &[&str], mode: Mode) {
        let mut judged = vec![false; items.len()];
        for (i, pair) in crate::embedded::argv_pairs(items) {
            if crate::embedded::is_script(items[i]) {
                continue;
            }
            judged[i] = true;
            let at = At::child(path, Step::Index(i));
            self.part(&at, &pair.key, items[i], &pair.value, mode);
        }
        for (i, item) in items.iter().enumerate() {
            let at = At::child(path, Step::Index(i));
            if crate::embedded::is_script(item) {
                self.script(&at, item, mode);
            } else if !judged[i] {
                self.evaluate(&at, "args", item, mode, 0);
            }
        }
    }
}

/// Keys whose sub-tree holds references or image names, never values.
fn skip_key(k: &str, v: &Value) -> bool {
    matches!(
        k,
        "valueFrom"
            | "secretKeyRef"
            | "secretRef"
            | "configMapKeyRef"
            | "configMapRef"
            | "secretProviderClass"
            | "managedFields"
            | "ownerReferences"
    ) || (k == "image" && v.is_string())
}

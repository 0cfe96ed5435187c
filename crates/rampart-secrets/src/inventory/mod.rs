//! `rampart secrets inventory`: every Secret (committed, or produced by ExternalSecret,
//! SealedSecret or cert-manager) and who consumes it, with unused Secrets and references to
//! Secrets that exist nowhere in the inputs. Names and keys only, never values.

mod refs;

use std::collections::BTreeMap;

use rampart_manifest::Loaded;
use rampart_model::ObjectRef;
use serde::Serialize;
use serde_json::Value;

pub use refs::Via;

/// A workload or resource that uses a Secret.
#[derive(Debug, Clone, Serialize)]
pub struct Consumer {
    pub object: ObjectRef,
    pub file: String,
    pub line: u32,
    pub via: Via,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    pub path: String,
}

/// A Secret and its consumers.
#[derive(Debug, Clone, Serialize)]
pub struct SecretEntry {
    pub namespace: String,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    /// `manifest`, or the kind that produces it (`ExternalSecret`, `SealedSecret`, `Certificate`).
    pub source: String,
    pub file: String,
    pub line: u32,
    pub keys: Vec<String>,
    pub consumers: Vec<Consumer>,
    /// Keys that consumers ask for but the Secret does not hold (committed Secrets only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_keys: Vec<String>,
    pub unused: bool,
}

/// A reference to a Secret that no input defines or produces.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub namespace: String,
    pub name: String,
    pub consumers: Vec<Consumer>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct InventorySummary {
    pub secrets: usize,
    pub unused: usize,
    pub references: usize,
    pub missing: usize,
    /// The largest number of distinct consuming objects of one Secret.
    pub max_consumers: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inventory {
    pub version: u32,
    pub secrets: Vec<SecretEntry>,
    pub missing: Vec<Missing>,
    pub summary: InventorySummary,
}

type Key = (String, String);

fn secret_keys(json: &Value) -> Vec<String> {
    let mut keys: Vec<String> = ["data", "stringData"]
        .iter()
        .filter_map(|d| json.get(d).and_then(Value::as_object))
        .flat_map(|m| m.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Builds the inventory of the loaded inputs.
pub fn build(loaded: &Loaded) -> Inventory {
    let mut secrets: BTreeMap<Key, SecretEntry> = BTreeMap::new();
    for obj in &loaded.objects {
        let entry = if obj.kind() == "Secret" && obj.id.api_version == "v1" {
            let ty = obj
                .json
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("Opaque");
            let pos = obj.node.pos;
            Some((
                obj.id.namespace.clone(),
                obj.id.name.clone(),
                ty.to_string(),
                "manifest".to_string(),
                secret_keys(&obj.json),
                pos.line,
            ))
        } else {
            refs::produces(obj).map(|(ns, name, kind)| {
                let keys = obj
                    .json
                    .pointer("/spec/encryptedData")
                    .and_then(Value::as_object)
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                (ns, name, String::new(), kind, keys, obj.node.pos.line)
            })
        };
        if let Some((ns, name, ty, source, keys, line)) = entry {
            secrets
                .entry((ns.clone(), name.clone()))
                .or_insert(SecretEntry {
                    namespace: ns,
                    name,
                    ty,
                    source,
                    file: obj.file().to_string(),
                    line,
                    keys,
                    consumers: Vec::new(),
                    missing_keys: Vec::new(),
                    unused: true,
                });
        }
    }
    let mut missing: BTreeMap<Key, Missing> = BTreeMap::new();
    let mut references = 0;
    for obj in &loaded.objects {
        for r in refs::references(obj) {
            references += 1;
            let consumer = Consumer {
                object: obj.id.clone(),
                file: obj.file().to_string(),
                line: obj.locate(&r.path).line,
                via: r.via,
                container: r.container,
                keys: r.keys,
                optional: r.optional,
                path: r.path.to_string(),
            };
            let key = (r.namespace.clone(), r.name.clone());
            match secrets.get_mut(&key) {
                Some(s) => s.consumers.push(consumer),
                None => missing
                    .entry(key)
                    .or_insert_with(|| Missing {
                        namespace: r.namespace,
                        name: r.name,
                        consumers: Vec::new(),
                    })
                    .consumers
                    .push(consumer),
            }
        }
    }
    // Service-account token Secrets are used by the account they name.
    for s in secrets.values_mut() {
        s.unused = s.consumers.is_empty() && s.ty != "kubernetes.io/service-account-token";
        if s.source == "manifest" {
            let mut wanted: Vec<String> = s
                .consumers
                .iter()
                .flat_map(|c| c.keys.iter().cloned())
                .filter(|k| !s.keys.contains(k))
                .collect();
            wanted.sort();
            wanted.dedup();
            s.missing_keys = wanted;
        }
    }
    let secrets: Vec<SecretEntry> = secrets.into_values().collect();
    let max_consumers = secrets
        .iter()
        .map(|s| {
            let mut objs: Vec<&ObjectRef> = s.consumers.iter().map(|c| &c.object).collect();
            objs.sort();
            objs.dedup();
            objs.len()
        })
        .max()
        .unwrap_or(0);
    let summary = InventorySummary {
        secrets: secrets.len(),
        unused: secrets.iter().filter(|s| s.unused).count(),
        references,
        missing: missing.len(),
        max_consumers,
    };
    Inventory {
        version: 1,
        secrets,
        missing: missing.into_values().collect(),
        summary,
    }
}

impl Inventory {
    /// A plain-text table for people.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for s in &self.secrets {
            let ns = if s.namespace.is_empty() {
                "-"
            } else {
                &s.namespace
            };
            let state = if s.unused { "  UNUSED" } else { "" };
            let ty = if s.ty.is_empty() {
                String::new()
            } else {
                format!(" {}", s.ty)
            };
            out.push_str(&format!(
                "{ns}/{} ({}{ty}) {}:{}{state}\n",
                s.name, s.source, s.file, s.line
            ));
            if !s.keys.is_empty() {
                out.push_str(&format!("  keys: {}\n", s.keys.join(", ")));
            }
            for c in &s.consumers {
                out.push_str(&format!(
                    "  <- {} via {:?}{} {}:{}\n",
                    c.object.display(),
                    c.via,
                    c.container
                        .as_ref()
                        .map(|n| format!(" (container {n})"))
                        .unwrap_or_default(),
                    c.file,
                    c.line
                ));
            }
            if !s.missing_keys.is_empty() {
                out.push_str(&format!("  missing keys: {}\n", s.missing_keys.join(", ")));
            }
        }
        for m in &self.missing {
            let ns = if m.namespace.is_empty() {
                "-"
            } else {
                &m.namespace
            };
            out.push_str(&format!(
                "{ns}/{} MISSING: referenced but not defined in the inputs\n",
                m.name
            ));
            for c in &m.consumers {
                out.push_str(&format!(
                    "  <- {} via {:?} {}:{}{}\n",
                    c.object.display(),
                    c.via,
                    c.file,
                    c.line,
                    if c.optional { " (optional)" } else { "" }
                ));
            }
        }
        let s = &self.summary;
        out.push_str(&format!(
            "\n{} secrets, {} unused, {} references, {} missing, at most {} consumers of one Secret\n",
            s.secrets, s.unused, s.references, s.missing, s.max_consumers
        ));
        out
    }
}

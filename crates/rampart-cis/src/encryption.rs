//! The API server's EncryptionConfiguration (`--encryption-provider-config`), modelled as the
//! API server applies it: writes use an entry's first provider only, reads try them in order,
//! and the first entry whose `resources` match a resource is the only one that applies.

use rampart_manifest::{Node, NodeValue};
use rampart_model::JsonPath;

/// Providers the benchmark accepts as the write provider (1.2.28).
pub const STRONG_PROVIDERS: &[&str] = &["aescbc", "kms", "secretbox"];

/// One `resources[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub resources: Vec<String>,
    /// Provider names in order (`aescbc`, `identity`, `kms`, …).
    pub providers: Vec<String>,
    /// `apiVersion` of each `kms` provider (`v1` when absent), in order.
    pub kms_versions: Vec<String>,
    /// Key names of the static-key providers.
    pub key_names: Vec<String>,
    /// Line of the first provider (or of the entry).
    pub line: u32,
}

/// A parsed EncryptionConfiguration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EncryptionConfig {
    pub entries: Vec<Entry>,
}

impl EncryptionConfig {
    /// Reads the object; an error says what is wrong with its shape.
    pub fn from_node(node: &Node) -> Result<Self, String> {
        let kind = node.get("kind").and_then(str_of).unwrap_or_default();
        if kind != "EncryptionConfiguration" {
            return Err(format!(
                "kind is `{kind}`, expected EncryptionConfiguration"
            ));
        }
        let Some(NodeValue::Seq(items)) = node.get("resources").map(|n| &n.value) else {
            return Err("no `resources` list".to_string());
        };
        let mut entries = Vec::new();
        for item in items {
            let resources = strings(item.get("resources"));
            let mut providers = Vec::new();
            let mut kms_versions = Vec::new();
            let mut key_names = Vec::new();
            let provider_nodes = match item.get("providers").map(|n| &n.value) {
                Some(NodeValue::Seq(p)) => p.as_slice(),
                _ => &[],
            };
            for p in provider_nodes {
                let NodeValue::Map(fields) = &p.value else {
                    continue;
                };
                for (k, v) in fields {
                    providers.push(k.name.clone());
                    if k.name == "kms" {
                        kms_versions.push(
                            v.get("apiVersion")
                                .and_then(str_of)
                                .unwrap_or("v1")
                                .to_string(),
                        );
                    }
                    if let Some(NodeValue::Seq(keys)) = v.get("keys").map(|n| &n.value) {
                        key_names.extend(
                            keys.iter()
                                .filter_map(|k| k.get("name").and_then(str_of))
                                .map(str::to_string),
                        );
                    }
                }
            }
            let line = provider_nodes.first().map_or(item.pos.line, |p| p.pos.line);
            entries.push(Entry {
                resources,
                providers,
                kms_versions,
                key_names,
                line,
            });
        }
        Ok(Self { entries })
    }

    /// Entries whose `resources` cover Secrets.
    pub fn secret_entries(&self) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| e.resources.iter().any(|r| covers_secrets(r)))
            .collect()
    }

    /// Things worth knowing that the benchmark does not score.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        for e in &self.entries {
            let what = e.resources.join(",");
            if let Some(i) = e.providers.iter().position(|p| p == "identity") {
                if i + 1 < e.providers.len() {
                    notes.push(format!(
                        "{what}: identity is listed before {}; everything after it only decrypts old data",
                        e.providers[i + 1]
                    ));
                }
            }
            if e.providers.first().is_some_and(|p| p == "aesgcm") {
                notes.push(format!(
                    "{what}: aesgcm keys must be rotated every 200k writes (random nonces)"
                ));
            }
            if e.kms_versions.iter().any(|v| v == "v1") {
                notes.push(format!(
                    "{what}: KMS v1 is deprecated (disabled by default since 1.29); use apiVersion: v2"
                ));
            }
        }
        let mut names: Vec<&String> = self.entries.iter().flat_map(|e| &e.key_names).collect();
        names.sort();
        for w in names.windows(2) {
            if w[0] == w[1] {
                notes.push(format!("key name `{}` is used more than once", w[0]));
            }
        }
        notes.dedup();
        notes
    }
}

/// `secrets`, `*.` (every core resource) and `*.*` (everything) cover Secrets.
pub fn covers_secrets(resource: &str) -> bool {
    matches!(resource.trim(), "secrets" | "secrets." | "*." | "*.*")
}

fn str_of(n: &Node) -> Option<&str> {
    match &n.value {
        NodeValue::Str(s) => Some(s.as_str()),
        _ => None,
    }
}

fn strings(n: Option<&Node>) -> Vec<String> {
    match n.map(|n| &n.value) {
        Some(NodeValue::Seq(items)) => items
            .iter()
            .filter_map(str_of)
            .map(str::to_string)
            .collect(),
        Some(NodeValue::Str(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The JSON path of the first provider of entry `i` (for positions).
pub fn first_provider_path(i: usize) -> JsonPath {
    JsonPath::root()
        .key("resources")
        .index(i)
        .key("providers")
        .index(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<EncryptionConfig, String> {
        let (_, objs, errs) = rampart_manifest::load_text("enc.yaml", text.to_string());
        assert!(errs.is_empty(), "{errs:?}");
        EncryptionConfig::from_node(&objs[0].node)
    }

    #[test]
    fn reads_entries_and_providers() {
        let c = parse("kind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - identity: {}\n  - aescbc:\n      keys: [{name: k1, secret: eA==}]\n- resources: ['*.*']\n  providers:\n  - kms: {name: x, endpoint: unix:///s}\n  - aescbc:\n      keys: [{name: k1, secret: eA==}]\n")
            .expect("parses");
        assert_eq!(c.entries[0].providers, vec!["identity", "aescbc"]);
        assert_eq!(c.entries[0].line, 5);
        assert_eq!(c.secret_entries().len(), 2);
        assert_eq!(c.entries[1].kms_versions, vec!["v1"]);
        let notes = c.notes().join("\n");
        assert!(notes.contains("identity is listed before aescbc"));
        assert!(notes.contains("KMS v1"));
        assert!(notes.contains("`k1` is used more than once"));
        assert!(!notes.contains("eA=="));
    }

    #[test]
    fn rejects_other_kinds() {
        assert!(parse("kind: Pod\n").is_err());
        assert!(parse("kind: EncryptionConfiguration\n").is_err());
    }
}

//! A YAML/JSON tree that remembers where every node and key came from.

use std::collections::HashMap;
use std::fmt;

use rampart_model::{JsonPath, Pos, Seg};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// A mapping key and its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

/// A node's value.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A node and where it starts (1-based line and column; for aliases, the use site).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: NodeValue,
}

impl Node {
    /// The JSON value this node denotes, as the API server would see it.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::from(*i),
            NodeValue::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
            NodeValue::Str(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The value under `key`, when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            // Last wins, like Go's decoders, should a duplicate ever get through.
            NodeValue::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.name == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The position for `path`: the key of the last existing mapping entry on the path, the
    /// item for a sequence index, or the nearest existing parent when the rest is missing.
    pub fn locate(&self, path: &JsonPath) -> Pos {
        let mut node = self;
        let mut pos = self.pos;
        for seg in path.segments() {
            match seg {
                Seg::Key(k) => match node.entry(k) {
                    Some((key, child)) => {
                        pos = key.pos;
                        node = child;
                    }
                    None => return pos,
                },
                Seg::Index(i) => match &node.value {
                    NodeValue::Seq(items) if *i < items.len() => {
                        node = &items[*i];
                        pos = node.pos;
                    }
                    _ => return pos,
                },
            }
        }
        pos
    }

    /// The node at `path`, when every step exists.
    pub fn at(&self, path: &JsonPath) -> Option<&Node> {
        path.segments()
            .iter()
            .try_fold(self, |node, seg| match seg {
                Seg::Key(k) => node.get(k),
                Seg::Index(i) => match &node.value {
                    NodeValue::Seq(items) => items.get(*i),
                    _ => None,
                },
            })
    }

    /// Takes the node out, leaving `Null` (used to move List items without cloning).
    pub(crate) fn take(&mut self) -> Node {
        std::mem::replace(
            self,
            Node {
                pos: self.pos,
                value: NodeValue::Null,
            },
        )
    }
}

fn pos_of(s: &serde_saphyr::Location) -> Pos {
    Pos::new(
        u32::try_from(s.line()).unwrap_or(u32::MAX),
        u32::try_from(s.column()).unwrap_or(u32::MAX),
    )
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s: Spanned<Raw> = Spanned::deserialize(d)?;
        Ok(Node {
            pos: pos_of(&s.referenced),
            value: s.value.0,
        })
    }
}

/// Mappings with this many keys get a name index for duplicate detection.
const INDEXED_MAP_LEN: usize = 32;

thread_local! {
    /// Duplicate mapping keys met while parsing the current document on this thread, as
    /// (duplicate, first occurrence); see [`take_duplicates`].
    static DUPLICATES: std::cell::RefCell<Vec<(Pos, Pos)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Drains the duplicate keys recorded on this thread (positions within the parsed text).
pub(crate) fn take_duplicates() -> Vec<(Pos, Pos)> {
    DUPLICATES.with(|d| std::mem::take(&mut *d.borrow_mut()))
}

/// The unspanned value; [`Node`] wraps it in `Spanned` to get positions.
struct Raw(NodeValue);

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor).map(Raw)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<NodeValue, E> {
        Ok(NodeValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<NodeValue, E> {
        Ok(NodeValue::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<NodeValue, E> {
        // Beyond i64 keeps its digits as a float, as JSON decoders do.
        #[allow(clippy::cast_precision_loss)]
        Ok(i64::try_from(v).map_or(NodeValue::Float(v as f64), NodeValue::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<NodeValue, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(i64::try_from(v).map_or(NodeValue::Float(v as f64), NodeValue::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<NodeValue, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(i64::try_from(v).map_or(NodeValue::Float(v as f64), NodeValue::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<NodeValue, E> {
        Ok(NodeValue::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<NodeValue, E> {
        Ok(NodeValue::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<NodeValue, E> {
        Ok(NodeValue::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<NodeValue, E> {
        Ok(NodeValue::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_none<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeValue, D::Error> {
        d.deserialize_any(RawVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        Ok(NodeValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut entries: Vec<(Key, Node)> = Vec::with_capacity(map.size_hint().unwrap_or(0));
        // Key positions by name, built only for large mappings (small ones are searched).
        let mut index: HashMap<String, usize> = HashMap::new();
        while let Some(k) = map.next_key::<Spanned<KeyText>>()? {
            let v = map.next_value::<Node>()?;
            let key = Key {
                name: k.value.0,
                pos: pos_of(&k.referenced),
            };
            if entries.len() == INDEXED_MAP_LEN && index.is_empty() {
                index = entries
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.name.clone(), i))
                    .collect();
            }
            let seen = if index.is_empty() {
                entries.iter().position(|(k, _)| k.name == key.name)
            } else {
                index.get(&key.name).copied()
            };
            // The parser passes duplicates through; the last value wins (as PyYAML and Go's
            // JSON decoder read them) at the first key's place, and the loader reports it.
            match seen.and_then(|i| entries.get_mut(i)) {
                Some(first) => {
                    DUPLICATES.with(|d| d.borrow_mut().push((key.pos, first.0.pos)));
                    first.1 = v;
                }
                None => {
                    if !index.is_empty() {
                        index.insert(key.name.clone(), entries.len());
                    }
                    entries.push((key, v));
                }
            }
        }
        Ok(NodeValue::Map(entries))
    }
}

/// A mapping key as text: YAML allows scalar keys of any type; JSON (and so Kubernetes) only
/// strings, so other scalars are written as they read.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scalar mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_string<E>(self, v: String) -> Result<String, E> {
                Ok(v)
            }
            fn visit_bool<E>(self, v: bool) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_i64<E>(self, v: i64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_u64<E>(self, v: u64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_f64<E>(self, v: f64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_unit<E>(self) -> Result<String, E> {
                Ok("null".to_string())
            }
            fn visit_none<E>(self) -> Result<String, E> {
                Ok("null".to_string())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
                Err(de::Error::custom("a sequence cannot be a mapping key"))
            }
            fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
                Err(de::Error::custom("a mapping cannot be a mapping key"))
            }
        }
        d.deserialize_any(V).map(KeyText)
    }
}

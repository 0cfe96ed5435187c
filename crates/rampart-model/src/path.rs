//! JSON paths such as `spec.template.spec.containers[0].securityContext`.
//!
//! Engines name the offending field with a [`JsonPath`] relative to the object's root; the loader
//! turns it into a file position (the nearest existing node when the field itself is missing).

use std::fmt;

use serde::{Serialize, Serializer};

/// One step of a path: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path from an object's root to one of its nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonPath(Vec<Seg>);

impl JsonPath {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// Parses the dotted form written by [`fmt::Display`]: `a.b[0]["x.y/z"].c`.
    /// Unparsable input is taken as far as it parses; this is for tests and static paths.
    pub fn parse(s: &str) -> Self {
        let mut segs = Vec::new();
        let mut rest = s;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                rest = r;
                continue;
            }
            if let Some(r) = rest.strip_prefix("[\"") {
                let Some(end) = r.find("\"]") else { break };
                segs.push(Seg::Key(r[..end].to_string()));
                rest = &r[end + 2..];
                continue;
            }
            if let Some(r) = rest.strip_prefix('[') {
                let Some(end) = r.find(']') else { break };
                let Ok(i) = r[..end].parse() else { break };
                segs.push(Seg::Index(i));
                rest = &r[end + 1..];
                continue;
            }
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            segs.push(Seg::Key(rest[..end].to_string()));
            rest = &rest[end..];
        }
        Self(segs)
    }

    #[must_use]
    pub fn key(&self, k: impl Into<String>) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.into()));
        p
    }

    #[must_use]
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }

    /// Appends every segment of `other`.
    #[must_use]
    pub fn join(&self, other: &JsonPath) -> Self {
        let mut p = self.clone();
        p.0.extend(other.0.iter().cloned());
        p
    }

    pub fn segments(&self) -> &[Seg] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Looks the path up in a JSON value.
    pub fn lookup<'a>(&self, v: &'a serde_json::Value) -> Option<&'a serde_json::Value> {
        self.0.iter().try_fold(v, |cur, seg| match seg {
            Seg::Key(k) => cur.get(k.as_str()),
            Seg::Index(i) => cur.get(*i),
        })
    }
}

fn plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if plain_key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Key(k) => write!(f, "[\"{k}\"]")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl Serialize for JsonPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl From<&str> for JsonPath {
    fn from(s: &str) -> Self {
        JsonPath::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_parse_round_trip() {
        let p = JsonPath::root()
            .key("metadata")
            .key("annotations")
            .key("rampart.io/ignore");
        assert_eq!(p.to_string(), "metadata.annotations[\"rampart.io/ignore\"]");
        assert_eq!(JsonPath::parse(&p.to_string()), p);
        let q = JsonPath::parse("spec.containers[1].securityContext");
        assert_eq!(
            q,
            JsonPath::root()
                .key("spec")
                .key("containers")
                .index(1)
                .key("securityContext")
        );
    }

    #[test]
    fn lookup_finds_nested_values() {
        let v = serde_json::json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}]}});
        let p = JsonPath::parse("spec.containers[1].name");
        assert_eq!(p.lookup(&v), Some(&serde_json::json!("b")));
        assert_eq!(JsonPath::parse("spec.x").lookup(&v), None);
    }
}

//! Kubernetes label selectors: `matchLabels` plus `matchExpressions` (`In`, `NotIn`, `Exists`,
//! `DoesNotExist`), all ANDed. The empty selector matches everything.

use std::collections::BTreeMap;
use std::fmt;

use rampart_model::JsonPath;
use serde_json::Value;

use crate::error::{SpecError, SpecResult};

/// A pod's or namespace's labels.
pub type Labels = BTreeMap<String, String>;

/// A `matchExpressions` operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// One requirement of a selector. `matchLabels` entries become `In` with one value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Requirement {
    pub key: String,
    pub op: Op,
    /// Sorted and deduplicated.
    pub values: Vec<String>,
    /// Where the requirement was written, relative to the selector.
    pub path: Option<JsonPath>,
}

impl Requirement {
    pub fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(&self.key);
        match self.op {
            Op::In => value.is_some_and(|v| self.values.binary_search(v).is_ok()),
            Op::NotIn => value.is_none_or(|v| self.values.binary_search(v).is_err()),
            Op::Exists => value.is_some(),
            Op::DoesNotExist => value.is_none(),
        }
    }
}

/// A parsed label selector. Equal selectors compare equal whatever order they were written in.
#[derive(Debug, Clone, Default)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
}

impl PartialEq for LabelSelector {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for LabelSelector {}
impl std::hash::Hash for LabelSelector {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl LabelSelector {
    /// The selector that matches everything (`{}` or null).
    pub fn everything() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    pub fn matches(&self, labels: &Labels) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }

    /// The requirements without their positions, for comparing selectors.
    fn key(&self) -> Vec<(&str, Op, &[String])> {
        self.requirements
            .iter()
            .map(|r| (r.key.as_str(), r.op, r.values.as_slice()))
            .collect()
    }

    /// Parses a selector at `path`; null or absent means everything.
    pub fn parse(v: Option<&Value>, path: &JsonPath) -> SpecResult<Self> {
        let Some(v) = v.filter(|v| !v.is_null()) else {
            return Ok(Self::everything());
        };
        let map = v
            .as_object()
            .ok_or_else(|| SpecError::new(path, "a label selector must be a mapping"))?;
        let mut requirements = Vec::new();
        if let Some(ml) = map.get("matchLabels").filter(|m| !m.is_null()) {
            let ml_path = path.key("matchLabels");
            let ml = ml
                .as_object()
                .ok_or_else(|| SpecError::new(&ml_path, "matchLabels must be a mapping"))?;
            for (k, val) in ml {
                let value = scalar_string(val)
                    .ok_or_else(|| SpecError::new(&ml_path.key(k), "label values are strings"))?;
                requirements.push(Requirement {
                    key: k.clone(),
                    op: Op::In,
                    values: vec![value],
                    path: Some(ml_path.key(k)),
                });
            }
        }
        if let Some(me) = map.get("matchExpressions").filter(|m| !m.is_null()) {
            let me_path = path.key("matchExpressions");
            let list = me
                .as_array()
                .ok_or_else(|| SpecError::new(&me_path, "matchExpressions must be a list"))?;
            for (i, e) in list.iter().enumerate() {
                requirements.push(parse_expression(e, &me_path.index(i))?);
            }
        }
        requirements.sort();
        Ok(Self { requirements })
    }
}

fn parse_expression(e: &Value, path: &JsonPath) -> SpecResult<Requirement> {
    let key = e
        .get("key")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| SpecError::new(path, "a match expression needs a `key`"))?;
    let op = match e.get("operator").and_then(Value::as_str) {
        Some("In") => Op::In,
        Some("NotIn") => Op::NotIn,
        Some("Exists") => Op::Exists,
        Some("DoesNotExist") => Op::DoesNotExist,
        other => {
            return Err(SpecError::new(
                &path.key("operator"),
                format!(
                    "unknown operator {}; expected In, NotIn, Exists or DoesNotExist",
                    other.map_or_else(|| "(none)".to_string(), |o| format!("`{o}`"))
                ),
            ))
        }
    };
    let mut values = Vec::new();
    if let Some(vs) = e.get("values").filter(|v| !v.is_null()) {
        let list = vs
            .as_array()
            .ok_or_else(|| SpecError::new(&path.key("values"), "values must be a list"))?;
        for (i, v) in list.iter().enumerate() {
            values.push(scalar_string(v).ok_or_else(|| {
                SpecError::new(&path.key("values").index(i), "values are strings")
            })?);
        }
    }
    values.sort();
    values.dedup();
    match op {
        Op::In | Op::NotIn if values.is_empty() => Err(SpecError::new(
            &path.key("operator"),
            "`In` and `NotIn` need at least one value",
        )),
        Op::Exists | Op::DoesNotExist if !values.is_empty() => Err(SpecError::new(
            &path.key("values"),
            "`Exists` and `DoesNotExist` take no values",
        )),
        _ => Ok(Requirement {
            key: key.to_string(),
            op,
            values,
            path: Some(path.key("key")),
        }),
    }
}

/// Label values are strings; a YAML 1.1 reader may have turned `"true"` or `1` into other
/// scalars, which the API server would have rejected unquoted. Take their text back.
pub(crate) fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads a `metadata.labels` mapping (missing: no labels).
pub fn labels_of(v: Option<&Value>) -> Labels {
    let mut out = Labels::new();
    if let Some(map) = v.and_then(Value::as_object) {
        for (k, val) in map {
            if let Some(s) = scalar_string(val) {
                out.insert(k.clone(), s);
            }
        }
    }
    out
}

impl fmt::Display for LabelSelector {
    /// kubectl's selector syntax: `app=web,tier in (a,b),!debug`; `{}` for everything.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.requirements.is_empty() {
            return f.write_str("{}");
        }
        for (i, r) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match r.op {
                Op::In if r.values.len() == 1 => write!(f, "{}={}", r.key, r.values[0])?,
                Op::In => write!(f, "{} in ({})", r.key, r.values.join(","))?,
                Op::NotIn => write!(f, "{} notin ({})", r.key, r.values.join(","))?,
                Op::Exists => write!(f, "{}", r.key)?,
                Op::DoesNotExist => write!(f, "!{}", r.key)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn sel(v: Value) -> LabelSelector {
        LabelSelector::parse(Some(&v), &JsonPath::root()).expect("valid selector")
    }

    #[test]
    fn operators() {
        let l = labels(&[("app", "web"), ("tier", "fe")]);
        assert!(sel(json!({})).matches(&l));
        assert!(sel(json!({"matchLabels": {"app": "web"}})).matches(&l));
        assert!(!sel(json!({"matchLabels": {"app": "web", "x": "y"}})).matches(&l));
        let e = |op: &str, vals: Value| {
            sel(json!({"matchExpressions": [{"key": "tier", "operator": op, "values": vals}]}))
        };
        assert!(e("In", json!(["fe", "be"])).matches(&l));
        assert!(!e("NotIn", json!(["fe"])).matches(&l));
        assert!(e("NotIn", json!(["be"])).matches(&l));
        assert!(e("NotIn", json!(["be"])).matches(&labels(&[])));
        assert!(e("Exists", Value::Null).matches(&l));
        assert!(!e("DoesNotExist", Value::Null).matches(&l));
        assert!(e("DoesNotExist", Value::Null).matches(&labels(&[])));
    }

    #[test]
    fn invalid_selectors_are_errors() {
        let bad = [
            json!({"matchExpressions": [{"key": "a", "operator": "In"}]}),
            json!({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}),
            json!({"matchExpressions": [{"key": "a", "operator": "Like", "values": ["x"]}]}),
            json!({"matchLabels": ["a"]}),
            json!("app=web"),
        ];
        for b in bad {
            assert!(
                LabelSelector::parse(Some(&b), &JsonPath::root()).is_err(),
                "{b}"
            );
        }
    }

    #[test]
    fn equal_regardless_of_order_and_displayed_like_kubectl() {
        let a = sel(json!({"matchLabels": {"a": "1", "b": "2"}}));
        let b = sel(
            json!({"matchExpressions": [{"key": "b", "operator": "In", "values": ["2"]}],
                           "matchLabels": {"a": "1"}}),
        );
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "a=1,b=2");
        assert_eq!(
            LabelSelector::parse(None, &JsonPath::root())
                .expect("ok")
                .to_string(),
            "{}"
        );
    }
}

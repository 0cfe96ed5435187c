//! `metav1.LabelSelector`, as the ClusterRole aggregation controller applies it.
//!
//! All conditions of one selector are ANDed; an empty selector matches everything. Invalid
//! selectors (an unknown operator, `In`/`NotIn` without values, `Exists`/`DoesNotExist` with
//! values) are rejected when parsed, as `metav1.LabelSelectorAsSelector` rejects them.

use std::collections::BTreeMap;

use serde_json::Value;

/// One `matchExpressions` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A parsed label selector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
    pub match_expressions: Vec<Expr>,
}

impl LabelSelector {
    /// Whether `labels` satisfy every condition.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|e| match e {
                Expr::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
                Expr::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
                Expr::Exists(k) => labels.contains_key(k),
                Expr::DoesNotExist(k) => !labels.contains_key(k),
            })
    }

    /// Parses a selector from JSON; the error says what is wrong with it.
    pub fn parse(v: &Value) -> Result<Self, String> {
        let Some(map) = v.as_object() else {
            return Err("a label selector must be a mapping".into());
        };
        let mut sel = LabelSelector::default();
        if let Some(ml) = map.get("matchLabels").filter(|v| !v.is_null()) {
            let Some(ml) = ml.as_object() else {
                return Err("`matchLabels` must be a mapping".into());
            };
            for (k, v) in ml {
                let Some(v) = scalar(v) else {
                    return Err(format!("`matchLabels.{k}` must be a string"));
                };
                sel.match_labels.insert(k.clone(), v);
            }
        }
        if let Some(me) = map.get("matchExpressions").filter(|v| !v.is_null()) {
            let Some(list) = me.as_array() else {
                return Err("`matchExpressions` must be a list".into());
            };
            for (i, e) in list.iter().enumerate() {
                sel.match_expressions
                    .push(parse_expr(e).map_err(|m| format!("matchExpressions[{i}]: {m}"))?);
            }
        }
        Ok(sel)
    }
}

/// Label values are strings; YAML may give `true` or `1`, which the API server would reject,
/// but kubectl users write them quoted, so take their text form rather than fail.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn parse_expr(e: &Value) -> Result<Expr, String> {
    let key = e
        .get("key")
        .and_then(Value::as_str)
        .ok_or("`key` is required")?
        .to_string();
    let op = e
        .get("operator")
        .and_then(Value::as_str)
        .ok_or("`operator` is required")?;
    let values: Vec<String> = match e.get("values") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(vs)) => vs
            .iter()
            .map(|v| scalar(v).ok_or("`values` must hold strings"))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("`values` must be a list".into()),
    };
    match op {
        "In" | "NotIn" if values.is_empty() => {
            Err(format!("operator {op} needs at least one value"))
        }
        "In" => Ok(Expr::In(key, values)),
        "NotIn" => Ok(Expr::NotIn(key, values)),
        "Exists" | "DoesNotExist" if !values.is_empty() => {
            Err(format!("operator {op} takes no values"))
        }
        "Exists" => Ok(Expr::Exists(key)),
        "DoesNotExist" => Ok(Expr::DoesNotExist(key)),
        other => Err(format!(
            "unknown operator `{other}` (expected In, NotIn, Exists or DoesNotExist)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn expressions_follow_label_selector_semantics() {
        let sel = LabelSelector::parse(&json!({
            "matchLabels": {"a": "1"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["x", "y"]},
                {"key": "env", "operator": "NotIn", "values": ["prod"]},
                {"key": "team", "operator": "Exists"},
                {"key": "legacy", "operator": "DoesNotExist"}
            ]
        }))
        .unwrap_or_default();
        assert!(sel.matches(&labels(&[("a", "1"), ("tier", "x"), ("team", "t")])));
        assert!(!sel.matches(&labels(&[("a", "1"), ("tier", "z"), ("team", "t")])));
        assert!(!sel.matches(&labels(&[
            ("a", "1"),
            ("tier", "x"),
            ("team", "t"),
            ("env", "prod")
        ])));
        assert!(!sel.matches(&labels(&[("a", "1"), ("tier", "x")])));
        assert!(!sel.matches(&labels(&[
            ("a", "1"),
            ("tier", "x"),
            ("team", "t"),
            ("legacy", "")
        ])));
    }

    #[test]
    fn empty_selector_matches_everything() {
        let sel = LabelSelector::parse(&json!({})).unwrap_or_default();
        assert!(sel.matches(&BTreeMap::new()));
    }

    #[test]
    fn invalid_selectors_are_rejected() {
        for bad in [
            json!({"matchExpressions": [{"key": "a", "operator": "In"}]}),
            json!({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}),
            json!({"matchExpressions": [{"key": "a", "operator": "Equals", "values": ["x"]}]}),
            json!([]),
        ] {
            assert!(LabelSelector::parse(&bad).is_err(), "{bad}");
        }
    }
}

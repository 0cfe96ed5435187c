//! Reading a [`Policy`] from a loaded object's JSON. Errors name the offending field by path so
//! callers can turn them into `file:line:col`.

use rampart_model::JsonPath;
use serde_json::{Map, Value};

use super::{GroupResources, Level, Policy, PolicyRule, Stage, StageSet};

/// A field of the policy that does not have the shape the API server requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PolicyError {
    pub path: JsonPath,
    pub message: String,
}

fn err(path: &JsonPath, message: impl Into<String>) -> PolicyError {
    PolicyError {
        path: path.clone(),
        message: message.into(),
    }
}

/// True for an `audit.k8s.io` `Policy` object (any version: v1 and the older betas share the
/// fields Rampart reads).
pub fn is_policy(v: &Value) -> bool {
    v.get("kind").and_then(Value::as_str) == Some("Policy")
        && v.get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|a| a.starts_with("audit.k8s.io/"))
}

/// Parses a Policy object. Unknown fields are ignored, as the API server's lenient decoding
/// does; wrong types and unknown levels or stages are errors.
pub fn parse_policy(v: &Value) -> Result<Policy, PolicyError> {
    let root = JsonPath::root();
    let obj = v
        .as_object()
        .ok_or_else(|| err(&root, "expected a mapping for the Policy"))?;
    let omit_stages = stages(obj, &root, "omitStages")?;
    let omit_managed_fields = boolean(obj, &root, "omitManagedFields")?.unwrap_or(false);
    let mut rules = Vec::new();
    let rules_path = root.key("rules");
    match obj.get("rules") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                rules.push(parse_rule(item, &rules_path.index(i))?);
            }
        }
        Some(_) => return Err(err(&rules_path, "expected a list of rules")),
    }
    Ok(Policy {
        rules,
        omit_stages,
        omit_managed_fields,
    })
}

fn parse_rule(v: &Value, path: &JsonPath) -> Result<PolicyRule, PolicyError> {
    let obj = v
        .as_object()
        .ok_or_else(|| err(path, "expected a mapping for the rule"))?;
    let level_path = path.key("level");
    let level = match obj.get("level") {
        Some(Value::String(s)) => Level::parse(s).ok_or_else(|| {
            err(
                &level_path,
                format!("unknown level `{s}`; expected None, Metadata, Request or RequestResponse"),
            )
        })?,
        Some(_) => return Err(err(&level_path, "expected a string for `level`")),
        None => return Err(err(path, "the rule has no `level` (it is required)")),
    };
    let mut resources = Vec::new();
    let res_path = path.key("resources");
    match obj.get("resources") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                resources.push(parse_group_resources(item, &res_path.index(i))?);
            }
        }
        Some(_) => return Err(err(&res_path, "expected a list for `resources`")),
    }
    Ok(PolicyRule {
        level,
        users: strings(obj, path, "users")?,
        user_groups: strings(obj, path, "userGroups")?,
        verbs: strings(obj, path, "verbs")?,
        resources,
        namespaces: strings(obj, path, "namespaces")?,
        non_resource_urls: strings(obj, path, "nonResourceURLs")?,
        omit_stages: stages(obj, path, "omitStages")?,
        omit_managed_fields: boolean(obj, path, "omitManagedFields")?,
    })
}

fn parse_group_resources(v: &Value, path: &JsonPath) -> Result<GroupResources, PolicyError> {
    let obj = v
        .as_object()
        .ok_or_else(|| err(path, "expected a mapping with `group` and `resources`"))?;
    let group = match obj.get("group") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(err(&path.key("group"), "expected a string for `group`")),
    };
    Ok(GroupResources {
        group,
        resources: strings(obj, path, "resources")?,
        resource_names: strings(obj, path, "resourceNames")?,
    })
}

fn strings(
    obj: &Map<String, Value>,
    path: &JsonPath,
    key: &str,
) -> Result<Vec<String>, PolicyError> {
    let p = path.key(key);
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                _ => Err(err(&p.index(i), format!("expected a string in `{key}`"))),
            })
            .collect(),
        Some(_) => Err(err(&p, format!("expected a list of strings for `{key}`"))),
    }
}

fn stages(obj: &Map<String, Value>, path: &JsonPath, key: &str) -> Result<StageSet, PolicyError> {
    let p = path.key(key);
    let names = strings(obj, path, key)?;
    names
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Stage::parse(s).ok_or_else(|| {
                err(
                    &p.index(i),
                    format!(
                        "unknown stage `{s}`; expected RequestReceived, ResponseStarted, \
                         ResponseComplete or Panic"
                    ),
                )
            })
        })
        .collect()
}

fn boolean(
    obj: &Map<String, Value>,
    path: &JsonPath,
    key: &str,
) -> Result<Option<bool>, PolicyError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(err(
            &path.key(key),
            format!("expected true or false for `{key}`"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_defaults() {
        let v = serde_json::json!({
            "apiVersion": "audit.k8s.io/v1", "kind": "Policy",
            "omitStages": ["RequestReceived"],
            "rules": [
                {"level": "Metadata", "resources": [{"resources": ["secrets"]}], "omitManagedFields": true},
                {"level": "None"}
            ]
        });
        assert!(is_policy(&v));
        let p = parse_policy(&v).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.rules.len(), 2);
        assert_eq!(p.rules[0].resources[0].group, "");
        assert_eq!(p.rules[0].omit_managed_fields, Some(true));
        assert!(p.omit_stages.contains(Stage::RequestReceived));
        assert!(p.rules[1].is_unconditional());
    }

    #[test]
    fn errors_point_at_the_field() {
        let v = serde_json::json!({"rules": [{"level": "Metadata"}, {"level": "Everything"}]});
        let e = parse_policy(&v).err();
        assert_eq!(
            e.map(|e| e.path.to_string()),
            Some("rules[1].level".to_string())
        );
        let v = serde_json::json!({"rules": [{"verbs": ["get"]}]});
        assert!(parse_policy(&v).is_err());
        let v = serde_json::json!({"rules": [{"level": "None", "omitStages": ["Done"]}]});
        assert!(parse_policy(&v).is_err());
    }
}

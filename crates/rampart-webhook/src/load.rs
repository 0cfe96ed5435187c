//! Reading the files the webhook is configured from, with `file:line:column` errors:
//! the `PodSecurityConfiguration` (`--admission-config`), Namespaces and Pods
//! (`--namespaces`) and the webhook configuration (`--config`).

use std::fs;
use std::path::Path;

use rampart_manifest::Object;
use rampart_model::JsonPath;
use rampart_pss::admission::{AdmissionPolicy, PodSecurityConfiguration};
use serde_json::Value;

use crate::config::WebhookConfig;
use crate::decide::Policy;
use crate::state::StaticState;

/// A configuration file that cannot be used; the text lists every problem, one per line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LoadError(pub String);

fn read(path: &Path) -> Result<String, LoadError> {
    fs::read_to_string(path).map_err(|e| LoadError(format!("{}: {e}", path.display())))
}

fn parse_objects(path: &Path) -> Result<Vec<Object>, LoadError> {
    let text = read(path)?;
    let file = path.display().to_string();
    let (_, objects, errors) = rampart_manifest::load_text(&file, text);
    if errors.is_empty() {
        Ok(objects)
    } else {
        Err(LoadError(
            errors
                .iter()
                .map(|e| format!("{}:{}:{}: {}", e.file, e.line, e.column, e.message))
                .collect::<Vec<_>>()
                .join("\n"),
        ))
    }
}

/// Reads a `PodSecurityConfiguration` (or an `AdmissionConfiguration` embedding one). Each
/// validation error is reported at the position of the field it names.
pub fn admission_config(path: &Path) -> Result<PodSecurityConfiguration, LoadError> {
    let objects = parse_objects(path)?;
    let file = path.display().to_string();
    let Some(obj) = objects.first() else {
        return Ok(PodSecurityConfiguration::default());
    };
    if objects.len() > 1 {
        return Err(LoadError(format!(
            "{file}: expected one PodSecurityConfiguration document, found {}",
            objects.len()
        )));
    }
    // Inside an AdmissionConfiguration, the reported paths are relative to the embedded
    // configuration.
    let base = embedded_base(&obj.json);
    PodSecurityConfiguration::from_value(&obj.json).map_err(|e| {
        LoadError(
            e.0.iter()
                .map(|msg| {
                    let (field, _) = msg.split_once(": ").unwrap_or(("", msg));
                    let pos = if field.contains(' ') || field.is_empty() {
                        obj.locate(&base)
                    } else {
                        obj.locate(&join(&base, field))
                    };
                    format!("{file}:{}:{}: {msg}", pos.line, pos.column)
                })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

fn embedded_base(doc: &Value) -> JsonPath {
    if doc.get("kind").and_then(Value::as_str) != Some("AdmissionConfiguration") {
        return JsonPath::root();
    }
    let idx = doc.get("plugins").and_then(Value::as_array).and_then(|ps| {
        ps.iter()
            .position(|p| p.get("name").and_then(Value::as_str) == Some("PodSecurity"))
    });
    match idx {
        Some(i) => JsonPath::root()
            .key("plugins")
            .index(i)
            .key("configuration"),
        None => JsonPath::root(),
    }
}

fn join(base: &JsonPath, rel: &str) -> JsonPath {
    base.join(&JsonPath::parse(rel))
}

/// Reads Namespace (and Pod) objects for offline use.
pub fn namespaces(path: &Path) -> Result<StaticState, LoadError> {
    let objects = parse_objects(path)?;
    Ok(StaticState::from_objects(objects.iter().map(|o| &o.json)))
}

/// Reads `--config`.
pub fn webhook_config(path: &Path) -> Result<WebhookConfig, LoadError> {
    let text = read(path)?;
    let file = path.display().to_string();
    WebhookConfig::parse(&file, &text, &rampart_rules::rules())
        .map_err(|e| LoadError(e.to_string()))
}

/// The policy from the optional `--admission-config` and `--config` files, plus the limits.
pub fn policy(
    admission: Option<&Path>,
    config: Option<&Path>,
) -> Result<(Policy, WebhookConfig), LoadError> {
    let pss = match admission {
        Some(p) => admission_config(p)?,
        None => PodSecurityConfiguration::default(),
    };
    let cfg = match config {
        Some(p) => webhook_config(p)?,
        None => WebhookConfig::default(),
    };
    Ok((
        Policy {
            pss: AdmissionPolicy::from_config(&pss),
            rules: cfg.rules.clone(),
        },
        cfg,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admission_config_errors_point_at_fields() {
        let dir = tempfile::tempdir().map_err(|e| e.to_string());
        let Ok(dir) = dir else { return };
        let p = dir.path().join("psa.yaml");
        let text = "apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: strict\ndeflaults: {}\n";
        let _ = fs::write(&p, text);
        let err = admission_config(&p).err().map(|e| e.0).unwrap_or_default();
        assert!(
            err.contains("psa.yaml:4:3: defaults.enforce: Invalid value"),
            "{err}"
        );
        assert!(
            err.contains("psa.yaml:5:1: deflaults: unknown field"),
            "{err}"
        );
        let wrapped = "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    defaults:\n      warn: loud\n";
        let _ = fs::write(&p, wrapped);
        let err = admission_config(&p).err().map(|e| e.0).unwrap_or_default();
        assert!(
            err.contains("psa.yaml:9:7: defaults.warn: Invalid value"),
            "{err}"
        );
    }
}

//! `external-secret-no-refresh`: an ExternalSecret that fetches its value once and never again.

use rampart_manifest::Object;
use rampart_model::{Category, Finding, JsonPath, RuleMeta, Severity};
use serde_json::Value;

use super::eso_kind;

pub static META: RuleMeta = RuleMeta {
    id: "RMP5021",
    name: "external-secret-no-refresh",
    title: "ExternalSecret never refreshes",
    severity: Severity::Low,
    category: Category::Secrets,
    mitre: &[],
    what: "Reports ExternalSecrets (and ClusterExternalSecret templates), external-secrets.io v1beta1 and v1, whose refreshInterval is zero or whose refreshPolicy is CreatedOnce.",
    why: "The value is fetched once: rotating or revoking it in the secret manager never reaches the cluster, so a rotation after a leak silently leaves the old credential in use.",
    fix: "Set spec.refreshInterval to a positive duration (the default is 1h) or use refreshPolicy Periodic.",
    example: "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nspec:\n  refreshInterval: \"0\"\n",
    references: &["https://external-secrets.io/latest/api/externalsecret/"],
};

/// `0`, `"0"`, `0s`, `0m0s`, `0h`: every number in the duration is zero.
fn zero_duration(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => {
            let s = s.trim();
            !s.is_empty()
                && s.chars().any(|c| c.is_ascii_digit())
                && s.split(|c: char| c.is_ascii_alphabetic())
                    .filter(|p| !p.is_empty())
                    .all(|p| p.parse::<f64>().is_ok_and(|n| n == 0.0))
        }
        _ => false,
    }
}

pub fn check(obj: &Object) -> Vec<Finding> {
    let spec_path = match eso_kind(obj) {
        Some("ExternalSecret") => JsonPath::root().key("spec"),
        Some("ClusterExternalSecret") => JsonPath::root().key("spec").key("externalSecretSpec"),
        _ => return Vec::new(),
    };
    let Some(spec) = spec_path.lookup(&obj.json) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if spec.get("refreshInterval").is_some_and(zero_duration) {
        let mut f = Finding::new(&META, "refreshInterval is zero: the value is fetched once and rotations never reach the cluster")
            .at(spec_path.key("refreshInterval"));
        obj.place(&mut f);
        out.push(f);
    }
    if spec.get("refreshPolicy").and_then(Value::as_str) == Some("CreatedOnce") {
        let mut f = Finding::new(&META, "refreshPolicy CreatedOnce: the value is fetched once and rotations never reach the cluster")
            .at(spec_path.key("refreshPolicy"));
        obj.place(&mut f);
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_durations() {
        for v in [
            serde_json::json!(0),
            serde_json::json!("0"),
            serde_json::json!("0s"),
            serde_json::json!("0m0s"),
        ] {
            assert!(zero_duration(&v), "{v}");
        }
        for v in [
            serde_json::json!("1h"),
            serde_json::json!("10m0s"),
            serde_json::json!(""),
            serde_json::json!(null),
        ] {
            assert!(!zero_duration(&v), "{v}");
        }
    }
}

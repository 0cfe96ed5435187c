//! Which pod updates PSA evaluates at all (spec `admission.md` §4).

use serde_json::Value;

fn list<'a>(spec: Option<&'a Value>, key: &str) -> &'a [Value] {
    spec.and_then(|s| s.get(key))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn image(c: &Value) -> &str {
    c.get("image").and_then(Value::as_str).unwrap_or("")
}

fn name(c: &Value) -> &str {
    c.get("name").and_then(Value::as_str).unwrap_or("")
}

/// A Pod UPDATE is evaluated only when the number of containers or init containers changed,
/// a container or init container (by index) changed its image, or an ephemeral container was
/// added (by name) or changed its image. Everything else (labels, annotations, resources,
/// status) is admitted without evaluation.
pub fn is_significant_pod_update(new: &Value, old: &Value) -> bool {
    let (ns, os) = (new.get("spec"), old.get("spec"));
    for key in ["containers", "initContainers"] {
        let (n, o) = (list(ns, key), list(os, key));
        if n.len() != o.len() || n.iter().zip(o).any(|(a, b)| image(a) != image(b)) {
            return true;
        }
    }
    let old_eph = list(os, "ephemeralContainers");
    list(ns, "ephemeralContainers").iter().any(|e| {
        old_eph
            .iter()
            .find(|o| name(o) == name(e))
            .is_none_or(|o| image(o) != image(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_image_and_container_changes_count() {
        let old = json!({"spec": {"containers": [{"name": "a", "image": "x"}]}});
        let relabel = json!({"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "a", "image": "x"}]}});
        assert!(!is_significant_pod_update(&relabel, &old));
        let image = json!({"spec": {"containers": [{"name": "a", "image": "y"}]}});
        assert!(is_significant_pod_update(&image, &old));
        let debug = json!({"spec": {"containers": [{"name": "a", "image": "x"}],
            "ephemeralContainers": [{"name": "dbg", "image": "busybox"}]}});
        assert!(is_significant_pod_update(&debug, &old));
        assert!(!is_significant_pod_update(&debug, &debug));
    }
}

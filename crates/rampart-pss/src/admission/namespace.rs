//! What changing a namespace's `enforce` label would say about the pods already in it: the
//! warnings of `kubectl label --dry-run=server --overwrite ns X pod-security.kubernetes.io/enforce=…`
//! (spec `admission.md` §3.3).

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use serde_json::Value;

use super::decision::AdmissionPolicy;
use crate::level::LevelVersion;
use crate::pod::{Pod, PodInput};

/// Upstream checks at most this many existing pods.
pub const MAX_PODS_TO_CHECK: usize = 3000;

fn controller_uid(pod: &Value) -> Option<&str> {
    pod.pointer("/metadata/ownerReferences")?
        .as_array()?
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        .and_then(|r| r.get("uid"))
        .and_then(Value::as_str)
}

fn name(pod: &Value) -> &str {
    pod.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn runtime_class(pod: &Value) -> &str {
    pod.pointer("/spec/runtimeClassName")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The warnings for evaluating `pods` (Pod objects of `namespace`, in listing order) against a
/// new enforce level: pods with an exempt runtime class are skipped; one pod per controller and
/// every unowned pod go first, then the other replicas; at most [`MAX_PODS_TO_CHECK`] pods and,
/// when `deadline` is given, only until it passes. Undecodable pods are skipped.
pub fn existing_pod_warnings(
    policy: &AdmissionPolicy,
    namespace: &str,
    enforce: LevelVersion,
    pods: &[&Value],
    deadline: Option<Instant>,
) -> Vec<String> {
    let mut first = Vec::with_capacity(pods.len());
    let mut replicas = Vec::new();
    let mut seen = HashSet::new();
    for p in pods.iter().copied() {
        if policy.is_exempt_runtime_class(runtime_class(p)) {
            continue;
        }
        match controller_uid(p) {
            Some(uid) if !seen.insert(uid) => replicas.push(p),
            _ => first.push(p),
        }
    }
    first.extend(replicas);
    let total = first.len();
    let mut to_check = &first[..total.min(MAX_PODS_TO_CHECK)];
    let mut checked = to_check.len();
    // reasons -> (smallest pod name, count), plus first-seen order of the reason sets.
    let mut counts: HashMap<String, (&str, usize)> = HashMap::new();
    let mut order = Vec::new();
    for (i, p) in to_check.iter().enumerate() {
        let input = PodInput {
            metadata: p.get("metadata"),
            spec: p.get("spec"),
            is_pod: true,
        };
        if let Ok(pod) = Pod::decode(input) {
            let v = policy.evaluator().evaluate(enforce, &pod);
            if !v.allowed() {
                let reasons = v
                    .violations
                    .iter()
                    .map(|x| x.reason)
                    .collect::<Vec<_>>()
                    .join(", ");
                let e = counts.entry(reasons.clone()).or_insert_with(|| {
                    order.push(reasons);
                    (name(p), 0)
                });
                if name(p) < e.0 {
                    e.0 = name(p);
                }
                e.1 += 1;
            }
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            checked = i + 1;
            to_check = &to_check[..checked];
            break;
        }
    }
    let mut warnings = Vec::new();
    if checked < total {
        warnings.push(format!(
            "new PodSecurity enforce level only checked against the first {} of {total} existing pods",
            to_check.len()
        ));
    }
    if !order.is_empty() {
        warnings.push(format!(
            "existing pods in namespace \"{namespace}\" violate the new PodSecurity enforce level \"{enforce}\""
        ));
    }
    let mut per_pod: Vec<String> = order
        .iter()
        .map(|reasons| {
            let (pod, n) = counts.get(reasons).copied().unwrap_or(("", 0));
            match n {
                1 => format!("{pod}: {reasons}"),
                2 => format!("{pod} (and 1 other pod): {reasons}"),
                n => format!("{pod} (and {} other pods): {reasons}", n.saturating_sub(1)),
            }
        })
        .collect();
    per_pod.sort();
    warnings.extend(per_pod);
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::{Level, Version};
    use serde_json::json;

    #[test]
    fn groups_pods_by_reasons_like_upstream() {
        let pod = |n: &str, owner: Option<&str>, privileged: bool| {
            let mut p = json!({"metadata": {"name": n}, "spec": {"containers": [
                {"name": "c", "securityContext": {"privileged": privileged}}]}});
            if let Some(uid) = owner {
                p["metadata"]["ownerReferences"] = json!([{"uid": uid, "controller": true}]);
            }
            p
        };
        let pods = [
            pod("web-2", Some("rs1"), true),
            pod("web-1", Some("rs1"), true),
            pod("db", None, false),
            pod("tool", None, true),
        ];
        let refs: Vec<&Value> = pods.iter().collect();
        let lv = LevelVersion::new(Level::Baseline, Version::Latest);
        let w = existing_pod_warnings(&AdmissionPolicy::default(), "shop", lv, &refs, None);
        assert_eq!(w, vec![
            "existing pods in namespace \"shop\" violate the new PodSecurity enforce level \"baseline:latest\"".to_string(),
            "tool (and 2 other pods): privileged".to_string(),
        ]);
        let w = existing_pod_warnings(&AdmissionPolicy::default(), "shop", lv, &refs[2..3], None);
        assert!(w.is_empty());
    }
}

//! Namespace requests (spec `admission.md` §3.3): invalid `pod-security.kubernetes.io/*` labels
//! are rejected (422), an exempt namespace with a policy gets a warning, and a stricter enforce
//! level is checked against the namespace's existing pods — the warnings `kubectl label
//! --dry-run=server` shows.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rampart_pss::admission::{
    aggregate, validate_labels, AdmissionPolicy, Labels, Policy as PssPolicy, AUDIT_LABEL,
    AUDIT_VERSION_LABEL, ENFORCE_LABEL, ENFORCE_VERSION_LABEL, WARN_LABEL, WARN_VERSION_LABEL,
};
use rampart_pss::{Level, LevelVersion, Pod, PodInput};
use serde_json::{Map, Value};

use super::Policy;
use crate::review::{Operation, Outcome, ReviewRequest, Status};
use crate::state::ClusterState;

/// Upstream checks at most this many pods …
const MAX_PODS: usize = 3000;
/// … for at most this long (or half the remaining request time, if shorter).
const MAX_CHECK_TIME: Duration = Duration::from_secs(1);

fn labels_of(obj: &Value) -> Map<String, Value> {
    obj.get("metadata")
        .and_then(|m| m.get("labels"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

pub(super) async fn review(
    p: &Policy,
    state: &dyn ClusterState,
    r: &ReviewRequest,
    deadline: Instant,
) -> Outcome {
    if !r.sub_resource.is_empty() {
        return Outcome::allow();
    }
    let new_labels = labels_of(r.object());
    let name = if r.name.is_empty() {
        r.namespace.as_str()
    } else {
        r.name.as_str()
    };
    let new_errors = validate_labels(&new_labels);
    let (new_policy, _) = p.pss.policy_for(&new_labels);
    if r.operation == Operation::Create {
        if !new_errors.is_empty() {
            return invalid(name, &new_errors);
        }
        return exempt_or_allow(&p.pss, name, &new_policy, &new_labels)
            .unwrap_or_else(Outcome::allow);
    }
    let old_labels = labels_of(r.old_object());
    if !new_errors.is_empty() && new_errors != validate_labels(&old_labels) {
        return invalid(name, &new_errors);
    }
    let (old_policy, _) = p.pss.policy_for(&old_labels);
    let (new_e, old_e) = (new_policy.enforce, old_policy.enforce);
    if new_e.equivalent(&old_e)
        || new_e.level == Level::Privileged
        || (new_e.version == old_e.version && new_e.level <= old_e.level)
    {
        return Outcome::allow();
    }
    if let Some(out) = exempt_or_allow(&p.pss, name, &new_policy, &new_labels) {
        return out;
    }
    let mut out = Outcome::allow();
    // Upstream never takes more than half the time the API server still waits.
    let remaining = deadline.saturating_duration_since(Instant::now()) / 2;
    let budget = MAX_CHECK_TIME.min(remaining);
    out.warnings = match state.pods(name).await {
        Ok(pods) => existing_pod_warnings(&p.pss, name, new_e, &pods, budget),
        Err(_) => vec!["failed to list pods while checking new PodSecurity enforce level".into()],
    };
    out
}

fn invalid(name: &str, errors: &[rampart_pss::admission::LabelError]) -> Outcome {
    Outcome::deny(
        Status::failure(
            422,
            format!("Namespace {name:?} is invalid: {}", aggregate(errors)),
        )
        .with_details(name, "Namespace"),
    )
}

/// `Some` when the namespace is exempt: allowed, with a warning when its labels set a
/// non-privileged policy that differs from the defaults.
fn exempt_or_allow(
    pss: &AdmissionPolicy,
    name: &str,
    policy: &PssPolicy,
    labels: &Map<String, Value>,
) -> Option<Outcome> {
    if !pss.is_exempt_namespace(name) {
        return None;
    }
    let mut out = Outcome::allow();
    let d = pss.defaults();
    let same_as_defaults = policy.enforce.equivalent(&d.enforce)
        && policy.audit.equivalent(&d.audit)
        && policy.warn.equivalent(&d.warn);
    if policy.fully_privileged() || same_as_defaults {
        return Some(out);
    }
    let mut parts = Vec::new();
    for (mode, lv, level_key, version_key) in [
        (
            "enforce",
            policy.enforce,
            ENFORCE_LABEL,
            ENFORCE_VERSION_LABEL,
        ),
        ("audit", policy.audit, AUDIT_LABEL, AUDIT_VERSION_LABEL),
        ("warn", policy.warn, WARN_LABEL, WARN_VERSION_LABEL),
    ] {
        let set = labels.label(level_key).is_some() || labels.label(version_key).is_some();
        if lv.level != Level::Privileged && set {
            parts.push(format!("{mode}={lv}"));
        }
    }
    out.warnings.push(format!(
        "namespace {name:?} is exempt from Pod Security, and the policy ({}) will be ignored",
        parts.join(", ")
    ));
    Some(out)
}

/// The warnings for checking `pods` of `namespace` against a new enforce level: truncation
/// notice, summary line, then one line per distinct set of reasons prefixed by the smallest pod
/// name (and how many other pods share it), sorted.
pub fn existing_pod_warnings(
    pss: &AdmissionPolicy,
    namespace: &str,
    enforce: LevelVersion,
    pods: &[Arc<Value>],
    budget: Duration,
) -> Vec<String> {
    let start = Instant::now();
    let prioritized = prioritize(pss, pods);
    let total = prioritized.len();
    let mut checked = total.min(MAX_PODS);
    // reasons -> (smallest pod name, count), in first-seen order.
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, pod) in prioritized.iter().take(MAX_PODS).enumerate() {
        let meta = pod.get("metadata");
        let decoded = Pod::decode(PodInput {
            metadata: meta,
            spec: pod.get("spec"),
            is_pod: true,
        });
        if let Ok(decoded) = decoded {
            let verdict = pss.evaluator().evaluate(enforce, &decoded);
            if !verdict.allowed() {
                let reasons = verdict
                    .violations
                    .iter()
                    .map(|v| v.reason)
                    .collect::<Vec<_>>()
                    .join(", ");
                let pod_name = meta
                    .and_then(|m| m.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                match seen.get_mut(&reasons) {
                    Some((smallest, count)) => {
                        if pod_name < smallest.as_str() {
                            *smallest = pod_name.to_string();
                        }
                        *count += 1;
                    }
                    None => {
                        seen.insert(reasons.clone(), (pod_name.to_string(), 1));
                        order.push(reasons);
                    }
                }
            }
        }
        if start.elapsed() >= budget {
            checked = i + 1;
            break;
        }
    }
    let mut warnings = Vec::new();
    if checked < total {
        warnings.push(format!(
            "new PodSecurity enforce level only checked against the first {checked} of {total} existing pods"
        ));
    }
    if !order.is_empty() {
        warnings.push(format!(
            "existing pods in namespace {namespace:?} violate the new PodSecurity enforce level {:?}",
            enforce.to_string()
        ));
    }
    let mut per_pod: Vec<String> = order
        .into_iter()
        .map(|reasons| {
            let (name, count) = seen.get(&reasons).cloned().unwrap_or_default();
            match count {
                1 => format!("{name}: {reasons}"),
                2 => format!("{name} (and 1 other pod): {reasons}"),
                n => format!("{name} (and {} other pods): {reasons}", n - 1),
            }
        })
        .collect();
    per_pod.sort();
    warnings.extend(per_pod);
    warnings
}

/// One pod per controller and every unowned pod first, then the remaining replicas; pods of
/// exempt runtime classes are skipped.
fn prioritize<'a>(pss: &AdmissionPolicy, pods: &'a [Arc<Value>]) -> Vec<&'a Value> {
    let mut first = Vec::new();
    let mut replicas = Vec::new();
    let mut controllers = HashSet::new();
    for pod in pods {
        let rc = pod
            .get("spec")
            .and_then(|s| s.get("runtimeClassName"))
            .and_then(Value::as_str)
            .unwrap_or("");
        if pss.is_exempt_runtime_class(rc) {
            continue;
        }
        match controller_uid(pod) {
            None => first.push(&**pod),
            Some(uid) if controllers.insert(uid) => first.push(&**pod),
            Some(_) => replicas.push(&**pod),
        }
    }
    first.extend(replicas);
    first
}

fn controller_uid(pod: &Value) -> Option<&str> {
    pod.get("metadata")?
        .get("ownerReferences")?
        .as_array()?
        .iter()
        .find(|o| o.get("controller").and_then(Value::as_bool) == Some(true))
        .and_then(|o| o.get("uid"))
        .and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, owner: Option<&str>, privileged: bool) -> Arc<Value> {
        let mut p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": "i",
                "securityContext": {"privileged": privileged}}]}});
        if let Some(uid) = owner {
            p["metadata"]["ownerReferences"] = json!([{"uid": uid, "controller": true}]);
        }
        Arc::new(p)
    }

    #[test]
    fn groups_pods_by_reasons() {
        let pss = AdmissionPolicy::default();
        let lv = LevelVersion::new(Level::Baseline, rampart_pss::Version::Latest);
        let pods = vec![
            pod("web-2", Some("rs1"), true),
            pod("web-1", Some("rs1"), true),
            pod("ok", None, false),
            pod("solo", None, true),
        ];
        let w = existing_pod_warnings(&pss, "shop", lv, &pods, Duration::from_secs(1));
        assert_eq!(
            w,
            vec![
                "existing pods in namespace \"shop\" violate the new PodSecurity enforce level \"baseline:latest\"".to_string(),
                "solo (and 2 other pods): privileged".to_string(),
            ]
        );
        let w = existing_pod_warnings(&pss, "shop", lv, &pods[2..3], Duration::from_secs(1));
        assert!(w.is_empty());
    }
}

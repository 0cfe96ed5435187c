//! Admission decisions: exemptions, label resolution, enforce/audit/warn and their messages
//! (spec `admission.md` §2–§5).

use std::collections::BTreeMap;

use rampart_pss::admission::{
    AdmissionPolicy, Exemption, NoLabels, PodSecurityConfiguration, Request, ENFORCE_LABEL,
};
use serde_json::{json, Value};

fn policy(cfg: Value) -> AdmissionPolicy {
    let cfg = PodSecurityConfiguration::from_value(&cfg).unwrap_or_else(|e| panic!("{e}"));
    AdmissionPolicy::from_config(&cfg)
}

fn config(defaults: Value, exemptions: Value) -> Value {
    json!({"apiVersion": "pod-security.admission.config.k8s.io/v1", "kind": "PodSecurityConfiguration",
           "defaults": defaults, "exemptions": exemptions})
}

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

fn pod(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec})
}

fn plain() -> Value {
    json!({"containers": [{"name": "app", "image": "nginx"}]})
}

#[test]
fn enforce_denies_pods_with_upstreams_message_and_warn_is_skipped() {
    let p = policy(config(
        json!({"enforce": "restricted", "warn": "restricted", "audit": "restricted"}),
        json!({}),
    ));
    let obj = pod("web", plain());
    let d = p.evaluate(&Request {
        namespace: "shop",
        labels: &NoLabels,
        username: "alice",
        object: &obj,
    });
    assert!(!d.allowed());
    assert_eq!(d.denial_code(), Some(403));
    assert_eq!(
        d.denial_message("web").as_deref(),
        Some("pods \"web\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"app\" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"app\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"app\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container \"app\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")")
    );
    assert!(d
        .denial_message("")
        .is_some_and(|m| m.starts_with("pods is forbidden: violates")));
    assert!(d.warn.is_none() && d.warnings().is_empty());
    let ann: BTreeMap<_, _> = d.audit_annotations().into_iter().collect();
    assert_eq!(
        ann.get("enforce-policy").map(String::as_str),
        Some("restricted:latest")
    );
    assert!(ann
        .get("audit-violations")
        .is_some_and(|v| v.starts_with("would violate PodSecurity \"restricted:latest\": ")));
}

#[test]
fn namespace_labels_override_defaults_and_warn_follows_enforce() {
    let p = policy(config(json!({}), json!({})));
    let obj = pod("web", plain());
    let ns = labels(&[(ENFORCE_LABEL, "baseline")]);
    let d = p.evaluate(&Request {
        namespace: "shop",
        labels: &ns,
        username: "",
        object: &obj,
    });
    assert!(d.allowed());
    assert_eq!(
        d.policy.map(|p| p.warn.to_string()).as_deref(),
        Some("baseline:latest")
    );
    assert!(d.warnings().is_empty());
    let priv_obj = pod(
        "p",
        json!({"containers": [{"name": "app", "image": "x", "securityContext": {"privileged": true}}]}),
    );
    let d = p.evaluate(&Request {
        namespace: "shop",
        labels: &ns,
        username: "",
        object: &priv_obj,
    });
    assert!(!d.allowed());
}

#[test]
fn workloads_are_warned_and_audited_never_denied() {
    let p = policy(config(
        json!({"enforce": "restricted", "warn": "baseline"}),
        json!({}),
    ));
    let dep = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"template": {"spec": {"hostPID": true, "containers": [{"name": "app", "image": "x"}]}}}});
    let req = Request {
        namespace: "shop",
        labels: &NoLabels,
        username: "",
        object: &dep,
    };
    let d = p.evaluate(&req);
    assert!(d.allowed() && d.enforce.is_none());
    assert_eq!(
        d.warnings(),
        vec![
            "would violate PodSecurity \"baseline:latest\": host namespaces (hostPID=true)"
                .to_string()
        ]
    );
    assert!(d
        .audit_annotations()
        .iter()
        .all(|(k, _)| *k != "enforce-policy"));
    // The pods it creates are enforced.
    assert!(!p.evaluate_created_pods(&req).allowed());
}

#[test]
fn exemptions_short_circuit_in_upstreams_order() {
    let p = policy(config(
        json!({"enforce": "restricted"}),
        json!({"namespaces": ["kube-system"], "usernames": ["admin"], "runtimeClasses": ["kata"]}),
    ));
    let obj = pod("web", plain());
    let req = |ns, user, object| Request {
        namespace: ns,
        labels: &NoLabels,
        username: user,
        object,
    };
    assert_eq!(
        p.evaluate(&req("kube-system", "admin", &obj)).exemption,
        Some(Exemption::Namespace)
    );
    assert_eq!(
        p.evaluate(&req("shop", "admin", &obj)).exemption,
        Some(Exemption::User)
    );
    let kata = pod(
        "k",
        json!({"runtimeClassName": "kata", "containers": [{"name": "app", "image": "x"}]}),
    );
    let d = p.evaluate(&req("shop", "bob", &kata));
    assert_eq!(d.exemption, Some(Exemption::RuntimeClass));
    assert!(d.allowed());
    assert_eq!(
        d.audit_annotations(),
        vec![("exempt", "runtimeClass".to_string())]
    );
    assert!(!p.evaluate(&req("shop", "bob", &obj)).allowed());
}

#[test]
fn privileged_short_cut_label_errors_and_decode_failures() {
    let p = policy(config(json!({}), json!({})));
    let obj = pod("web", plain());
    let d = p.evaluate(&Request {
        namespace: "a",
        labels: &NoLabels,
        username: "",
        object: &obj,
    });
    assert!(d.allowed() && d.enforce.is_none());
    assert_eq!(
        d.audit_annotations(),
        vec![("enforce-policy", "privileged:latest".to_string())]
    );

    let bad = labels(&[(ENFORCE_LABEL, "strict")]);
    let d = p.evaluate(&Request {
        namespace: "a",
        labels: &bad,
        username: "",
        object: &obj,
    });
    assert!(
        !d.allowed(),
        "an invalid enforce label fails closed (restricted)"
    );
    let ann: BTreeMap<_, _> = d.audit_annotations().into_iter().collect();
    assert_eq!(ann.get("error").map(String::as_str),
        Some("Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted"));

    let broken = pod(
        "b",
        json!({"containers": [{"name": "app", "securityContext": {"runAsUser": "0"}}]}),
    );
    let restricted = labels(&[(ENFORCE_LABEL, "restricted")]);
    let d = p.evaluate(&Request {
        namespace: "a",
        labels: &restricted,
        username: "",
        object: &broken,
    });
    assert_eq!(d.denial_code(), Some(400));
    assert!(d
        .audit_annotations()
        .iter()
        .any(|(k, v)| *k == "error" && v.starts_with("failed to decode pod: ")));
}

#[test]
fn audit_reuses_the_enforce_verdict() {
    let p = policy(config(
        json!({"enforce": "baseline", "audit": "baseline", "warn": "baseline"}),
        json!({}),
    ));
    let obj = pod(
        "web",
        json!({"hostIPC": true, "containers": [{"name": "app", "image": "x"}]}),
    );
    let d = p.evaluate(&Request {
        namespace: "a",
        labels: &NoLabels,
        username: "",
        object: &obj,
    });
    assert_eq!(d.enforce, d.audit);
    assert!(!d.allowed());
}

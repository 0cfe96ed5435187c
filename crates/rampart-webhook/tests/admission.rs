//! Request shapes beyond a plain Pod create, over HTTPS: workloads (warnings and audit
//! annotations, never denials), exemptions, subresources, non-significant updates, namespace
//! label validation and the existing-pod dry-run, dry-run requests, Rampart rule actions.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use rampart_pss::admission::{AdmissionPolicy, PodSecurityConfiguration};
use rampart_webhook::config::WebhookConfig;
use rampart_webhook::Policy;
use serde_json::{json, Value};

const ENFORCE: &str = "pod-security.kubernetes.io/enforce";

fn privileged_pod(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "shop"},
        "spec": {"containers": [{"name": "app", "image": "nginx:1",
            "securityContext": {"privileged": true}}]}})
}

fn plain_pod(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "shop"},
        "spec": {"containers": [{"name": "app", "image": "nginx:1"}]}})
}

fn policy(cfg: Value) -> Policy {
    Policy {
        pss: AdmissionPolicy::from_config(&PodSecurityConfiguration::from_value(&cfg).unwrap()),
        rules: Default::default(),
    }
}

fn psc(defaults: Value, exemptions: Value) -> Value {
    json!({"apiVersion": "pod-security.admission.config.k8s.io/v1",
        "kind": "PodSecurityConfiguration", "defaults": defaults, "exemptions": exemptions})
}

fn cluster() -> Vec<Value> {
    let mut pods = vec![
        privileged_pod("web-2"),
        privileged_pod("web-1"),
        plain_pod("fine"),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "sandboxed", "namespace": "shop"},
            "spec": {"runtimeClassName": "kata", "containers": [{"name": "a", "image": "x",
                "securityContext": {"privileged": true}}]}}),
    ];
    pods[0]["metadata"]["ownerReferences"] = json!([{"uid": "rs-1", "controller": true}]);
    pods[1]["metadata"]["ownerReferences"] = json!([{"uid": "rs-1", "controller": true}]);
    let mut all = vec![
        namespace("shop", &[(ENFORCE, "baseline")]),
        namespace("ops", &[(ENFORCE, "restricted")]),
        namespace("kube-system", &[]),
    ];
    all.extend(pods);
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workloads_get_warnings_and_annotations_never_denials() {
    let p = policy(psc(json!({"audit": "restricted"}), json!({})));
    let s = TestServer::with_namespaces(p, &cluster()).await;
    let mut c = s.connect().await;
    let deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "x",
            "securityContext": {"privileged": true}}]}}}});
    let r = admit(&mut c, &review("d1", "shop", &deploy)).await;
    assert_eq!(r["allowed"], true);
    let w = r["warnings"][0].as_str().unwrap();
    assert!(
        w.starts_with("would violate PodSecurity \"baseline:latest\": privileged"),
        "{w}"
    );
    let a = r["auditAnnotations"]["audit-violations"].as_str().unwrap();
    assert!(
        a.starts_with("would violate PodSecurity \"restricted:latest\""),
        "{a}"
    );
    assert!(r["auditAnnotations"].get("enforce-policy").is_none());
    // The same template as a Pod is denied.
    let r = admit(&mut c, &review("p1", "shop", &privileged_pod("web"))).await;
    assert_eq!(r["allowed"], false);
    assert_eq!(r["status"]["code"], 403);
    assert_eq!(
        r["status"]["message"],
        "pods \"web\" is forbidden: violates PodSecurity \"baseline:latest\": privileged (container \"app\" must not set securityContext.privileged=true)"
    );
    assert_eq!(r["status"]["details"]["kind"], "pods");
    assert!(r.get("warnings").is_none(), "no warnings on a denial");
    assert_eq!(r["auditAnnotations"]["enforce-policy"], "baseline:latest");
    // Subresources of workloads and ignored pod subresources are allowed untouched.
    let mut scale = review("s1", "shop", &deploy);
    scale["request"]["subResource"] = json!("scale");
    let r = admit(&mut c, &scale).await;
    assert_eq!(r, json!({"uid": "s1", "allowed": true}));
    let mut exec = review("e1", "shop", &privileged_pod("web"));
    exec["request"]["subResource"] = json!("exec");
    assert_eq!(admit(&mut c, &exec).await["allowed"], true);
    // ephemeralcontainers is evaluated as a Pod.
    let mut debugged = plain_pod("web");
    debugged["spec"]["ephemeralContainers"] =
        json!([{"name": "dbg", "image": "busybox", "securityContext": {"privileged": true}}]);
    let mut eph = review("e2", "shop", &debugged);
    eph["request"]["subResource"] = json!("ephemeralcontainers");
    eph["request"]["operation"] = json!("UPDATE");
    eph["request"]["oldObject"] = plain_pod("web");
    assert_eq!(admit(&mut c, &eph).await["allowed"], false);
    // A malformed template is allowed with an error annotation; a malformed Pod is denied 400.
    let bad = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "b"},
        "spec": {"template": []}});
    let r = admit(&mut c, &review("b1", "shop", &bad)).await;
    assert_eq!(r["allowed"], true);
    assert!(r["auditAnnotations"]["error"]
        .as_str()
        .unwrap()
        .starts_with("failed to extract pod template"));
    let bad_pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"},
        "spec": {"containers": "nope"}});
    let r = admit(&mut c, &review("b2", "shop", &bad_pod)).await;
    assert_eq!(r["allowed"], false);
    assert_eq!(r["status"]["code"], 400);
    assert!(r["auditAnnotations"]["error"]
        .as_str()
        .unwrap()
        .starts_with("failed to decode pod"));
    // Other kinds and DELETE are allowed untouched.
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}});
    assert_eq!(
        admit(&mut c, &review("c1", "shop", &cm)).await,
        json!({"uid": "c1", "allowed": true})
    );
    let del = review_op(
        "del",
        "shop",
        "DELETE",
        &Value::Null,
        &privileged_pod("web"),
        "alice",
    );
    let mut del = del;
    del["request"]["resource"] = json!({"group": "", "version": "v1", "resource": "pods"});
    assert_eq!(
        admit(&mut c, &del).await,
        json!({"uid": "del", "allowed": true})
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exemptions_updates_and_dry_run() {
    let p = policy(psc(
        json!({"enforce": "baseline"}),
        json!({"namespaces": ["kube-system"], "usernames": ["break-glass"], "runtimeClasses": ["kata"]}),
    ));
    let s = TestServer::with_namespaces(p, &cluster()).await;
    let mut c = s.connect().await;
    let r = admit(&mut c, &review("n", "kube-system", &privileged_pod("x"))).await;
    assert_eq!(
        (
            r["allowed"].clone(),
            r["auditAnnotations"]["exempt"].clone()
        ),
        (json!(true), json!("namespace"))
    );
    let req = review_op(
        "u",
        "shop",
        "CREATE",
        &privileged_pod("x"),
        &Value::Null,
        "break-glass",
    );
    let r = admit(&mut c, &req).await;
    assert_eq!(r["auditAnnotations"]["exempt"], "user");
    let mut kata = privileged_pod("k");
    kata["spec"]["runtimeClassName"] = json!("kata");
    let r = admit(&mut c, &review("rc", "shop", &kata)).await;
    assert_eq!(
        (
            r["allowed"].clone(),
            r["auditAnnotations"]["exempt"].clone()
        ),
        (json!(true), json!("runtimeClass"))
    );
    // A label-only update of a violating pod is not re-evaluated; an image change is.
    let mut relabeled = privileged_pod("web");
    relabeled["metadata"]["labels"] = json!({"a": "b"});
    let upd = review_op(
        "up1",
        "shop",
        "UPDATE",
        &relabeled,
        &privileged_pod("web"),
        "alice",
    );
    assert_eq!(
        admit(&mut c, &upd).await,
        json!({"uid": "up1", "allowed": true})
    );
    let mut reimaged = privileged_pod("web");
    reimaged["spec"]["containers"][0]["image"] = json!("nginx:2");
    let upd = review_op(
        "up2",
        "shop",
        "UPDATE",
        &reimaged,
        &privileged_pod("web"),
        "alice",
    );
    assert_eq!(admit(&mut c, &upd).await["allowed"], false);
    // Dry-run requests are decided exactly like real ones.
    let mut dry = review("dry", "shop", &privileged_pod("web"));
    dry["request"]["dryRun"] = json!(true);
    assert_eq!(admit(&mut c, &dry).await["allowed"], false);
    // A namespace unknown to the file uses the defaults (baseline here).
    assert_eq!(
        admit(&mut c, &review("unk", "elsewhere", &privileged_pod("w"))).await["allowed"],
        false
    );
    let m = c.request("GET", "/metrics", &[], "").await.unwrap();
    let text = String::from_utf8_lossy(&m.body).to_string();
    assert!(text.contains("rampart_webhook_dry_run_total 1"), "{text}");
    assert!(
        text.contains("rampart_webhook_exemptions_total{resource=\"pods\"} 3"),
        "{text}"
    );
    s.stop().await;
}

fn ns_review(uid: &str, op: &str, new: &Value, old: &Value) -> Value {
    let name = new["metadata"]["name"].as_str().unwrap();
    review_op(uid, name, op, new, old, "admin")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn namespace_labels_are_validated_and_dry_run_against_existing_pods() {
    let p = policy(psc(json!({}), json!({"namespaces": ["kube-system"]})));
    let s = TestServer::with_namespaces(p, &cluster()).await;
    let mut c = s.connect().await;
    let bad = namespace("new", &[(ENFORCE, "strict")]);
    let r = admit(&mut c, &ns_review("c1", "CREATE", &bad, &Value::Null)).await;
    assert_eq!(r["allowed"], false);
    assert_eq!(r["status"]["code"], 422);
    assert_eq!(r["status"]["reason"], "Invalid");
    assert_eq!(
        r["status"]["message"],
        "Namespace \"new\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted"
    );
    let ok = namespace("new", &[(ENFORCE, "restricted")]);
    assert_eq!(
        admit(&mut c, &ns_review("c2", "CREATE", &ok, &Value::Null)).await,
        json!({"uid": "c2", "allowed": true})
    );
    // Exempt namespace with a policy: warned that it will be ignored.
    let ks = namespace("kube-system", &[(ENFORCE, "restricted")]);
    let r = admit(&mut c, &ns_review("c3", "CREATE", &ks, &Value::Null)).await;
    assert_eq!(
        r["warnings"][0],
        "namespace \"kube-system\" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored"
    );
    // Tightening shop from baseline to restricted: existing pods checked.
    let old = namespace("shop", &[(ENFORCE, "baseline")]);
    let new = namespace("shop", &[(ENFORCE, "restricted")]);
    let r = admit(&mut c, &ns_review("u1", "UPDATE", &new, &old)).await;
    assert_eq!(r["allowed"], true);
    let w: Vec<String> = serde_json::from_value(r["warnings"].clone()).unwrap();
    assert_eq!(w[0], "existing pods in namespace \"shop\" violate the new PodSecurity enforce level \"restricted:latest\"");
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(w[1].starts_with("fine: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile"), "{w:?}");
    assert!(
        w[2].starts_with(
            "sandboxed (and 2 other pods): privileged, allowPrivilegeEscalation != false"
        ),
        "{w:?}"
    );
    // Loosening or keeping the level: nothing to check.
    let r = admit(&mut c, &ns_review("u2", "UPDATE", &old, &new)).await;
    assert!(r.get("warnings").is_none());
    // Invalid labels on update are refused unless they were already there.
    let broken = namespace("shop", &[(ENFORCE, "strict")]);
    assert_eq!(
        admit(&mut c, &ns_review("u3", "UPDATE", &broken, &old)).await["status"]["code"],
        422
    );
    let mut relabeled = broken.clone();
    relabeled["metadata"]["labels"]["team"] = json!("a");
    assert_eq!(
        admit(&mut c, &ns_review("u4", "UPDATE", &relabeled, &broken)).await["allowed"],
        true
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rampart_rules_deny_and_warn_by_severity_and_id() {
    let rules = rampart_rules::rules();
    // Pick a rule that fires on a plain container without a security context.
    let cfg_text = "rules:\n  deny:\n    severity: critical\n  warn:\n    severity: info\n";
    let cfg = WebhookConfig::parse("r.yaml", cfg_text, &rules).unwrap();
    let mut p = policy(psc(json!({}), json!({"namespaces": ["kube-system"]})));
    p.rules = cfg.rules;
    let s = TestServer::with_namespaces(p, &cluster()).await;
    let mut c = s.connect().await;
    let r = admit(&mut c, &review("w", "shop", &plain_pod("web"))).await;
    assert_eq!(r["allowed"], true);
    let warnings: Vec<String> = serde_json::from_value(r["warnings"].clone()).unwrap_or_default();
    assert!(
        !warnings.is_empty() && warnings.iter().all(|w| w.starts_with("Rampart RMP")),
        "{warnings:?}"
    );
    assert!(r["auditAnnotations"]["rampart-violations"]
        .as_str()
        .unwrap()
        .starts_with("RMP"));
    // Deny by id: the first rule that warned now denies the Pod …
    let first = warnings[0].split_whitespace().nth(1).unwrap().to_string();
    let cfg_text = format!("rules:\n  deny:\n    ids: [{first}]\n");
    let cfg = WebhookConfig::parse("r.yaml", &cfg_text, &rules).unwrap();
    let mut p = policy(psc(json!({}), json!({"namespaces": ["kube-system"]})));
    p.rules = cfg.rules;
    s.state.engine.set_policy(p);
    let r = admit(&mut c, &review("d", "shop", &plain_pod("web"))).await;
    assert_eq!(r["allowed"], false);
    let msg = r["status"]["message"].as_str().unwrap();
    assert!(
        msg.starts_with(&format!(
            "pods \"web\" is forbidden: violates Rampart rules: {first}"
        )),
        "{msg}"
    );
    // … but only warns on a workload template, and exempt namespaces skip rules.
    let deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1"}]}}}});
    let r = admit(&mut c, &review("dep", "shop", &deploy)).await;
    assert_eq!(r["allowed"], true);
    assert!(r["warnings"][0]
        .as_str()
        .unwrap()
        .starts_with(&format!("Rampart {first}")));
    let r = admit(&mut c, &review("ks", "kube-system", &plain_pod("web"))).await;
    assert_eq!(r["allowed"], true);
    s.stop().await;
}

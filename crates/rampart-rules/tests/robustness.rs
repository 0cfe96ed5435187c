//! No input shape makes a rule panic, and every finding is placed.
//!
//! Arbitrary JSON trees are dropped into every field the rules read (pod spec, containers,
//! security contexts, volumes, Services, Ingresses); the real-world corpus in
//! `../shared/corpus` is scanned whole when it is present.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{json, Value};

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..70000).prop_map(Value::from),
        prop_oneof![
            Just("ALL"),
            Just("SYS_ADMIN"),
            Just("Unconfined"),
            Just("/"),
            Just("/var/run/docker.sock"),
            Just("nginx:latest"),
            Just(""),
            Just("LoadBalancer"),
            Just("a"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("name"),
                    Just("type"),
                    Just("add"),
                    Just("drop"),
                    Just("path"),
                    Just("hostPath"),
                    Just("host"),
                    Just("securityContext"),
                    Just("capabilities"),
                    Just("httpGet"),
                    Just("limits"),
                    Just("cpu"),
                ]
                .prop_map(String::from),
                inner,
                0..4,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn scan(doc: &Value) {
    let text = serde_json::to_string(doc).unwrap_or_default();
    let (_, objects, _) = rampart_manifest::load_text("fuzz.json", text);
    for f in rampart_rules::check(&objects) {
        assert!(
            f.line > 0 && f.column > 0 && !f.file.is_empty(),
            "unplaced finding {f:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_pod_fields_never_panic(
        sc in any_json(), c_sc in any_json(), caps in any_json(), vols in any_json(),
        ports in any_json(), res in any_json(), probe in any_json(), anns in any_json(),
    ) {
        let pod = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "d", "namespace": "default"},
            "spec": {"template": {
                "metadata": {"annotations": anns},
                "spec": {
                    "securityContext": sc, "volumes": vols, "hostPID": caps.clone(),
                    "containers": [
                        {"name": "a", "image": "x:1", "securityContext": c_sc, "ports": ports,
                         "resources": res, "livenessProbe": probe, "volumeMounts": vols.clone()},
                        {"name": "b", "securityContext": {"capabilities": caps}},
                        c_sc.clone(),
                    ],
                    "initContainers": vols.clone(),
                    "ephemeralContainers": probe.clone(),
                }}}
        });
        scan(&pod);
    }

    #[test]
    fn arbitrary_services_and_ingresses_never_panic(spec in any_json(), anns in any_json()) {
        for kind in ["Service", "Ingress", "Pod", "CronJob"] {
            scan(&json!({"kind": kind, "metadata": {"name": "x", "annotations": anns}, "spec": spec}));
        }
    }
}

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if p.is_dir() {
        return Some(p);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "../shared/corpus is missing under CI"
    );
    eprintln!("note: ../shared/corpus not found; corpus robustness run skipped");
    None
}

#[test]
fn the_whole_corpus_is_checked_without_panic_and_every_finding_is_placed() {
    let Some(dir) = corpus() else { return };
    let loaded = rampart_manifest::load_paths(&[dir], &rampart_manifest::LoadOptions::default());
    assert!(loaded.objects.len() > 10_000, "corpus looks truncated");
    let findings = rampart_rules::check(&loaded.objects);
    assert!(!findings.is_empty());
    for f in &findings {
        assert!(
            f.line > 0 && f.column > 0 && f.object.is_some() && f.path.is_some(),
            "unplaced finding {f:?}"
        );
    }
}

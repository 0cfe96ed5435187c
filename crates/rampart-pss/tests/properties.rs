//! Properties of the level lattice that must hold for any pod and any version.

use proptest::prelude::*;
use rampart_pss::{CheckId, Evaluator, Level, LevelVersion, Pod, PodInput, Version};
use serde_json::{json, Value};

/// Security context fields with a mix of good, bad and odd values.
fn security_context() -> impl Strategy<Value = Value> {
    (
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(prop::sample::select(vec![
            json!({}),
            json!({"drop": ["ALL"]}),
            json!({"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}),
            json!({"add": ["SYS_ADMIN"]}),
            json!({"drop": ["all"], "add": ["CHOWN"]}),
        ])),
        prop::option::of(prop::sample::select(vec!["Default", "Unmasked"])),
        prop::option::of(prop::sample::select(vec![
            "RuntimeDefault",
            "Localhost",
            "Unconfined",
            "",
        ])),
        prop::option::of(prop::sample::select(vec!["RuntimeDefault", "Unconfined"])),
        prop::option::of(any::<bool>()),
        prop::option::of(prop::sample::select(vec![0i64, 1000])),
        prop::option::of(prop::sample::select(vec![
            json!({}),
            json!({"type": "spc_t"}),
            json!({"user": "u"}),
        ])),
    )
        .prop_map(|(priv_, ape, caps, pm, sc, aa, rnr, ru, se)| {
            let mut m = serde_json::Map::new();
            let mut put = |k: &str, v: Option<Value>| {
                if let Some(v) = v {
                    m.insert(k.to_string(), v);
                }
            };
            put("privileged", priv_.map(Value::from));
            put("allowPrivilegeEscalation", ape.map(Value::from));
            put("capabilities", caps);
            put("procMount", pm.map(Value::from));
            put("seccompProfile", sc.map(|t| json!({"type": t})));
            put("appArmorProfile", aa.map(|t| json!({"type": t})));
            put("runAsNonRoot", rnr.map(Value::from));
            put("runAsUser", ru.map(Value::from));
            put("seLinuxOptions", se);
            Value::Object(m)
        })
}

fn container(name: &'static str) -> impl Strategy<Value = Value> {
    (
        prop::option::of(security_context()),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(sc, port, probe)| {
            let mut c = json!({"name": name, "image": "x"});
            if let Some(sc) = sc {
                c["securityContext"] = sc;
            }
            if port {
                c["ports"] = json!([{"containerPort": 80, "hostPort": 80}]);
            }
            if probe {
                c["livenessProbe"] = json!({"httpGet": {"host": "h", "port": 80}});
            }
            c
        })
}

fn pod() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(container("c"), 1..3),
        prop::collection::vec(container("i"), 0..2),
        prop::option::of(security_context()),
        prop::option::of(prop::sample::select(vec!["windows", "linux", "Windows"])),
        prop::option::of(any::<bool>()),
        any::<bool>(),
        prop::sample::select(vec![json!([]), json!([{"name": "v"}]), json!([{"name": "h", "hostPath": {"path": "/"}}]),
            json!([{"name": "n", "nfs": {"server": "s", "path": "/"}}])]),
        prop::sample::select(vec![json!({}), json!({"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}),
            json!({"container.apparmor.security.beta.kubernetes.io/c": "unconfined"})]),
    )
        .prop_map(|(cs, is, psc, os, host_users, host_net, volumes, annotations)| {
            let mut spec = json!({"containers": cs, "initContainers": is, "volumes": volumes, "hostNetwork": host_net});
            if let Some(mut sc) = psc {
                // Pod level has no privileged/APE/capabilities/procMount fields; unknown there.
                if let Some(m) = sc.as_object_mut() {
                    m.insert("sysctls".into(), json!([{"name": "kernel.msgmax", "value": "1"}]));
                }
                spec["securityContext"] = sc;
            }
            if let Some(os) = os {
                spec["os"] = json!({"name": os});
            }
            if let Some(h) = host_users {
                spec["hostUsers"] = json!(h);
            }
            json!({"metadata": {"annotations": annotations}, "spec": spec})
        })
}

fn decode(p: &Value) -> Pod<'_> {
    Pod::decode(PodInput {
        metadata: p.get("metadata"),
        spec: p.get("spec"),
        is_pod: true,
    })
    .unwrap_or_else(|e| panic!("generated pods decode: {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Anything restricted allows, baseline allows — except for upstream's override quirk:
    /// from v1.25 a Windows pod escapes the restricted checks that replace
    /// capabilities_baseline and seccompProfile_baseline (spec §1.4).
    #[test]
    fn restricted_allowed_implies_baseline_allowed(p in pod(), minor in 0u64..40) {
        let pod = decode(&p);
        let ev = Evaluator::new();
        let v = Version::Minor(minor);
        let r = ev.evaluate(LevelVersion::new(Level::Restricted, v), &pod);
        let b = ev.evaluate(LevelVersion::new(Level::Baseline, v), &pod);
        if r.allowed() {
            let quirk = pod.is_windows() && minor >= 25;
            for x in &b.violations {
                prop_assert!(quirk && matches!(x.check, CheckId::CapabilitiesBaseline | CheckId::SeccompProfileBaseline),
                    "baseline {} at v1.{minor} while restricted allows", x.check);
            }
        }
    }

    /// Every baseline violation shows up at restricted, under its own ID or the ID of the
    /// restricted check that replaces it (Windows quirk aside).
    #[test]
    fn baseline_violations_are_reported_at_restricted(p in pod(), minor in 0u64..40) {
        let pod = decode(&p);
        let ev = Evaluator::new();
        let v = Version::Minor(minor);
        let r = ev.evaluate(LevelVersion::new(Level::Restricted, v), &pod);
        let b = ev.evaluate(LevelVersion::new(Level::Baseline, v), &pod);
        for x in &b.violations {
            let replaced_by = CheckId::ALL.iter().copied().find(|c| {
                c.overrides().is_some_and(|(base, from)| base == x.check && from <= minor && c.since() <= minor)
            });
            let ok = match replaced_by {
                None => r.violations.iter().any(|y| y.check == x.check),
                Some(c) => r.violations.iter().any(|y| y.check == c) || (pod.is_windows() && minor >= 25),
            };
            prop_assert!(ok, "{} at baseline v1.{minor} not reported at restricted", x.check);
        }
    }

    /// Privileged allows everything; `latest` is the newest version; the lint view is a
    /// superset of PSA's verdict.
    #[test]
    fn privileged_latest_and_lint(p in pod()) {
        let pod = decode(&p);
        let ev = Evaluator::new();
        for v in [Version::Minor(0), Version::Latest] {
            prop_assert!(ev.evaluate(LevelVersion::new(Level::Privileged, v), &pod).allowed());
        }
        for level in [Level::Baseline, Level::Restricted] {
            let latest = ev.evaluate(LevelVersion::new(level, Version::Latest), &pod);
            let newest = ev.evaluate(LevelVersion::new(level, Version::Minor(rampart_pss::NEWEST_MINOR + 5)), &pod);
            prop_assert_eq!(&latest.violations, &newest.violations);
            let all = ev.evaluate_all(LevelVersion::new(level, Version::Latest), &pod);
            for x in &latest.violations {
                prop_assert!(all.violations.contains(x));
            }
        }
    }

    /// Decoding never panics, whatever JSON sits where a pod spec is expected.
    #[test]
    fn decoding_arbitrary_json_never_panics(v in arbitrary_json(4)) {
        let wrapped = json!({"containers": [v.clone()], "securityContext": v.clone(), "volumes": [v.clone()]});
        for spec in [&v, &wrapped] {
            if let Ok(pod) = Pod::decode(PodInput { metadata: Some(&v), spec: Some(spec), is_pod: true }) {
                let _ = Evaluator::new().evaluate(LevelVersion::new(Level::Restricted, Version::Latest), &pod);
            }
        }
    }
}

fn arbitrary_json(depth: u32) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z]{0,6}".prop_map(Value::from),
    ];
    leaf.prop_recursive(depth, 32, 4, |inner| {
        let keys = prop::sample::select(vec![
            "name",
            "securityContext",
            "privileged",
            "capabilities",
            "add",
            "drop",
            "ports",
            "hostPort",
            "seccompProfile",
            "type",
            "annotations",
            "hostPath",
            "sysctls",
            "os",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(keys, inner, 0..4).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

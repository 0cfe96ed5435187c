use proptest::prelude::*;
use rampart_model::JsonPath;
use serde_json::{json, Map, Value};

use super::*;

fn resolve_with<'a>(
    pod_sc: &'a Value,
    container: &'a Value,
    annotations: Option<&'a Value>,
) -> EffectiveContext<'a> {
    EffectiveContext::resolve(&Inputs {
        pod_sc: Some(pod_sc),
        pod_sc_path: &JsonPath::parse("spec.securityContext"),
        container,
        container_path: &JsonPath::parse("spec.containers[0]"),
        annotations,
        meta_path: &JsonPath::parse("metadata"),
    })
}

#[test]
fn container_over_pod_with_paths() {
    let pod = json!({"runAsUser": 0, "runAsGroup": 0, "runAsNonRoot": false});
    let c = json!({"name": "a", "securityContext": {"runAsUser": 1000, "runAsNonRoot": null}});
    let e = resolve_with(&pod, &c, None);
    assert_eq!(e.run_as_user.as_i64(), Some(1000));
    assert_eq!(e.run_as_user.origin, Origin::Container);
    assert_eq!(
        e.path(&e.run_as_user).to_string(),
        "spec.containers[0].securityContext.runAsUser"
    );
    assert_eq!(e.run_as_group.origin, Origin::Pod);
    assert_eq!(
        e.path(&e.run_as_group).to_string(),
        "spec.securityContext.runAsGroup"
    );
    // A container `null` is unset, so the pod value shows through.
    assert_eq!(e.run_as_non_root.as_bool(), Some(false));
    assert_eq!(e.run_as_non_root.origin, Origin::Pod);
    assert_eq!(e.privileged.origin, Origin::Unset);
    assert_eq!(
        e.path(&e.privileged).to_string(),
        "spec.containers[0].securityContext.privileged"
    );
}

#[test]
fn structs_are_taken_whole_but_windows_options_merge_per_field() {
    let pod = json!({"seLinuxOptions": {"type": "spc_t", "level": "s0"},
                     "windowsOptions": {"hostProcess": true, "runAsUserName": "SYSTEM"}});
    let c = json!({"name": "a", "securityContext": {"seLinuxOptions": {"level": "s0:c1"},
                                                    "windowsOptions": {"runAsUserName": "app"}}});
    let e = resolve_with(&pod, &c, None);
    assert_eq!(e.se_linux_options.get("type"), None);
    assert_eq!(e.windows_host_process.origin, Origin::Pod);
    assert_eq!(e.windows_run_as_user_name.as_str(), Some("app"));
    assert_eq!(
        e.path(&e.windows_host_process).to_string(),
        "spec.securityContext.windowsOptions.hostProcess"
    );
}

#[test]
fn apparmor_order_is_field_then_annotation_then_pod() {
    let ann = json!({"container.apparmor.security.beta.kubernetes.io/a": "unconfined"});
    let pod = json!({"appArmorProfile": {"type": "RuntimeDefault"}});
    let a = json!({"name": "a"});
    let e = resolve_with(&pod, &a, Some(&ann));
    assert_eq!(e.app_armor_type(), Some("Unconfined"));
    assert_eq!(
        e.path_to(&e.app_armor_profile, &["type"]).to_string(),
        "metadata.annotations[\"container.apparmor.security.beta.kubernetes.io/a\"]"
    );
    let a2 = json!({"name": "a", "securityContext": {"appArmorProfile": {"type": "Localhost"}}});
    let e = resolve_with(&pod, &a2, Some(&ann));
    assert_eq!(e.app_armor_type(), Some("Localhost"));
    let b = json!({"name": "b"});
    let e = resolve_with(&pod, &b, Some(&ann));
    assert_eq!(e.app_armor_type(), Some("RuntimeDefault"));
    assert_eq!(e.app_armor_profile.origin, Origin::Pod);
}

#[test]
fn wrong_shapes_do_not_panic() {
    let (pod, c, ann) = (
        json!([1, 2]),
        json!({"name": 3, "securityContext": "x"}),
        json!(7),
    );
    let e = resolve_with(&pod, &c, Some(&ann));
    assert!(!e.run_as_user.is_set());
    assert!(!e.app_armor_profile.is_set());
}

/// Fields merged from pod and container, with a value generator for each.
const MERGED: &[&str] = &[
    "runAsNonRoot",
    "runAsUser",
    "runAsGroup",
    "seccompProfile",
    "seLinuxOptions",
    "appArmorProfile",
];

fn value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        any::<bool>().prop_map(|b| Some(json!(b))),
        (0i64..70000).prop_map(|n| Some(json!(n))),
        prop_oneof![
            Just("RuntimeDefault"),
            Just("Unconfined"),
            Just("Localhost")
        ]
        .prop_map(|t| Some(json!({"type": t}))),
    ]
}

fn sc(values: &[Option<Value>]) -> Value {
    let mut m = Map::new();
    for (k, v) in MERGED.iter().zip(values) {
        if let Some(v) = v {
            m.insert((*k).to_string(), v.clone());
        }
    }
    Value::Object(m)
}

fn pick<'e, 'a>(e: &'e EffectiveContext<'a>, field: &str) -> &'e Setting<'a> {
    match field {
        "runAsNonRoot" => &e.run_as_non_root,
        "runAsUser" => &e.run_as_user,
        "runAsGroup" => &e.run_as_group,
        "seccompProfile" => &e.seccomp_profile,
        "seLinuxOptions" => &e.se_linux_options,
        _ => &e.app_armor_profile,
    }
}

proptest! {
    #[test]
    fn container_value_wins_whenever_set(
        pod_values in proptest::collection::vec(value(), MERGED.len()),
        container_values in proptest::collection::vec(value(), MERGED.len()),
    ) {
        let pod = sc(&pod_values);
        let container = json!({"name": "a", "securityContext": sc(&container_values)});
        let e = resolve_with(&pod, &container, None);
        for (i, field) in MERGED.iter().enumerate() {
            let s = pick(&e, field);
            let c = container_values[i].as_ref().filter(|v| !v.is_null());
            let p = pod_values[i].as_ref().filter(|v| !v.is_null());
            let (want, origin, base) = match (c, p) {
                (Some(c), _) => (Some(c), Origin::Container, "spec.containers[0].securityContext"),
                (None, Some(p)) => (Some(p), Origin::Pod, "spec.securityContext"),
                (None, None) => (None, Origin::Unset, "spec.containers[0].securityContext"),
            };
            prop_assert_eq!(s.value, want);
            prop_assert_eq!(s.origin, origin);
            prop_assert_eq!(e.path(s).to_string(), format!("{base}.{field}"));
        }
    }

    #[test]
    fn container_only_fields_never_inherit(privileged in any::<bool>(), ape in any::<bool>()) {
        let pod = json!({"privileged": privileged, "allowPrivilegeEscalation": ape, "procMount": "Unmasked"});
        let c = json!({"name": "a"});
        let e = resolve_with(&pod, &c, None);
        prop_assert!(!e.privileged.is_set());
        prop_assert!(!e.allow_privilege_escalation.is_set());
        prop_assert!(!e.proc_mount.is_set());
    }
}

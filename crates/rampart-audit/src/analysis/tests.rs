use super::*;
use crate::policy::{parse_policy, Level, Policy};

fn policy(yaml_json: serde_json::Value) -> Policy {
    parse_policy(&yaml_json).unwrap()
}

fn sample_policy() -> Policy {
    policy(serde_json::json!({"rules": [
        {"level": "None", "users": ["system:kube-proxy"], "verbs": ["watch"],
         "resources": [{"group": "", "resources": ["endpoints", "services"]}]},
        {"level": "None", "userGroups": ["system:authenticated"], "nonResourceURLs": ["/api*", "/version"]},
        {"level": "RequestResponse", "resources": [{"group": "", "resources": ["pods", "deployments"]}]},
        {"level": "Request", "resources": [{"group": ""}, {"group": "extensions"}]},
        {"level": "Metadata", "resources": [{"group": "", "resources": ["secrets", "configmaps"]}]},
        {"level": "Metadata", "namespaces": ["prod"], "resources": [{"group": "apps", "resources": ["*/scale", "deployments/*"], "resourceNames": ["web"]}]},
        {"level": "Request", "userGroups": ["a", "b"], "nonResourceURLs": ["/logs/*"]},
        {"level": "Metadata"}
    ]}))
}

#[test]
fn secrets_rule_after_core_group_is_shadowed() {
    let p = sample_policy();
    let a = Analysis::new(&p);
    assert!(a.shadowed(4));
    assert!(!a.shadowed(3));
    assert!(!a.shadowed(7));
    assert!(a.unmatched(&a.space.full()).is_none());
    let secrets = a.space.restrict(a.space.full(), RESOURCE, &["secrets"]);
    let secrets = a.space.restrict(secrets, API_GROUP, &[""]);
    let secrets = a.space.restrict(secrets, SUB, &[""]);
    let secrets = a.space.restrict(secrets, KIND, &[RESOURCE_REQUEST]);
    let req = a.decides(3, &secrets).unwrap();
    assert_eq!(p.evaluate(&req).rule, Some(3));
    assert!(a.decides(4, &secrets).is_none());
}

/// A small deterministic generator, so the cross-check needs no dependency.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from((self.0 >> 33) % (n as u64)).unwrap()
    }
}

/// The cubes must agree with `evaluate` on every point: the first rule whose cubes hold a
/// point is the rule `evaluate` picks for the request the point stands for.
#[test]
fn cubes_agree_with_evaluation() {
    let p = sample_policy();
    let a = Analysis::new(&p);
    let mut rng = Lcg(7);
    for _ in 0..20_000 {
        let point: Vec<usize> = (0..a.space.dims())
            .map(|d| rng.next(a.space.values[d].len()))
            .collect();
        let mut cube = a.space.full();
        for (d, &i) in point.iter().enumerate() {
            let v = a.space.values[d][i].clone();
            cube = a.space.restrict(cube, d, &[v.as_str()]);
        }
        let req = a.example(&cube);
        let by_cubes = a.rules.iter().position(|cs| {
            cs.iter()
                .any(|c| c.iter().zip(&cube).all(|(x, y)| y.is_subset(x)))
        });
        // `example` renders fresh values as `<other>`, which is just as fresh.
        assert_eq!(p.evaluate(&req).rule, by_cubes, "{req:?}");
    }
}

#[test]
fn missing_catch_all_is_found() {
    let p = policy(serde_json::json!({"rules": [
        {"level": "Metadata", "resources": [{"group": "*"}]},
        {"level": "Metadata", "nonResourceURLs": ["/healthz*"]}
    ]}));
    let a = Analysis::new(&p);
    let req = a.unmatched(&a.space.full()).unwrap();
    assert!(matches!(
        req.target,
        crate::policy::Target::NonResource { .. }
    ));
    assert_eq!(p.evaluate(&req).level, Level::None);
    let p = policy(serde_json::json!({"rules": [
        {"level": "Metadata", "resources": [{"group": "*"}]},
        {"level": "Metadata", "nonResourceURLs": ["*"]}
    ]}));
    assert!(Analysis::new(&p)
        .unmatched(&Analysis::new(&p).space.full())
        .is_none());
}

#[test]
fn writes_of_probe_resources_are_classes() {
    let p = policy(serde_json::json!({"rules": [
        {"level": "Request", "resources": [{"group": "", "resources": ["pods"]}]},
        {"level": "Metadata", "resources": [{"group": "rbac.authorization.k8s.io"}]},
        {"level": "Metadata"}
    ]}));
    let a = Analysis::new(&p);
    let s = &a.space;
    let mut c = s.restrict(s.full(), KIND, &[RESOURCE_REQUEST]);
    c = s.restrict(c, API_GROUP, &["rbac.authorization.k8s.io"]);
    c = s.restrict(c, RESOURCE, &["roles"]);
    c = s.restrict(c, SUB, &[""]);
    c = s.restrict(c, VERB, &["create"]);
    let req = a.decides(1, &c).unwrap();
    assert_eq!(describe(&req), "create roles.rbac.authorization.k8s.io");
    assert!(a.decides(2, &c).is_none());
}

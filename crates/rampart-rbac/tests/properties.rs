//! Properties of the evaluator over random small clusters:
//! - the indexed can-i and who-can agree with the brute-force evaluator;
//! - who-can lists a subject matching an identity iff can-i allows that identity;
//! - every `by` entry names a binding that applies and a rule that allows the request;
//! - adding a binding never removes an allow (RBAC has no deny).

use proptest::prelude::*;
use rampart_rbac::{brute, Cluster, Identity, Request, Subject};
use serde_json::{json, Value};

const NS: &[&str] = &["a", "b"];
const ROLES: &[&str] = &["r0", "r1", "r2", "r3"];

fn pick(xs: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(xs).prop_map(str::to_string)
}

fn list(xs: &'static [&'static str], max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(pick(xs), 0..=max)
}

fn rule() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (
            list(&["get", "list", "create", "*", "delete"], 2),
            list(&["", "apps", "*"], 2),
            list(&["pods", "pods/log", "*/log", "*", "deployments", "secrets", "pods/*"], 2),
            list(&["x", ""], 1),
        )
            .prop_map(|(v, g, r, n)| json!({"verbs": v, "apiGroups": g, "resources": r, "resourceNames": n})),
        1 => (list(&["get", "*", "post"], 2), list(&["/healthz", "/api/*", "*", "/api"], 2))
            .prop_map(|(v, u)| json!({"verbs": v, "nonResourceURLs": u})),
    ]
}

fn role() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        pick(NS),
        pick(ROLES),
        prop::option::of(pick(&["x", "y"])),
        any::<bool>(),
        prop::collection::vec(rule(), 0..3),
    )
        .prop_map(|(cluster, ns, name, label, aggregate, rules)| {
            let mut meta = json!({"name": name, "namespace": ns});
            if let Some(l) = label {
                meta["labels"] = json!({"agg": l});
            }
            let mut v = json!({
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": if cluster { "ClusterRole" } else { "Role" },
                "metadata": meta, "rules": rules,
            });
            if cluster && aggregate {
                v["aggregationRule"] =
                    json!({"clusterRoleSelectors": [{"matchLabels": {"agg": "x"}}]});
            }
            v
        })
}

fn subject() -> impl Strategy<Value = Value> {
    prop_oneof![
        pick(&["u1", "u2", "system:serviceaccount:a:s1", "system:anonymous"])
            .prop_map(|n| json!({"kind": "User", "name": n})),
        pick(&[
            "g1",
            "g2",
            "system:authenticated",
            "system:serviceaccounts:a",
            "system:unauthenticated"
        ])
        .prop_map(|n| json!({"kind": "Group", "name": n})),
        (pick(&["s1", "s2"]), pick(&["", "a", "b"]))
            .prop_map(|(n, ns)| json!({"kind": "ServiceAccount", "name": n, "namespace": ns})),
    ]
}

fn binding(i: usize) -> impl Strategy<Value = Value> {
    (any::<bool>(), pick(NS), any::<bool>(), pick(&["r0", "r1", "r2", "r3", "missing"]), prop::collection::vec(subject(), 0..3))
        .prop_map(move |(cluster, ns, to_cluster_role, role, subjects)| {
            json!({
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": if cluster { "ClusterRoleBinding" } else { "RoleBinding" },
                "metadata": {"name": format!("b{i}"), "namespace": ns},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io",
                            "kind": if to_cluster_role { "ClusterRole" } else { "Role" }, "name": role},
                "subjects": subjects,
            })
        })
}

fn objects() -> impl Strategy<Value = Vec<Value>> {
    (prop::collection::vec(role(), 0..6), 0usize..7).prop_flat_map(|(roles, n)| {
        let bindings: Vec<_> = (0..n).map(binding).collect();
        bindings.prop_map(move |b| roles.iter().cloned().chain(b).collect())
    })
}

fn request() -> impl Strategy<Value = Request> {
    (
        pick(&["get", "list", "create", "*", "post"]),
        pick(&[
            "pods",
            "pods/x",
            "deployments.apps",
            "secrets",
            "*",
            "/healthz",
            "/api/v1",
            "/api",
        ]),
        prop::option::of(pick(&["log", "status"])),
        prop::option::of(pick(NS)),
    )
        .prop_map(|(v, t, s, n)| {
            let (s, n) = if t.starts_with('/') {
                (None, None)
            } else {
                (s, n)
            };
            Request::build(&v, &t, s.as_deref(), n.as_deref()).unwrap_or_else(|e| panic!("{e}"))
        })
}

fn identity() -> impl Strategy<Value = Identity> {
    (
        pick(&[
            "u1",
            "u2",
            "system:serviceaccount:a:s1",
            "system:serviceaccount:b:s2",
            "system:anonymous",
        ]),
        list(&["g1", "g2"], 2),
    )
        .prop_map(|(u, g)| Identity::impersonate(&u, &g))
}

fn cluster(objs: &[Value]) -> Cluster {
    let text = serde_json::to_string(&json!({"apiVersion": "v1", "kind": "List", "items": objs}))
        .unwrap_or_default();
    let (_, objects, errors) = rampart_manifest::load_text("gen.json", text);
    assert!(errors.is_empty(), "{errors:?}");
    Cluster::from_objects(&objects, false)
}

fn matches(s: &Subject, id: &Identity) -> bool {
    match s {
        Subject::Group(g) => id.groups.contains(g),
        other => other.user_name().as_deref() == Some(id.user.as_str()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn indexed_answers_equal_brute_force(objs in objects(), reqs in prop::collection::vec(request(), 1..6), ids in prop::collection::vec(identity(), 1..4)) {
        let c = cluster(&objs);
        let p = &c.policy;
        for req in &reqs {
            let who = p.who_can(req);
            let names: Vec<String> = who.iter().map(|h| h.subject.to_string()).collect();
            prop_assert_eq!(&names, &brute::who_can(p, req));
            for id in &ids {
                let d = p.can_i(id, req);
                prop_assert_eq!(d.allowed, brute::can_i(p, id, req), "{} {:?}", req, id);
                prop_assert_eq!(d.allowed, who.iter().any(|h| matches(h.subject, id)), "who-can vs can-i: {} {:?}", req, id);
                for g in &d.by {
                    prop_assert!(p.applies(g.binding, req.namespace()));
                    prop_assert_eq!(p.bindings[g.binding].role, Some(g.role));
                    prop_assert!(rampart_rbac::allows(&p.roles[g.role].rules[g.rule], req));
                }
            }
        }
    }

    #[test]
    fn adding_a_binding_never_removes_an_allow(objs in objects(), extra in binding(99), reqs in prop::collection::vec(request(), 1..6), ids in prop::collection::vec(identity(), 1..4)) {
        let before = cluster(&objs);
        let mut more = objs.clone();
        more.push(extra);
        let after = cluster(&more);
        for req in &reqs {
            for id in &ids {
                if before.policy.can_i(id, req).allowed {
                    prop_assert!(after.policy.can_i(id, req).allowed, "{} {:?}", req, id);
                }
            }
            let b: Vec<_> = before.policy.who_can(req).into_iter().map(|h| h.subject).collect();
            let a: Vec<_> = after.policy.who_can(req).into_iter().map(|h| h.subject).collect();
            prop_assert!(b.iter().all(|s| a.contains(s)));
        }
    }
}
